package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduled functions end to end over HTTP (SPEC §7, §8, §10): the daily reminder sweep and the weekly and monthly
 * statements, each run for an explicit business time through {@code POST /_local/schedules/{logicalId}}.
 *
 * <p>Always its own embedded stack, whatever {@code -Dlocalstack.endpoint} says: the sweep and the statements read
 * every due invoice / every receivable of the table, and the mail and event assertions count what one run sent, which
 * only a table and captures of this class's own make exact.
 *
 * <p>Two EUR customers, both invoiced on 2026-09-01, due 2026-10-01: a German one in Europe/Berlin (reminded) and an
 * English one with {@code remindersEnabled: false} (never emailed a reminder). The methods are one journey in
 * order: each sweep sees what the earlier ones recorded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulesEndToEndTest {
    private static final String AR_TEAM = "ar-team@example.com";
    private static final String COLLECTIONS = "collections@example.com";
    private static final String FINANCE = "finance@example.com";
    private static final String BUSINESS = "Example Co";

    // German invoice: 10 × 123.45 = 1,234.50 + 19% (234.555 → 234.56, half-even) = 1,469.06 EUR
    private static final long DE_TOTAL = 146906;
    // English invoice: 1 × 500.00 + 20% = 600.00 EUR
    private static final long EN_TOTAL = 60000;

    private static final Instant PRE_DUE = Instant.parse("2026-09-28T08:00:00Z");       // due − 3 (Berlin 10:00)
    private static final Instant OVERDUE_32 = Instant.parse("2026-11-02T08:00:00Z");    // due + 32, runs missed
    private static final Instant OVERDUE_60 = Instant.parse("2026-11-30T08:00:00Z");    // due + 60

    private static LocalStack stack;
    private static Http http;

    private static String deCustomer;
    private static String deEmail;
    private static String deInvoice;
    private static String deNumber;
    private static String enCustomer;
    private static String enEmail;
    private static String enInvoice;

    @BeforeAll
    static void start() {
        Repository.requireJars(Repository.template(), Repository.root());
        stack = LocalStack.start(Options.builder().port(0).template(Repository.template()).build());
        http = new Http(stack.baseUrl());

        String suffix = UUID.randomUUID().toString().substring(0, 8);
        deCustomer = "cus-de-" + suffix;
        deEmail = deCustomer + "@example.com";
        enCustomer = "cus-en-" + suffix;
        enEmail = enCustomer + "@example.com";

        HttpResponse<String> de = http.json("PUT", "/customers/" + deCustomer, "{\"name\":\"Hans Müller\",\"email\":\""
                + deEmail + "\",\"language\":\"de\",\"timeZone\":\"Europe/Berlin\"}");
        assertEquals(201, de.statusCode(), de.body());
        HttpResponse<String> en = http.json("PUT", "/customers/" + enCustomer, "{\"name\":\"Ada Lovelace\",\"email\":\""
                + enEmail + "\",\"language\":\"en\",\"timeZone\":\"Europe/London\",\"remindersEnabled\":false}");
        assertEquals(201, en.statusCode(), en.body());
        assertFalse(Http.tree(en).path("remindersEnabled").asBoolean(true), en.body());

        JsonNode deInv = createInvoice(deCustomer, "10", 12345, "19");
        assertEquals(DE_TOTAL, deInv.get("total").asLong(), deInv.toString());
        assertEquals(DE_TOTAL, deInv.get("amountDue").asLong(), deInv.toString());
        assertEquals("2026-10-01", deInv.get("dueDate").asText(), deInv.toString());
        deInvoice = deInv.get("invoiceId").asText();
        deNumber = deInv.get("number").asText();
        JsonNode enInv = createInvoice(enCustomer, "1", 50000, "20");
        assertEquals(EN_TOTAL, enInv.get("total").asLong(), enInv.toString());
        assertEquals("2026-10-01", enInv.get("dueDate").asText(), enInv.toString());
        enInvoice = enInv.get("invoiceId").asText();

        http.drain(); // welcome and invoice-issued emails are out before the first DELETE /_local/mail
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static JsonNode createInvoice(String customerId, String quantity, long unitAmount, String taxRate) {
        HttpResponse<String> response = http.json("POST", "/invoices", "{\"customerId\":\"" + customerId
                + "\",\"currency\":\"EUR\",\"issueDate\":\"2026-09-01\",\"dueDate\":\"2026-10-01\",\"lineItems\":"
                + "[{\"description\":\"Consulting\",\"quantity\":\"" + quantity + "\",\"unitAmount\":" + unitAmount
                + ",\"taxRate\":\"" + taxRate + "\"}]}", "Idempotency-Key", UUID.randomUUID().toString());
        assertEquals(201, response.statusCode(), response.body());
        return Http.tree(response);
    }

    private static void clearMail() {
        HttpResponse<String> response = http.send("DELETE", "/_local/mail", null, null);
        assertEquals(204, response.statusCode(), response.body());
        assertEquals(0, allMail().size());
    }

    private static List<JsonNode> allMail() {
        HttpResponse<String> response = http.get("/_local/mail");
        assertEquals(200, response.statusCode(), response.body());
        List<JsonNode> out = new ArrayList<>();
        Http.tree(response).forEach(out::add);
        return out;
    }

    private static List<JsonNode> mailTo(String address) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode email : allMail()) {
            for (JsonNode to : email.path("to")) {
                if (to.asText().equals(address)) {
                    found.add(email);
                }
            }
        }
        return found;
    }

    private static JsonNode only(List<JsonNode> mail, String what) {
        assertEquals(1, mail.size(), what + ": " + mail);
        return mail.get(0);
    }

    private static JsonNode fullMail(String id) {
        HttpResponse<String> response = http.get("/_local/mail/" + id);
        assertEquals(200, response.statusCode(), response.body());
        return Http.tree(response);
    }

    private static List<JsonNode> events(String detailType, String invoiceId) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode e : Http.tree(http.get("/_local/events"))) {
            if (e.path("detailType").asText().equals(detailType)
                    && e.path("detail").path("invoiceId").asText().equals(invoiceId)) {
                found.add(e);
            }
        }
        return found;
    }

    private static JsonNode sweep(Instant time) {
        HttpResponse<String> response = http.json("POST", "/_local/schedules/ReminderSweepFunction",
                "{\"time\":\"" + time + "\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode run = Http.tree(response);
        assertEquals("ReminderSweepFunction", run.path("function").asText(), run.toString());
        assertEquals("DailySweep", run.path("schedule").asText(), run.toString());
        return run.path("result");
    }

    private static JsonNode statements(String schedule, String time) {
        HttpResponse<String> response = http.json("POST", "/_local/schedules/StatementFunction",
                "{\"time\":\"" + time + "\",\"schedule\":\"" + schedule + "\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode run = Http.tree(response);
        assertEquals(schedule, run.path("schedule").asText(), run.toString());
        return run.path("result");
    }

    private static JsonNode invoice(String invoiceId) {
        HttpResponse<String> response = http.get("/invoices/" + invoiceId);
        assertEquals(200, response.statusCode(), response.body());
        return Http.tree(response);
    }

    /** The invoice's {@code reminders[]} as "step@instant". */
    private static List<String> history(JsonNode reminders) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : reminders) {
            out.add(r.path("step").asText() + "@" + Instant.parse(r.path("sentAt").asText()));
        }
        return out;
    }

    private static void assertSweep(JsonNode result, Instant time, int due, int sent, int skipped, int escalated) {
        assertEquals(time, Instant.parse(result.path("time").asText()), result.toString());
        assertEquals(due, result.path("due").asInt(-1), "due: " + result);
        assertEquals(sent, result.path("sent").asInt(-1), "sent: " + result);
        assertEquals(skipped, result.path("skipped").asInt(-1), "skipped: " + result);
        assertEquals(escalated, result.path("escalated").asInt(-1), "escalated: " + result);
    }

    private static void assertNoReminderFor(String address) {
        assertEquals(List.of(), mailTo(address), "the customer with reminders disabled got email");
    }

    // --- reminders (SPEC §7) -----------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void givenTwoInvoicesDueOctober1_whenTheSweepRunsOnSeptember28_thenOnlyTheGermanCustomerGetsThePreDueStepInGerman() {
        clearMail();

        JsonNode result = sweep(PRE_DUE);

        // both invoices are in the index; the opted-out one is recorded as skipped
        assertSweep(result, PRE_DUE, 2, 1, 1, 0);
        List<JsonNode> mail = allMail();
        JsonNode reminder = only(mail, "exactly one email, to the German customer");
        assertEquals(List.of(deEmail), List.of(reminder.path("to").get(0).asText()), reminder.toString());
        assertEquals("Freundliche Erinnerung: Rechnung " + deNumber + " von " + BUSINESS
                + " (1.469,06 EUR) ist am 01.10.2026 fällig", reminder.path("subject").asText());
        String text = reminder.path("text").asText();
        assertTrue(text.contains("Guten Tag Hans Müller,"), text);
        assertTrue(text.contains("gerne möchten wir Sie freundlich an die Rechnung " + deNumber + " von " + BUSINESS
                + " erinnern."), text);
        assertTrue(text.contains("Der Betrag von 1.469,06 EUR ist am 01.10.2026 fällig, also in 3 Tagen."), text);
        assertTrue(text.contains("Rechnungsdatum:  01.09.2026"), text);
        // the courteous step mentions the reward still available: on-time points (the early windows have closed)
        assertTrue(text.contains("FÜR DIESE RECHNUNG NOCH MÖGLICH"), text);
        assertTrue(text.contains("Vollständige Zahlung bis zum 01.10.2026: 146 Treuepunkte"), text);
        assertFalse(reminder.path("html").asText().isEmpty(), "every email has an HTML part");

        JsonNode inv = invoice(deInvoice);
        assertEquals(List.of("pre_due@" + PRE_DUE), history(inv.path("reminders")), inv.toString());
        assertEquals("NONE", inv.path("escalation").asText(), inv.toString());
        List<JsonNode> sent = events("ReminderSent", deInvoice);
        assertEquals(1, sent.size(), sent.toString());
        assertEquals("pre_due", sent.get(0).path("detail").path("step").asText());
        assertEquals("invoice-loyalty", sent.get(0).path("source").asText());
        assertEquals(List.of(), events("ReminderSent", enInvoice));
        assertNoReminderFor(enEmail);
    }

    @Test
    @Order(2)
    void givenThePreDueStepSent_whenTheSameDaysSweepRunsAgain_thenNothingNewIsSent() {
        int before = allMail().size();

        JsonNode result = sweep(PRE_DUE);

        assertSweep(result, PRE_DUE, 0, 0, 0, 0);
        assertEquals(before, allMail().size(), "a replay of the same day sends nothing: " + allMail());
        assertEquals(1, events("ReminderSent", deInvoice).size());
        assertEquals(List.of("pre_due@" + PRE_DUE), history(invoice(deInvoice).path("reminders")));
    }

    @Test
    @Order(3)
    void givenMissedRuns_whenTheSweepRuns32DaysOverdue_thenOnlyOverdue30IsSentAndTheArTeamGetsTheHandOff() {
        clearMail();

        JsonNode result = sweep(OVERDUE_32);

        assertSweep(result, OVERDUE_32, 2, 1, 1, 1);
        List<JsonNode> mail = allMail();
        assertEquals(2, mail.size(), "the overdue_30 reminder and the AR hand-off only: " + mail);
        JsonNode reminder = only(mailTo(deEmail), "one reminder to the German customer");
        assertEquals("Mahnung und Übergabe an unsere Buchhaltung: Rechnung " + deNumber + " von " + BUSINESS
                + " (1.469,06 EUR) ist seit 32 Tagen überfällig", reminder.path("subject").asText());
        String text = reminder.path("text").asText();
        assertTrue(text.contains("Tage überfällig: 32"), text);
        assertTrue(text.contains("haben wir Ihr Kundenkonto an unsere Buchhaltung übergeben"), text);

        JsonNode ar = only(mailTo(AR_TEAM), "one AR hand-off");
        assertEquals("AR hand-off: invoice " + deNumber + " (Hans Müller) is 32 days overdue, 1,469.06 EUR outstanding",
                ar.path("subject").asText());
        String arText = ar.path("text").asText();
        assertTrue(arText.contains("Customer id:    " + deCustomer), arText);
        assertTrue(arText.contains("- Sep 28, 2026, 08:00 UTC: 3 days before the due date (pre_due)"), arText);
        assertTrue(arText.contains("- Nov 2, 2026, 08:00 UTC: 30 days overdue (handed to the AR team) (overdue_30)"),
                arText);
        assertFalse(arText.contains(enCustomer), "no hand-off of the opted-out customer's invoice: " + arText);

        JsonNode inv = invoice(deInvoice);
        assertEquals("AR_TEAM", inv.path("escalation").asText(), inv.toString());
        // only the latest due step after missed runs: no overdue_3, overdue_7, overdue_14 (nor due_today)
        assertEquals(List.of("pre_due@" + PRE_DUE, "overdue_30@" + OVERDUE_32), history(inv.path("reminders")),
                inv.toString());
        List<String> steps = new ArrayList<>();
        events("ReminderSent", deInvoice).forEach(e -> steps.add(e.path("detail").path("step").asText()));
        assertEquals(List.of("pre_due", "overdue_30"), steps);
        JsonNode last = events("ReminderSent", deInvoice).get(1).path("detail");
        assertEquals("AR_TEAM", last.path("escalation").asText(), last.toString());
        assertEquals(DE_TOTAL, last.path("amountDue").asLong(), last.toString());
        assertEquals(List.of(), events("InvoiceEscalated", deInvoice), "no collections event at 30 days");
        assertNoReminderFor(enEmail);
    }

    @Test
    @Order(4)
    void givenTheArHandOff_whenTheSweepRuns60DaysOverdue_thenCollections60TheCollectionsEmailAndInvoiceEscalated() {
        clearMail();

        JsonNode result = sweep(OVERDUE_60);

        assertSweep(result, OVERDUE_60, 2, 1, 1, 1);
        List<JsonNode> mail = allMail();
        assertEquals(2, mail.size(), "the collections_60 reminder and the collections hand-off only: " + mail);
        JsonNode reminder = only(mailTo(deEmail), "one final notice to the German customer");
        assertEquals("Letzte Mahnung: Rechnung " + deNumber + " von " + BUSINESS
                + " (1.469,06 EUR) ist seit 60 Tagen überfällig", reminder.path("subject").asText());
        assertTrue(reminder.path("text").asText().contains("an unsere Inkassoabteilung"), reminder.toString());

        JsonNode handOff = only(mailTo(COLLECTIONS), "one collections hand-off");
        assertEquals("Collections hand-off: invoice " + deNumber + " (Hans Müller) is 60 days overdue, 1,469.06 EUR"
                + " outstanding", handOff.path("subject").asText());
        String handOffText = handOff.path("text").asText();
        assertTrue(handOffText.contains("- Sep 28, 2026, 08:00 UTC: 3 days before the due date (pre_due)"), handOffText);
        assertTrue(handOffText.contains("- Nov 2, 2026, 08:00 UTC: 30 days overdue (handed to the AR team) (overdue_30)"),
                handOffText);
        assertTrue(handOffText.contains("- Nov 30, 2026, 08:00 UTC: 60 days overdue (final notice, handed to collections)"
                + " (collections_60)"), handOffText);
        assertEquals(List.of(), mailTo(AR_TEAM), "the AR hand-off is not sent again");

        List<String> full = List.of("pre_due@" + PRE_DUE, "overdue_30@" + OVERDUE_32, "collections_60@" + OVERDUE_60);
        JsonNode inv = invoice(deInvoice);
        assertEquals("COLLECTIONS", inv.path("escalation").asText(), inv.toString());
        assertEquals(full, history(inv.path("reminders")), inv.toString());

        List<JsonNode> escalated = events("InvoiceEscalated", deInvoice);
        assertEquals(1, escalated.size(), escalated.toString());
        JsonNode detail = escalated.get(0).path("detail");
        assertEquals("invoice-loyalty", escalated.get(0).path("source").asText());
        assertEquals("COLLECTIONS", detail.path("escalation").asText(), detail.toString());
        assertEquals(deCustomer, detail.path("customerId").asText(), detail.toString());
        assertEquals(DE_TOTAL, detail.path("amountDue").asLong(), detail.toString());
        assertEquals(full, history(detail.path("reminders")), "the full reminder history: " + detail);
        assertEquals(3, events("ReminderSent", deInvoice).size());

        assertNoReminderFor(enEmail);
        assertEquals(List.of(), events("ReminderSent", enInvoice), "nothing announced for the opted-out customer");
        assertEquals(List.of(), events("InvoiceEscalated", enInvoice), "nothing escalated for the opted-out customer");
    }

    // --- statements (SPEC §8) ----------------------------------------------------------------------------------------

    @Test
    @Order(5)
    void givenTwoOverdueEurInvoices_whenTheWeeklyFinanceStatementRuns_thenFinanceGetsTheChartAndCsvsWithTheAgingTotal()
            throws Exception {
        long due = invoice(deInvoice).path("amountDue").asLong() + invoice(enInvoice).path("amountDue").asLong();
        assertEquals(DE_TOTAL + EN_TOTAL, due);
        int before = mailTo(FINANCE).size();

        JsonNode result = statements("WeeklyFinanceStatement", "2026-11-23T12:00:00Z");

        assertEquals("weekly", result.path("kind").asText(), result.toString());
        assertEquals("2026-11-23", result.path("asOf").asText(), result.toString());
        assertEquals("SENT", result.path("outcome").asText(), result.toString());
        assertEquals(due, result.path("receivableEUR").asLong(), result.toString());
        List<JsonNode> finance = mailTo(FINANCE);
        assertEquals(before + 1, finance.size(), finance.toString());
        JsonNode email = finance.get(finance.size() - 1);
        assertTrue(email.path("subject").asText().contains("weekly finance statement as of 2026-11-23"), email.toString());

        JsonNode full = fullMail(email.path("id").asText());
        JsonNode png = null;
        JsonNode agingCsv = null;
        int csvs = 0;
        for (JsonNode a : full.path("attachments")) {
            String type = a.path("contentType").asText();
            if (type.equals("image/png")) {
                png = a;
            } else if (type.equals("text/csv")) {
                csvs++;
                if (a.path("filename").asText().equals("aging-by-customer-2026-11-23.csv")) {
                    agingCsv = a;
                }
            }
        }
        assertNotNull(png, "an image/png chart: " + full.path("attachments"));
        byte[] image = Base64.getDecoder().decode(png.path("contentBase64").asText());
        assertTrue(image.length > 8 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', "a PNG");
        assertEquals(2, csvs, "two CSVs: " + full.path("attachments"));
        assertNotNull(agingCsv, "aging-by-customer-2026-11-23.csv: " + full.path("attachments"));

        String csv = new String(Base64.getDecoder().decode(agingCsv.path("contentBase64").asText()), StandardCharsets.UTF_8);
        List<String> lines = csv.lines().toList();
        assertEquals("currency,customerId,current,1-30,31-60,61-90,90+,total", lines.get(0), csv);
        String[] total = null;
        String[] deRow = null;
        String[] enRow = null;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells[0].equals("EUR") && cells[1].equals("TOTAL")) {
                total = cells;
            } else if (cells[0].equals("EUR") && cells[1].equals(deCustomer)) {
                deRow = cells;
            } else if (cells[0].equals("EUR") && cells[1].equals(enCustomer)) {
                enRow = cells;
            }
        }
        assertNotNull(total, "an EUR TOTAL row: " + csv);
        BigDecimal expected = BigDecimal.valueOf(due, 2);
        assertEquals(0, expected.compareTo(new BigDecimal(total[7])), "EUR total " + total[7] + " in " + csv);
        // 2026-10-01 → 2026-11-23 is 53 days overdue: the 31-60 bucket
        assertEquals(0, expected.compareTo(new BigDecimal(total[4])), "EUR 31-60 " + total[4] + " in " + csv);
        assertNotNull(deRow, csv);
        assertNotNull(enRow, csv);
        assertEquals(0, BigDecimal.valueOf(DE_TOTAL, 2).compareTo(new BigDecimal(deRow[7])), csv);
        assertEquals(0, BigDecimal.valueOf(EN_TOTAL, 2).compareTo(new BigDecimal(enRow[7])), csv);
    }

    @Test
    @Order(6)
    void givenSeptemberInvoices_whenTheMonthlyStatementsRunOnOctober1_thenEachActiveCustomerGetsOnePdfStatementOnce() {
        int before = allMail().size();

        JsonNode result = statements("MonthlyCustomerStatements", "2026-10-01T12:00:00Z");

        assertEquals("monthly", result.path("kind").asText(), result.toString());
        assertEquals("2026-09", result.path("month").asText(), result.toString());
        assertEquals(2, result.path("customers").asInt(), result.toString());
        assertEquals(2, result.path("sent").asInt(), result.toString());
        assertEquals(0, result.path("alreadySent").asInt(), result.toString());
        assertEquals(before + 2, allMail().size(), allMail().toString());
        for (String address : List.of(deEmail, enEmail)) {
            List<JsonNode> statements = new ArrayList<>();
            for (JsonNode m : mailTo(address)) {
                for (JsonNode a : m.path("attachments")) {
                    if (a.path("contentType").asText().equals("application/pdf")) {
                        statements.add(m);
                    }
                }
            }
            JsonNode statement = only(statements, "one statement email with a PDF to " + address);
            JsonNode pdf = null;
            for (JsonNode a : fullMail(statement.path("id").asText()).path("attachments")) {
                if (a.path("contentType").asText().equals("application/pdf")) {
                    pdf = a;
                }
            }
            assertNotNull(pdf);
            assertEquals("statement-2026-09.pdf", pdf.path("filename").asText(), pdf.toString());
            assertTrue(pdf.path("size").asLong() > 0, pdf.toString());
            byte[] bytes = Base64.getDecoder().decode(pdf.path("contentBase64").asText());
            assertEquals(pdf.path("size").asLong(), bytes.length);
            assertEquals("%PDF", new String(bytes, 0, 4, StandardCharsets.ISO_8859_1));
        }
        assertTrue(only(mailTo(deEmail).stream().filter(m -> m.path("attachments").size() > 0).toList(), "de statement")
                .path("subject").asText().startsWith("Ihr Kontoauszug für"), mailTo(deEmail).toString());
        assertTrue(only(mailTo(enEmail).stream().filter(m -> m.path("attachments").size() > 0).toList(), "en statement")
                .path("subject").asText().startsWith("Your statement for"), mailTo(enEmail).toString());

        int afterFirst = allMail().size();
        JsonNode again = statements("MonthlyCustomerStatements", "2026-10-01T12:00:00Z");

        assertEquals(0, again.path("sent").asInt(-1), again.toString());
        assertEquals(2, again.path("alreadySent").asInt(), again.toString());
        assertEquals(afterFirst, allMail().size(), "a second run of the same time sends nothing new: " + allMail());
    }
}
