package dev.invoiceloyalty.reminders.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.local.CapturedEmail;
import dev.invoiceloyalty.local.CapturedEvent;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.mailer.DynamoDbSentEmailLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static dev.invoiceloyalty.reminders.sweep.SweepHarness.AR_TEAM;
import static dev.invoiceloyalty.reminders.sweep.SweepHarness.COLLECTIONS;
import static dev.invoiceloyalty.reminders.sweep.SweepHarness.DUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a sent step announces: the customer's email in their language, the AR-team hand-off at 30 days with the
 * reminder history, collections and {@code InvoiceEscalated} at 60 with the full history, {@code ReminderSent} for
 * every step; and the mailer's last look, which cancels a reminder for an invoice paid after the sweep.
 */
class ReminderEmailsAndEventsTest {
    private static final String BERLIN = "Europe/Berlin";
    private static final List<String> ALL_STEPS = SweepHarness.CONFIG.reminders().steps().stream()
            .map(s -> s.step()).toList();

    private final SweepHarness h = new SweepHarness();

    @BeforeEach
    void emptyMailbox() {
        h.backends.ses().clear();
    }

    private void sweepEveryStepDate(String zone) {
        for (var step : SweepHarness.CONFIG.reminders().steps()) {
            h.sweepOn(DUE.plusDays(step.offsetDays()), zone);
        }
    }

    @Test
    void GIVEN_a_German_customer_WHEN_a_reminder_is_sent_THEN_it_is_in_German_with_German_amounts_and_dates() {
        h.customer("cus-de", "de", BERLIN);
        Invoice inv = h.invoice("inv-de", "cus-de");

        h.sweepOn(DUE.plusDays(3), BERLIN); // overdue_3
        MailMessage reminder = h.mail().get(0);
        List<String> failed = h.deliver(List.of(reminder));

        assertEquals("de", reminder.language());
        assertEquals("1.190,00", reminder.model().get("amountDue"), "German grouping and decimals");
        assertTrue(reminder.onlyIfCollectible());
        assertEquals(List.of(), failed);
        CapturedEmail email = h.sesEmails().get(0);
        assertEquals(List.of("cus-de@example.com"), email.to());
        assertTrue(email.subject().contains("Rechnung " + inv.number()), email.subject());
        assertTrue(email.text().contains("überfällig") || email.subject().contains("überfällig"), email.subject());
        assertTrue(email.text().contains("1.190,00 EUR"), email.text());
        assertTrue(email.html().contains("1.190,00"), "an HTML part too");
    }

    @Test
    void GIVEN_an_invoice_30_days_overdue_WHEN_the_sweep_sends_overdue_30_THEN_the_AR_team_gets_the_hand_off_with_the_reminder_history() {
        h.customer("cus-ar", "fr", BERLIN);
        Invoice inv = h.invoice("inv-ar", "cus-ar");
        for (var step : SweepHarness.CONFIG.reminders().steps().subList(0, 5)) {
            h.sweepOn(DUE.plusDays(step.offsetDays()), BERLIN);
        }
        assertEquals(List.of(), h.mailTo(AR_TEAM), "nothing for the AR team before 30 days");

        JsonNode result = h.sweepOn(DUE.plusDays(30), BERLIN);

        assertEquals(1, result.path("escalated").asInt());
        assertEquals(Escalation.AR_TEAM, h.invoice("inv-ar").escalation());
        List<MailMessage> ar = h.mailTo(AR_TEAM);
        assertEquals(1, ar.size());
        assertEquals("escalation-ar#inv-ar", ar.get(0).emailId());
        @SuppressWarnings("unchecked")
        var history = (List<Map<String, Object>>) ar.get(0).model().get("history");
        assertEquals(ALL_STEPS.subList(0, 6), history.stream().map(e -> e.get("step")).toList());

        assertEquals(List.of(), h.deliver(ar));
        CapturedEmail email = h.sesEmails().get(0);
        assertEquals(List.of(AR_TEAM), email.to());
        assertTrue(email.text().contains(inv.number()));
        assertTrue(email.text().contains("(overdue_14)") && email.text().contains("(pre_due)"), email.text());
    }

    @Test
    void GIVEN_an_invoice_60_days_overdue_WHEN_the_sweep_sends_collections_60_THEN_collections_gets_the_email_and_InvoiceEscalated_carries_the_full_history() {
        h.customer("cus-col", "en", BERLIN);
        h.invoice("inv-col", "cus-col");

        sweepEveryStepDate(BERLIN);

        Invoice inv = h.invoice("inv-col");
        assertEquals(Escalation.COLLECTIONS, inv.escalation());
        List<MailMessage> collections = h.mailTo(COLLECTIONS);
        assertEquals(List.of("escalation-collections#inv-col"), collections.stream().map(MailMessage::emailId).toList());
        List<CapturedEvent> escalated = h.events("InvoiceEscalated");
        assertEquals(1, escalated.size());
        assertEquals("invoice-loyalty", escalated.get(0).source());
        Invoice detail = Json.read(escalated.get(0).detail(), Invoice.class);
        assertEquals("inv-col", detail.invoiceId());
        assertEquals(Escalation.COLLECTIONS, detail.escalation());
        assertEquals(ALL_STEPS, detail.reminders().stream().map(Invoice.ReminderRecord::step).toList());
        assertEquals(inv.reminders(), detail.reminders(), "the full history, with when each step went out");
        assertEquals(1, h.mailTo(AR_TEAM).size(), "the AR team was told once, at 30 days");
    }

    @Test
    void GIVEN_runs_missed_until_60_days_overdue_WHEN_the_sweep_runs_THEN_only_the_collections_step_is_sent_and_escalates() {
        h.customer("cus-late", "en", BERLIN);
        h.invoice("inv-late", "cus-late");

        JsonNode result = h.sweepOn(DUE.plusDays(75), BERLIN);

        assertEquals(1, result.path("sent").asInt());
        assertEquals(1, result.path("escalated").asInt());
        assertEquals(List.of("collections_60"), h.steps("inv-late"));
        assertEquals(List.of("reminder#inv-late#collections_60", "escalation-collections#inv-late"), h.emailIds());
        assertEquals(1, h.events("InvoiceEscalated").size());
    }

    @Test
    void GIVEN_the_whole_ladder_WHEN_each_step_is_sent_THEN_a_ReminderSent_event_names_each_step() {
        h.customer("cus-ev", "es", "America/Los_Angeles");
        h.invoice("inv-ev", "cus-ev");

        sweepEveryStepDate("America/Los_Angeles");

        List<JsonNode> details = h.events("ReminderSent").stream().map(e -> SweepHarness.tree(e.detail())).toList();
        assertEquals(ALL_STEPS, details.stream().map(d -> d.path("step").asText()).toList());
        JsonNode last = details.get(details.size() - 1);
        assertEquals("inv-ev", last.path("invoiceId").asText());
        assertEquals("cus-ev", last.path("customerId").asText());
        assertEquals("reminder#inv-ev#collections_60", last.path("emailId").asText());
        assertEquals("COLLECTIONS", last.path("escalation").asText());
        assertEquals(DUE.plusDays(60).atTime(12, 0).atZone(ZoneId.of("America/Los_Angeles")).toInstant().toString(),
                last.path("sentAt").asText());
    }

    @Test
    void GIVEN_a_reminder_queued_WHEN_the_invoice_is_paid_before_the_mailer_sends_it_THEN_the_mailer_cancels_it_and_a_redelivery_stays_cancelled() {
        h.customer("cus-pay", "en", BERLIN);
        h.customer("cus-unpaid", "en", BERLIN);
        h.invoice("inv-paid-late", "cus-pay");
        h.invoice("inv-unpaid", "cus-unpaid");
        h.sweepOn(DUE, BERLIN);
        List<MailMessage> queued = h.mail();
        assertEquals(2, queued.size());

        h.payInFull("inv-paid-late", DUE.atTime(13, 0).atZone(ZoneId.of(BERLIN)).toInstant());
        List<String> failed = h.deliver(queued);
        List<String> redelivered = h.deliver(queued.stream().filter(m -> m.invoiceId().equals("inv-paid-late")).toList());

        assertEquals(List.of(), failed);
        assertEquals(List.of(), redelivered);
        assertEquals(List.of(List.of("cus-unpaid@example.com")), h.sesEmails().stream().map(CapturedEmail::to).toList());
        var record = h.ddb.getItem(b -> b.tableName(h.table).consistentRead(true)
                .key(DynamoDbSentEmailLog.key("reminder#inv-paid-late#due_today"))).item();
        assertEquals("CANCELLED", record.get("status").s());
        assertEquals("invoice-paid", record.get("reason").s());
        assertEquals(2, h.mailerLog.stream().filter(l -> l.contains("\"outcome\":\"cancelled\"")).count(),
                String.join("\n", h.mailerLog));
    }
}
