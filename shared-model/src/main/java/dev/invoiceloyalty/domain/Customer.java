package dev.invoiceloyalty.domain;

import java.util.Map;

/**
 * A client of the business. Profile fields come from {@code PUT /customers/{id}}; {@link Loyalty} is the cached
 * balance derived from the reward ledger and is never written by the profile route.
 *
 * @param segment may be null
 */
public record Customer(String customerId, String name, String email, String language, String timeZone,
                       String segment, boolean remindersEnabled, boolean autopay, Loyalty loyalty,
                       String createdAt, String updatedAt) {

    /**
     * @param credits open reward credit by currency, minor units
     * @param paidInvoices invoices paid in full, for the warmer reminder tone (SPEC §7)
     */
    public record Loyalty(String tier, long points, Map<String, Long> credits, int onTimeStreak, int paidInvoices) {
        public Loyalty {
            credits = Map.copyOf(credits);
        }

        public static Loyalty initial(String baseTier) {
            return new Loyalty(baseTier, 0, Map.of(), 0, 0);
        }
    }

    public Customer withProfile(CustomerProfile p, String updatedAt) {
        return new Customer(customerId, p.name(), p.email(), p.language(), p.timeZone(), p.segment(),
                p.remindersEnabled(), p.autopay(), loyalty, createdAt, updatedAt);
    }

    public CustomerProfile profile() {
        return new CustomerProfile(name, email, language, timeZone, segment, remindersEnabled, autopay);
    }
}
