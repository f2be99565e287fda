package dev.invoiceloyalty.api;

import dev.invoiceloyalty.http.HttpRequest;
import dev.invoiceloyalty.http.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.Versioned;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.CustomerProfile;
import dev.invoiceloyalty.domain.ProblemException;
import dev.invoiceloyalty.mail.Emails;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code PUT /customers/{id}} and {@code GET /customers/{id}}. */
final class CustomerService {
    static final int LEDGER_ENTRIES_SHOWN = 50;
    private static final int MAX_ATTEMPTS = 10;

    private final DynamoDbCustomerStore customers;
    private final Emails emails;
    private final ProgramConfig config;
    private final String defaultTimeZone;
    private final Clock clock;

    CustomerService(DynamoDbCustomerStore customers, Emails emails, ProgramConfig config, String defaultTimeZone,
                    Clock clock) {
        this.customers = customers;
        this.emails = emails;
        this.config = config;
        this.defaultTimeZone = defaultTimeZone;
        this.clock = clock;
    }

    /** Creates (201, with a welcome email) or replaces the profile (200). */
    HttpResponse put(String customerId, JsonNode body) {
        CustomerProfile profile = CustomerProfile.parse(customerId, body, defaultTimeZone);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Versioned<Customer> existing = customers.find(customerId);
            String now = clock.instant().toString();
            if (existing == null) {
                Customer created = new Customer(customerId, profile.name(), profile.email(), profile.language(),
                        profile.timeZone(), profile.segment(), profile.remindersEnabled(), profile.autopay(),
                        Customer.Loyalty.initial(config.rewards().baseTier().name()), now, now);
                var welcome = emails.welcome(created);
                // The welcome email is written as an outbox item in the creation's transaction; the outbox relay
                // sends it from the table's stream, so a function that dies after the commit loses nothing.
                var messages = List.of(OutboxMessage.mail(welcome.emailId(), Json.write(welcome)));
                try {
                    customers.create(created, messages);
                } catch (DynamoDbCustomerStore.AlreadyExists e) {
                    continue; // a concurrent PUT created it: apply ours as an update
                }
                Log.event("customer_created", "customerId", customerId);
                return HttpResponse.json(201, view(created));
            }
            Customer current = existing.value();
            if (current.profile().equals(profile)) {
                return HttpResponse.json(200, view(current));
            }
            Customer updated = current.withProfile(profile, now);
            try {
                customers.updateProfile(updated, existing.version());
            } catch (DynamoDbCustomerStore.StaleVersion e) {
                continue;
            }
            Log.event("customer_updated", "customerId", customerId);
            return HttpResponse.json(200, view(updated));
        }
        throw new ProblemException(503, "contention", "Busy", "the customer is being changed concurrently; retry",
                List.of());
    }

    HttpResponse get(String customerId) {
        Versioned<Customer> c = customers.find(customerId);
        if (c == null) {
            throw ProblemException.notFound("customer " + customerId + " does not exist");
        }
        return HttpResponse.json(200, view(c.value()));
    }

    Customer require(String customerId) {
        Versioned<Customer> c = customers.find(customerId);
        if (c == null) {
            throw ProblemException.notFound("customer " + customerId + " does not exist");
        }
        return c.value();
    }

    /** The customer with its loyalty summary at the top level (SPEC §4). */
    private Map<String, Object> view(Customer c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("customerId", c.customerId());
        v.put("name", c.name());
        v.put("email", c.email());
        v.put("language", c.language());
        v.put("timeZone", c.timeZone());
        v.put("segment", c.segment());
        v.put("remindersEnabled", c.remindersEnabled());
        v.put("autopay", c.autopay());
        v.put("tier", c.loyalty().tier());
        v.put("points", c.loyalty().points());
        v.put("credits", c.loyalty().credits());
        v.put("onTimeStreak", c.loyalty().onTimeStreak());
        v.put("ledger", ledger(c.customerId()));
        v.put("createdAt", c.createdAt());
        v.put("updatedAt", c.updatedAt());
        return v;
    }

    private List<Map<String, Object>> ledger(String customerId) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Map<String, AttributeValue> item : customers.recentLedger(customerId, LEDGER_ENTRIES_SHOWN)) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("entryId", Attr.str(item, "entryId"));
            e.put("type", Attr.str(item, "entryType"));
            e.put("rule", Attr.str(item, "rule"));
            e.put("invoiceId", Attr.str(item, "invoiceId"));
            e.put("points", Attr.num(item, "points"));
            e.put("amount", Attr.num(item, "amount"));
            e.put("currency", Attr.str(item, "currency"));
            e.put("createdAt", Attr.str(item, "createdAt"));
            e.put("expiresAt", Attr.str(item, "expiresAt"));
            e.put("configVersion", Attr.str(item, "configVersion"));
            entries.add(e);
        }
        return entries;
    }
}
