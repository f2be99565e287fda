package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.local.CapturedEmail;
import jakarta.mail.Part;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Monthly customer statements, and the sample events of {@code events/statements/}. */
class MonthlyStatementsTest {
    private static final String SAMPLES = "../../events/statements/";

    @Test
    void every_customer_with_activity_gets_one_statement_with_a_pdf_in_their_language() throws Exception {
        // GIVEN November activity for cust-a (en), cust-b (fr) and cust-c (de)
        var h = new StatementHarness().seed();
        // WHEN the schedule of December 1st runs (the sample event)
        String out = h.invoke(Files.readString(Path.of(SAMPLES + "monthly.json")));
        assertTrue(out.contains("\"month\":\"2026-11\"") && out.contains("\"sent\":3"), out);
        // THEN cust-c gets a German email whose PDF opens and shows the closing balance 250,00 EUR
        List<CapturedEmail> mail = h.mailTo("c@example.com");
        assertEquals(1, mail.size());
        assertTrue(mail.get(0).subject().startsWith("Ihr Kontoauszug für November 2026"), mail.get(0).subject());
        String text = pdfText(mail.get(0), "statement-2026-11.pdf");
        assertTrue(text.contains("Schlusssaldo"), text);
        assertTrue(text.contains("250,00 EUR"), text);
        // AND cust-b's French statement: opening 700.00 (inv-c), invoiced and paid 400.00 (inv-d paid on the 24th)
        String b = pdfText(h.mailTo("b@example.com").get(0), "statement-2026-11.pdf");
        assertTrue(b.contains("Solde de clôture"), b);
        assertTrue(b.contains("700,00 USD"), b);
        assertTrue(b.contains("400,00"), b);
    }

    @Test
    void the_monthly_statement_of_a_customer_is_sent_once() {
        var h = new StatementHarness().seed();
        String event = "{\"time\":\"2026-12-01T06:00:00Z\",\"kind\":\"monthly\"}";
        h.invoke(event);
        String again = h.invoke(event);
        assertTrue(again.contains("\"sent\":0") && again.contains("\"alreadySent\":3"), again);
        assertEquals(1, h.mailTo("a@example.com").size());
    }

    @Test
    void a_statement_reconciles_opening_invoices_payments_credits_and_closing() {
        var h = new StatementHarness().seed();
        var monthly = new MonthlyStatements(new StatementReader(h.ddb, h.table), null, h.settings);
        var customers = new StatementReader(h.ddb, h.table).customers(List.of("cust-a"));
        CustomerStatement s = monthly.statement(customers.get("cust-a"), java.time.YearMonth.of(2026, 11));
        var usd = s.sections().get(0);
        assertEquals(100000, usd.opening());
        assertEquals(50000, usd.invoiced());
        assertEquals(20000, usd.paid());
        assertEquals(130000, usd.closing());
        assertEquals(0, usd.credits());
        assertEquals(300, s.points());
    }

    @Test
    void the_weekly_sample_event_loads_through_the_handler() throws Exception {
        var h = new StatementHarness().seed();
        String out = h.invoke(Files.readString(Path.of(SAMPLES + "weekly.json")));
        assertTrue(out.contains("\"kind\":\"weekly\"") && out.contains("\"asOf\":\"2026-11-23\""), out);
        assertEquals(1, h.mailTo(StatementHarness.FINANCE).size());
    }

    static String pdfText(CapturedEmail e, String filename) throws Exception {
        for (Part p : StatementHarness.leaves(StatementHarness.parse(e))) {
            if (filename.equals(p.getFileName())) {
                assertTrue(p.isMimeType("application/pdf"));
                try (var doc = Loader.loadPDF(StatementHarness.bytes(p))) {
                    return new PDFTextStripper().getText(doc);
                }
            }
        }
        throw new AssertionError("no " + filename);
    }
}
