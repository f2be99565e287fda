package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.domain.MoneyMath;
import dev.invoiceloyalty.local.CapturedEmail;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weekly finance statement end to end: DynamoDB Local → handler → raw MIME in the SES capture. */
class WeeklyStatementTest {
    private static final String MONDAY = "2026-11-23T06:00:00Z";

    @Test
    void the_mime_message_has_the_parts_and_content_ids_it_claims() throws Exception {
        // GIVEN a book with USD and EUR receivables
        var h = new StatementHarness().seed();
        // WHEN Monday's schedule runs
        h.weekly(MONDAY);
        // THEN one raw email reached finance
        List<CapturedEmail> mail = h.mailTo(StatementHarness.FINANCE);
        assertEquals(1, mail.size());
        MimeMessage m = StatementHarness.parse(mail.get(0));
        assertTrue(m.isMimeType("multipart/mixed"));
        // AND a multipart/related holds the HTML and one PNG per currency with receivables, each referenced by cid:
        Part related = find(m, "multipart/related");
        assertNotNull(related, "multipart/related part");
        Multipart rel = (Multipart) related.getContent();
        assertTrue(rel.getBodyPart(0).isMimeType("text/html"));
        String html = (String) rel.getBodyPart(0).getContent();
        Matcher cids = Pattern.compile("src=\"cid:([^\"]+)\"").matcher(html);
        int referenced = 0;
        while (cids.find()) {
            referenced++;
            String cid = cids.group(1);
            Part image = null;
            for (int i = 1; i < rel.getCount(); i++) {
                if (("<" + cid + ">").equals(((MimePart) rel.getBodyPart(i)).getContentID())) {
                    image = rel.getBodyPart(i);
                }
            }
            assertNotNull(image, "an image part with Content-ID <" + cid + ">");
            assertTrue(image.isMimeType("image/png"));
            assertNotNull(ImageIO.read(new ByteArrayInputStream(StatementHarness.bytes(image))), "a decodable PNG");
        }
        assertEquals(2, referenced, "USD and EUR charts");
        assertEquals(3, rel.getCount());
        // AND a text/plain alternative and the two CSV attachments
        assertNotNull(find(m, "text/plain"));
        List<String> attachments = StatementHarness.leaves(m).stream().filter(p -> {
            try {
                return Part.ATTACHMENT.equals(p.getDisposition());
            } catch (Exception e) {
                return false;
            }
        }).map(p -> {
            try {
                return p.getFileName() + " " + p.getContentType().split(";")[0];
            } catch (Exception e) {
                return "";
            }
        }).toList();
        assertEquals(List.of("aging-by-customer-2026-11-23.csv text/csv", "ledger-movements-2026-11-23.csv text/csv"),
                attachments);
    }

    @Test
    void the_aging_csv_parses_back_to_the_totals_of_the_aging() throws Exception {
        var h = new StatementHarness().seed();
        h.weekly(MONDAY);
        MimeMessage m = StatementHarness.parse(h.mailTo(StatementHarness.FINANCE).get(0));
        String csv = new String(StatementHarness.bytes(attachment(m, "aging-by-customer-2026-11-23.csv")), StandardCharsets.UTF_8);
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        AgingRow usd = Aging.compute(LocalDate.parse("2026-11-23"), "USD", allInvoices()).totals();
        // current: inv-b less its payment; 1-30: inv-a (23 d) + inv-d (14 d, paid after asOf); 90+: inv-c
        assertEquals(new AgingRow(null, 30000, 140000, 0, 0, 70000), usd);
        BigDecimal[] sums = new BigDecimal[6];
        java.util.Arrays.fill(sums, BigDecimal.ZERO);
        CSVRecord total = null;
        for (CSVRecord r : rows) {
            if (!r.get("currency").equals("USD")) {
                continue;
            }
            if (r.get("customerId").equals("TOTAL")) {
                total = r;
                continue;
            }
            String[] cols = {"current", "1-30", "31-60", "61-90", "90+", "total"};
            for (int i = 0; i < cols.length; i++) {
                sums[i] = sums[i].add(new BigDecimal(r.get(cols[i])));
            }
        }
        assertNotNull(total);
        assertEquals(MoneyMath.toMajor(usd.current(), "USD"), new BigDecimal(total.get("current")));
        assertEquals(MoneyMath.toMajor(usd.days1to30(), "USD"), new BigDecimal(total.get("1-30")));
        assertEquals(MoneyMath.toMajor(usd.days90plus(), "USD"), new BigDecimal(total.get("90+")));
        assertEquals(MoneyMath.toMajor(usd.total(), "USD"), new BigDecimal(total.get("total")));
        assertEquals(new BigDecimal(total.get("total")), sums[5], "customer rows add up to the TOTAL row");
        assertEquals(0, new BigDecimal("250.00").compareTo(rows.stream()
                .filter(r -> r.get("currency").equals("EUR") && r.get("customerId").equals("TOTAL"))
                .map(r -> new BigDecimal(r.get("total"))).findFirst().orElseThrow()));
        // AND the movements CSV holds the week's payment and not the one after asOf
        String movements = new String(StatementHarness.bytes(attachment(m, "ledger-movements-2026-11-23.csv")), StandardCharsets.UTF_8);
        assertTrue(movements.contains("PAYMENT,cust-a,inv-b,USD,-200.00"), movements);
        assertFalse(movements.contains("pi_d"), movements);
    }

    @Test
    void the_report_has_dso_payments_unapplied_escalations_and_reward_liability() {
        var h = new StatementHarness().seed();
        var weekly = new WeeklyStatement(new StatementReader(h.ddb, h.table), null, h.settings, StatementHarness.CONFIG);
        FinanceReport r = weekly.report(LocalDate.parse("2026-11-23"));
        var usd = r.currencies().get(0);
        assertEquals("USD", usd.currency());
        // credit sales of the 90 days: inv-a, inv-b, inv-d (inv-c was issued before the window)
        assertEquals(190000, usd.creditSales90());
        assertEquals(new BigDecimal("113.7"), usd.dso(), "240000 / 190000 × 90");
        assertEquals(20000, usd.paymentsInWeek());
        assertEquals(1, r.unapplied().size());
        assertEquals(1, r.escalations().size());
        assertEquals("inv-c", r.escalations().get(0).invoiceId());
        assertEquals(300, r.rewards().points());
        assertEquals(List.of(new FinanceReport.CurrencyAmount("USD", 1500)), r.rewards().openCredit());
        assertEquals(List.of(new FinanceReport.CurrencyAmount("USD", 1500)), r.rewards().creditExpiring30());
        assertEquals(0, r.rewards().pointsExpiring30());
    }

    @Test
    void a_run_for_a_past_monday_reproduces_that_mondays_numbers() {
        // GIVEN the book as it is today (inv-b got 200.00 on 2026-11-20)
        var h = new StatementHarness().seed();
        var weekly = new WeeklyStatement(new StatementReader(h.ddb, h.table), null, h.settings, StatementHarness.CONFIG);
        // WHEN the statement of the Monday before is produced again
        FinanceReport r = weekly.report(LocalDate.parse("2026-11-16"));
        // THEN the payment after that Monday does not count
        var usd = r.currencies().get(0);
        assertEquals(new AgingRow(null, 50000, 140000, 0, 0, 70000), usd.aging().totals());
        assertEquals(0, usd.paymentsInWeek());
        assertTrue(r.unapplied().isEmpty(), "received on the 21st");
        // AND the same Monday computed twice gives the same figures
        assertEquals(r, weekly.report(LocalDate.parse("2026-11-16")));
    }

    @Test
    void running_the_same_schedule_time_twice_sends_once() {
        var h = new StatementHarness().seed();
        String first = h.weekly(MONDAY);
        String second = h.weekly(MONDAY);
        assertTrue(first.contains("\"outcome\":\"SENT\""), first);
        assertTrue(second.contains("\"outcome\":\"ALREADY_SENT\""), second);
        assertEquals(1, h.mailTo(StatementHarness.FINANCE).size());
    }

    @Test
    void the_business_date_is_the_scheduled_time_in_the_business_zone() {
        // 23:30 UTC on Sunday is already Monday in Berlin
        var h = new StatementHarness().seed();
        var berlin = new StatementSettings(h.table, "billing@example.com", StatementHarness.FINANCE, "Example Co",
                java.time.ZoneId.of("Europe/Berlin"), List.of("USD"));
        var handler = new StatementHandler(berlin, h.ddb, h.ses, StatementHarness.CONFIG, java.time.Clock.systemUTC());
        var out = new java.io.ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream("{\"time\":\"2026-11-22T23:30:00Z\",\"kind\":\"weekly\"}"
                    .getBytes(StandardCharsets.UTF_8)), out, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"asOf\":\"2026-11-23\""), out.toString(StandardCharsets.UTF_8));
    }

    private static List<dev.invoiceloyalty.domain.Invoice> allInvoices() {
        return List.of(
                StatementHarness.invoice("inv-a", "1", "cust-a", "USD", "2026-10-01", "2026-10-31", 100000, List.of(), null),
                StatementHarness.invoice("inv-b", "2", "cust-a", "USD", "2026-11-10", "2026-12-10", 50000,
                        List.of(new dev.invoiceloyalty.domain.Invoice.Payment("pi_b", "stripe", 20000, "2026-11-20T10:00:00Z")), null),
                StatementHarness.invoice("inv-c", "3", "cust-b", "USD", "2026-07-01", "2026-07-31", 70000, List.of(), null),
                StatementHarness.invoice("inv-d", "4", "cust-b", "USD", "2026-11-02", "2026-11-09", 40000,
                        List.of(new dev.invoiceloyalty.domain.Invoice.Payment("pi_d", "stripe", 40000, "2026-11-24T09:00:00Z")),
                        "2026-11-24T09:00:00Z"));
    }

    private static Part find(Part p, String type) throws Exception {
        if (p.isMimeType(type)) {
            return p;
        }
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                Part found = find(mp.getBodyPart(i), type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Part attachment(Part m, String filename) throws Exception {
        for (Part p : StatementHarness.leaves(m)) {
            if (filename.equals(p.getFileName())) {
                return p;
            }
        }
        throw new AssertionError("no attachment " + filename);
    }

}
