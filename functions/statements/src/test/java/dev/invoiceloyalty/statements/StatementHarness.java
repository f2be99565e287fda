package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.local.CapturedEmail;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.table.Keys;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@link StatementHandler} on DynamoDB Local and the SES capture, with a fresh table holding a small book:
 * USD invoices in every interesting bucket as of Monday 2026-11-23, one EUR invoice, an unapplied payment, reward
 * lots, and three customers (en, fr, de).
 */
final class StatementHarness {
    static final String FINANCE = "finance-test@example.com";
    static final ProgramConfig CONFIG = ProgramConfig.defaults();
    final LocalBackends backends = LocalBackends.shared();
    final String table = backends.createTable();
    final DynamoDbClient ddb = AwsClients.configure(DynamoDbClient.builder(),
            AwsClients.Settings.forEndpoint(backends.dynamoDb().endpoint())).build();
    final SesV2Client ses = AwsClients.configure(SesV2Client.builder(),
            AwsClients.Settings.forEndpoint(backends.ses().endpoint())).build();
    final StatementSettings settings = new StatementSettings(table, "billing@example.com", FINANCE, "Example Co",
            ZoneId.of("UTC"), List.of("USD", "EUR", "GBP", "JPY"));
    final StatementHandler handler = new StatementHandler(settings, ddb, ses, CONFIG, Clock.systemUTC());

    StatementHarness() {
        backends.ses().clear();
    }

    /** The book described above. */
    StatementHarness seed() {
        customer("cust-a", "Alpha LLC", "a@example.com", "en", 300, Map.of("USD", 1500L));
        customer("cust-b", "Bêta SARL", "b@example.com", "fr", 0, Map.of());
        customer("cust-c", "Gamma GmbH", "c@example.com", "de", 0, Map.of());
        put(invoice("inv-a", "INV-2026-000001", "cust-a", "USD", "2026-10-01", "2026-10-31", 100000, List.of(), null));
        put(invoice("inv-b", "INV-2026-000002", "cust-a", "USD", "2026-11-10", "2026-12-10", 50000,
                List.of(new Invoice.Payment("pi_b", "stripe", 20000, "2026-11-20T10:00:00Z")), null));
        put(invoice("inv-c", "INV-2026-000003", "cust-b", "USD", "2026-07-01", "2026-07-31", 70000, List.of(), null)
                .toBuilder().escalation(Escalation.COLLECTIONS).build());
        put(invoice("inv-d", "INV-2026-000004", "cust-b", "USD", "2026-11-02", "2026-11-09", 40000,
                List.of(new Invoice.Payment("pi_d", "stripe", 40000, "2026-11-24T09:00:00Z")), "2026-11-24T09:00:00Z"));
        put(invoice("inv-e", "INV-2026-000005", "cust-c", "EUR", "2026-11-05", "2026-11-19", 25000, List.of(), null));
        Map<String, AttributeValue> unapplied = new HashMap<>(Attr.key(Keys.unappliedPaymentPk("stripe", "pi_x"), Keys.UNAPPLIED_SK));
        unapplied.putAll(Map.of("type", Attr.s("UNAPPLIED_PAYMENT"), "provider", Attr.s("stripe"), "paymentId", Attr.s("pi_x"),
                "amount", Attr.n(5000), "currency", Attr.s("USD"), "reason", Attr.s("no matching invoice"),
                "receivedAt", Attr.s("2026-11-21T00:00:00Z"), Keys.GSI1_PK, Attr.s(Keys.UNAPPLIED_GSI1_PK),
                Keys.GSI1_SK, Attr.s("2026-11-21T00:00:00Z#stripe#pi_x")));
        ddb.putItem(b -> b.tableName(table).item(unapplied));
        lot("cust-a", Keys.creditLotSk("USD", "2026-12-10T00:00:00Z", "e1"), "e1", 1500, "USD", "2026-12-10T00:00:00Z");
        lot("cust-a", Keys.pointsLotSk("2027-06-01T00:00:00Z", "e2"), "e2", 300, null, "2027-06-01T00:00:00Z");
        return this;
    }

    static Invoice invoice(String id, String number, String customerId, String currency, String issueDate, String dueDate,
                           long total, List<Invoice.Payment> payments, String closedAt) {
        long paid = payments.stream().mapToLong(Invoice.Payment::amount).sum();
        InvoiceStatus status = closedAt != null ? InvoiceStatus.PAID : paid > 0 ? InvoiceStatus.PARTIALLY_PAID : InvoiceStatus.OPEN;
        return new Invoice(id, number, customerId, currency, status, issueDate, dueDate,
                List.of(new Invoice.LineItem("Consulting", "1", total, "0", total, 0)), total, 0, List.of(), total,
                paid, total - paid, 0, payments, List.of(), List.of(), false, Escalation.NONE, null, null, null, null,
                null, issueDate + "T09:00:00Z", issueDate + "T09:00:00Z", closedAt, "UTC", 0, 0, List.of());
    }

    void put(Invoice inv) {
        ddb.putItem(b -> b.tableName(table).item(DynamoDbInvoiceStore.encode(inv)));
    }

    void customer(String id, String name, String email, String language, long points, Map<String, Long> credits) {
        Map<String, AttributeValue> c = new HashMap<>();
        credits.forEach((k, v) -> c.put(k, Attr.n(v)));
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(Keys.customerPk(id), Keys.CUSTOMER_PROFILE_SK));
        item.putAll(Map.of("type", Attr.s("CUSTOMER"), "customerId", Attr.s(id), "name", Attr.s(name),
                "email", Attr.s(email), "language", Attr.s(language), "timeZone", Attr.s("UTC"),
                "tier", Attr.s("Bronze"), "points", Attr.n(points), "credits", AttributeValue.fromM(c)));
        ddb.putItem(b -> b.tableName(table).item(item));
    }

    void lot(String customerId, String sk, String entryId, long remaining, String currency, String expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(Keys.customerPk(customerId), sk));
        item.putAll(Map.of("type", Attr.s(currency == null ? "POINTS_LOT" : "CREDIT_LOT"), "entryId", Attr.s(entryId),
                "amount", Attr.n(remaining), "remaining", Attr.n(remaining), "currency", Attr.s(currency),
                "expiresAt", Attr.s(expiresAt), "customerId", Attr.s(customerId),
                Keys.GSI2_PK, Attr.s(Keys.REWARD_EXPIRY_GSI2_PK), Keys.GSI2_SK, Attr.s(expiresAt + "#" + customerId + "#" + sk)));
        ddb.putItem(b -> b.tableName(table).item(item));
    }

    String invoke(String json) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
            return out.toString(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    String weekly(String time) {
        return invoke("{\"time\":\"" + time + "\",\"kind\":\"weekly\"}");
    }

    List<CapturedEmail> mailTo(String address) {
        return backends.ses().emails().stream().filter(e -> e.to().contains(address)).toList();
    }

    static MimeMessage parse(CapturedEmail e) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(e.raw().getBytes(StandardCharsets.UTF_8)));
    }

    /** Every leaf part of a MIME tree, depth first. */
    static List<Part> leaves(Part p) throws Exception {
        List<Part> out = new ArrayList<>();
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart child = mp.getBodyPart(i);
                out.addAll(leaves(child));
            }
        } else {
            out.add(p);
        }
        return out;
    }

    static byte[] bytes(Part p) throws Exception {
        try (var in = p.getInputStream()) {
            return in.readAllBytes();
        }
    }
}
