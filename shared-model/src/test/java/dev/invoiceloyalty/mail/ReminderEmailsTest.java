package dev.invoiceloyalty.mail;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Fixtures;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.domain.RewardOffer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reminder ladder's emails (SPEC §7): one reminder per step to the customer, two internal hand-offs. */
class ReminderEmailsTest {
    private static final String BUSINESS = "Northwind Supplies";
    private static final String ISSUED = "2026-11-01";
    private static final String DUE = "2026-12-01";
    private static final LocalDate DUE_DATE = LocalDate.parse(DUE);
    private static final List<String> STEPS = List.of("pre_due", "due_today", "overdue_3", "overdue_7", "overdue_14",
            "overdue_30", "collections_60");
    private static final List<String> STEP_FLAGS = List.of("isPreDue", "isDueToday", "isOverdue3", "isOverdue7",
            "isOverdue14", "isOverdue30", "isCollections60");
    private static final List<String> TONE_FLAGS = List.of("isCourteous", "isPolite", "isGentle", "isFirm", "isFormal",
            "isFinal");

    private final ProgramConfig config = ProgramConfig.defaults();
    private final Emails emails = new Emails(config, BUSINESS);
    private final Customer ada = Fixtures.customer("cust-42", "en", "Europe/London", "SILVER");
    private final Customer jonas = Fixtures.customer("cust-43", "de-AT", "Europe/Vienna", "SILVER");
    private final Customer greta = Fixtures.customer("cust-44", "de", "Europe/Berlin", "SILVER");

    /** 2% within 7 days and 1% within 10 days of the issue date; 275 points for paying by the due date. */
    private static RewardOffer offer(String issued, String due, long points, int largeBonus) {
        LocalDate issue = LocalDate.parse(issued);
        return new RewardOffer(List.of(
                new RewardOffer.EarlyCredit(issue.plusDays(7).toString(), "2", 4_400),
                new RewardOffer.EarlyCredit(issue.plusDays(10).toString(), "1", 2_200)),
                new RewardOffer.OnTime(due, points, "SILVER"), largeBonus);
    }

    private static Invoice invoice(String issued, String due, long total, long paid, RewardOffer offer, String paymentUrl,
                                   List<Invoice.ReminderRecord> reminders) {
        return new Invoice("inv-7", "INV-2026-000007", "cust-42", "USD",
                paid > 0 ? InvoiceStatus.PARTIALLY_PAID : InvoiceStatus.OPEN, issued, due,
                List.of(new Invoice.LineItem("Consulting", "1", total, "0", total, 0)), total, 0, List.of(), total, paid,
                total - paid, 0, List.of(), List.of(), reminders, false, Escalation.NONE, null, null, paymentUrl, null, offer,
                Fixtures.AT, Fixtures.AT, null, "Europe/London", 0, 0, List.of());
    }

    /** 2,200.00 USD due on 2026-12-01, nothing paid yet. */
    private static Invoice open() {
        return invoice(ISSUED, DUE, 220_000, 0, offer(ISSUED, DUE, 275, 0), "https://pay.example.com/inv-7", List.of());
    }

    private ProgramConfig.ReminderStep step(String name) {
        return config.reminders().steps().stream().filter(s -> s.step().equals(name)).findFirst().orElseThrow();
    }

    /** The reminder of {@code step} sent on the step's own date. */
    private MailMessage onItsDay(Invoice inv, Customer c, String step, int paidInvoices) {
        var s = step(step);
        return emails.reminder(inv, c, s, paidInvoices, LocalDate.parse(inv.dueDate()).plusDays(s.offsetDays()));
    }

    private MailMessage onItsDay(String step) {
        return onItsDay(open(), ada, step, 0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    private static String spaces(Object s) {
        return ((String) s).replace('\u00a0', ' ').replace('\u202f', ' ');
    }

    @Nested
    class Reminder {
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"pre_due", "due_today", "overdue_3", "overdue_7", "overdue_14", "overdue_30", "collections_60"})
        void GIVEN_a_step_WHEN_the_reminder_is_built_THEN_it_goes_to_the_customer_once_per_step_and_only_if_still_collectible(
                String step) {
            MailMessage m = onItsDay(step);

            assertAll(
                    () -> assertEquals("reminder#inv-7#" + step, m.emailId()),
                    () -> assertEquals(m.emailId(), onItsDay(step).emailId(), "stable id"),
                    () -> assertEquals("reminder", m.template()),
                    () -> assertEquals(List.of("ada@example.com"), m.to()),
                    () -> assertTrue(m.cc().isEmpty()),
                    () -> assertEquals("cust-42", m.customerId()),
                    () -> assertEquals("inv-7", m.invoiceId()),
                    () -> assertTrue(m.onlyIfCollectible(), "a payment between the sweep and the send cancels it"),
                    () -> assertEquals("en", m.language()));
        }

        @Test
        void GIVEN_every_step_WHEN_built_THEN_each_has_its_own_id() {
            assertEquals(STEPS.size(), STEPS.stream().map(s -> onItsDay(s).emailId()).distinct().count());
        }

        @ParameterizedTest(name = "{0} → {1} overdue, {2} until due")
        @CsvSource({"pre_due, 0, 3", "due_today, 0, 0", "overdue_3, 3, 0", "overdue_7, 7, 0", "overdue_14, 14, 0",
                "overdue_30, 30, 0", "collections_60, 60, 0"})
        void GIVEN_a_step_on_its_day_WHEN_built_THEN_days_overdue_and_until_due_come_from_today_and_the_due_date(
                String step, int overdue, int untilDue) {
            Map<String, Object> model = onItsDay(step).model();

            assertAll(
                    () -> assertEquals(overdue, model.get("daysOverdue")),
                    () -> assertEquals(untilDue, model.get("daysUntilDue")),
                    () -> assertEquals(untilDue > 0, model.get("beforeDue")),
                    () -> assertEquals(overdue == 0 && untilDue == 0, model.get("dueToday")),
                    () -> assertEquals(overdue > 0, model.get("overdue")),
                    () -> assertEquals(false, model.get("oneDayOverdue")),
                    () -> assertEquals(false, model.get("oneDayUntilDue")));
        }

        @Test
        void GIVEN_a_step_sent_after_a_missed_run_WHEN_built_THEN_the_days_are_those_of_today_not_of_the_step() {
            Map<String, Object> lateDueToday = emails.reminder(open(), ada, step("due_today"), 0, DUE_DATE.plusDays(1)).model();
            Map<String, Object> latePreDue = emails.reminder(open(), ada, step("pre_due"), 0, DUE_DATE.minusDays(1)).model();

            assertAll(
                    () -> assertEquals(1, lateDueToday.get("daysOverdue")),
                    () -> assertEquals(true, lateDueToday.get("overdue")),
                    () -> assertEquals(true, lateDueToday.get("oneDayOverdue")),
                    () -> assertEquals(1, latePreDue.get("daysUntilDue")),
                    () -> assertEquals(true, latePreDue.get("oneDayUntilDue")));
        }

        @Test
        void GIVEN_an_invoice_WHEN_the_reminder_is_built_THEN_the_model_is_personalised_and_formatted_in_the_customer_language() {
            Invoice partly = invoice(ISSUED, DUE, 131_730, 31_730, offer(ISSUED, DUE, 275, 0), null, List.of());
            Map<String, Object> en = onItsDay(open(), ada, "overdue_7", 0).model();
            Map<String, Object> de = onItsDay(partly, greta, "overdue_7", 0).model();

            assertAll(
                    () -> assertEquals("Ada Lovelace", en.get("customerName")),
                    () -> assertEquals(BUSINESS, en.get("businessName")),
                    () -> assertEquals("INV-2026-000007", en.get("invoiceNumber")),
                    () -> assertEquals("Nov 1, 2026", en.get("issueDate")),
                    () -> assertEquals("Dec 1, 2026", en.get("dueDate")),
                    () -> assertEquals("2,200.00", en.get("amountDue")),
                    () -> assertEquals("USD", en.get("currency")),
                    () -> assertEquals("https://pay.example.com/inv-7", en.get("paymentUrl")),
                    () -> assertEquals(false, en.get("partiallyPaid")),
                    () -> assertEquals("01.12.2026", de.get("dueDate")),
                    () -> assertEquals("1.000,00", spaces(de.get("amountDue"))),
                    () -> assertEquals("1.317,30", spaces(de.get("total"))),
                    () -> assertEquals("317,30", spaces(de.get("amountPaid"))),
                    () -> assertEquals(true, de.get("partiallyPaid")),
                    () -> assertFalse(de.containsKey("paymentUrl"), "no link → no key, the template shows none"));
        }

        @ParameterizedTest(name = "{0}: {1}")
        @CsvSource({"pre_due, courteous", "due_today, polite", "overdue_3, gentle", "overdue_7, firm", "overdue_14, formal",
                "overdue_30, formal", "collections_60, final"})
        void GIVEN_a_step_WHEN_built_THEN_exactly_its_own_step_flag_and_its_configured_tone_flag_are_set(String step,
                                                                                                        String tone) {
            Map<String, Object> model = onItsDay(step).model();
            String toneFlag = "is" + Character.toUpperCase(tone.charAt(0)) + tone.substring(1);

            assertEquals(step, model.get("step"));
            assertEquals(tone, model.get("tone"));
            for (int i = 0; i < STEPS.size(); i++) {
                assertEquals(STEPS.get(i).equals(step), model.get(STEP_FLAGS.get(i)), STEP_FLAGS.get(i));
            }
            for (String flag : TONE_FLAGS) {
                assertEquals(flag.equals(toneFlag), model.get(flag), flag);
            }
            assertEquals(tone.equals("formal") || tone.equals("final"), model.get("formalTone"));
            assertEquals(step.equals("overdue_30"), model.get("handedToAccountsTeam"), "overdue_30 says the account is handed on");
            assertEquals(step.equals("collections_60"), model.get("handedToCollections"));
        }

        @Test
        void GIVEN_a_tone_the_templates_do_not_know_WHEN_built_THEN_it_reads_as_polite_before_the_due_date_and_firm_after() {
            var early = new ProgramConfig.ReminderStep("pre_due_5", -5, "chatty", null);
            var late = new ProgramConfig.ReminderStep("overdue_45", 45, "stern", null);

            Map<String, Object> before = emails.reminder(open(), ada, early, 0, DUE_DATE.minusDays(5)).model();
            Map<String, Object> after = emails.reminder(open(), ada, late, 0, DUE_DATE.plusDays(45)).model();

            assertAll(
                    () -> assertEquals(true, before.get("isPolite")),
                    () -> assertEquals(true, after.get("isFirm")),
                    () -> assertEquals(45, after.get("daysOverdue")),
                    () -> assertTrue(STEP_FLAGS.stream().noneMatch(f -> Boolean.TRUE.equals(after.get(f)))),
                    () -> assertEquals("reminder#inv-7#overdue_45", emails.reminder(open(), ada, late, 0,
                            DUE_DATE.plusDays(45)).emailId()));
        }
    }

    @Nested
    class Warm {
        @ParameterizedTest(name = "{0} with {1} paid invoices → warm {2}")
        @CsvSource({
                "pre_due, 5, false", "pre_due, 6, true", "pre_due, 40, true",
                "due_today, 5, false", "due_today, 6, true",
                "overdue_3, 5, false", "overdue_3, 6, true",
                "overdue_7, 6, false", "overdue_14, 40, false", "overdue_30, 40, false", "collections_60, 40, false"})
        void GIVEN_paid_invoices_WHEN_built_THEN_only_the_early_steps_of_a_long_relationship_are_warm(
                String step, int paidInvoices, boolean warm) {
            assertEquals(warm, onItsDay(open(), ada, step, paidInvoices).model().get("warm"));
        }

        @Test
        void GIVEN_another_threshold_in_the_configuration_WHEN_built_THEN_it_is_the_one_used() {
            var d = ProgramConfig.defaults();
            var config10 = new ProgramConfig(d.version(), d.invoice(), d.rewards(),
                    new ProgramConfig.Reminders(d.reminders().steps(), 10));
            var e = new Emails(config10, BUSINESS);

            assertEquals(false, e.reminder(open(), ada, step("pre_due"), 9, DUE_DATE.minusDays(3)).model().get("warm"));
            assertEquals(true, e.reminder(open(), ada, step("pre_due"), 10, DUE_DATE.minusDays(3)).model().get("warm"));
        }
    }

    @Nested
    class RewardStillAvailable {
        @Test
        void GIVEN_the_pre_due_reminder_WHEN_built_THEN_it_offers_the_on_time_points_but_no_closed_early_credit() {
            Map<String, Object> reward = map(onItsDay("pre_due").model().get("rewardStillAvailable"));

            assertEquals(Map.of("onTimePoints", "275", "onTimeByDate", "Dec 1, 2026"), reward);
        }

        @Test
        void GIVEN_the_due_today_reminder_WHEN_sent_on_the_due_date_THEN_the_on_time_points_are_still_available() {
            Map<String, Object> reward = map(onItsDay("due_today").model().get("rewardStillAvailable"));

            assertEquals("275", reward.get("onTimePoints"));
        }

        @Test
        void GIVEN_the_due_today_reminder_WHEN_sent_a_day_late_THEN_no_reward_is_offered() {
            MailMessage late = emails.reminder(open(), ada, step("due_today"), 0, DUE_DATE.plusDays(1));

            assertFalse(late.model().containsKey("rewardStillAvailable"));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"overdue_3", "overdue_7", "overdue_14", "overdue_30", "collections_60"})
        void GIVEN_an_overdue_step_WHEN_built_THEN_no_reward_is_offered(String step) {
            assertFalse(onItsDay(open(), ada, step, 10).model().containsKey("rewardStillAvailable"));
        }

        @Test
        void GIVEN_an_open_early_payment_window_WHEN_reminded_THEN_the_best_open_credit_is_offered_too() {
            // net 9: due 2026-11-10; pre_due on 11-07 is within both windows (11-08 and 11-11), due_today only the 1% one
            String due = "2026-11-10";
            Invoice shortTerms = invoice(ISSUED, due, 220_000, 0, offer(ISSUED, due, 275, 500), null, List.of());

            Map<String, Object> preDue = map(onItsDay(shortTerms, ada, "pre_due", 0).model().get("rewardStillAvailable"));
            Map<String, Object> dueToday = map(onItsDay(shortTerms, ada, "due_today", 0).model().get("rewardStillAvailable"));

            assertAll(
                    () -> assertEquals(Map.of("amount", "44.00", "percent", "2", "payByDate", "Nov 8, 2026"), preDue.get("earlyCredit")),
                    () -> assertEquals("275", preDue.get("onTimePoints")),
                    () -> assertEquals("500", preDue.get("largeInvoiceBonusPoints")),
                    () -> assertEquals(Map.of("amount", "22.00", "percent", "1", "payByDate", "Nov 11, 2026"), dueToday.get("earlyCredit")));
        }

        @Test
        void GIVEN_an_offer_of_nothing_WHEN_reminded_before_the_due_date_THEN_no_reward_is_mentioned() {
            Invoice nothing = invoice(ISSUED, DUE, 220_000, 0,
                    new RewardOffer(List.of(), new RewardOffer.OnTime(DUE, 0, "BRONZE"), 0), null, List.of());

            assertFalse(onItsDay(nothing, ada, "pre_due", 0).model().containsKey("rewardStillAvailable"));
        }

        @Test
        void GIVEN_a_german_customer_WHEN_reminded_THEN_the_reward_is_formatted_for_them() {
            Invoice big = invoice(ISSUED, DUE, 2_000_000, 0, offer(ISSUED, DUE, 2_750, 0), null, List.of());

            Map<String, Object> reward = map(onItsDay(big, greta, "pre_due", 0).model().get("rewardStillAvailable"));

            assertEquals("2.750", spaces(reward.get("onTimePoints")));
            assertEquals("01.12.2026", reward.get("onTimeByDate"));
        }
    }

    @Nested
    class Escalations {
        private final List<Invoice.ReminderRecord> history = List.of(
                new Invoice.ReminderRecord("pre_due", "2026-11-28T08:00:00Z"),
                new Invoice.ReminderRecord("due_today", "2026-12-01T08:00:05Z"),
                new Invoice.ReminderRecord("overdue_7", "2026-12-08T08:00:00Z"),
                new Invoice.ReminderRecord("overdue_30", "2026-12-31T08:00:00Z"));
        private final Invoice overdue = invoice(ISSUED, DUE, 220_000, 20_000, offer(ISSUED, DUE, 275, 0),
                "https://pay.example.com/inv-7", history);

        @Test
        void GIVEN_an_invoice_30_days_overdue_WHEN_the_ar_hand_off_is_built_THEN_it_goes_to_the_ar_team_once_per_invoice() {
            MailMessage m = emails.arEscalation(overdue, jonas, "ar@northwind.example", DUE_DATE.plusDays(30));

            assertAll(
                    () -> assertEquals("escalation-ar#inv-7", m.emailId()),
                    () -> assertEquals("escalation-ar", m.template()),
                    () -> assertEquals(List.of("ar@northwind.example"), m.to()),
                    () -> assertTrue(m.cc().isEmpty()),
                    () -> assertEquals("en", m.language(), "internal mail is English whatever the customer's language"),
                    () -> assertEquals("cust-43", m.customerId()),
                    () -> assertEquals("inv-7", m.invoiceId()),
                    () -> assertTrue(m.onlyIfCollectible(), "an invoice paid since the sweep is not handed on"));
        }

        @Test
        void GIVEN_an_invoice_60_days_overdue_WHEN_the_collections_hand_off_is_built_THEN_it_goes_to_collections() {
            MailMessage m = emails.collectionsEscalation(overdue, ada, "collections@northwind.example", DUE_DATE.plusDays(60));

            assertAll(
                    () -> assertEquals("escalation-collections#inv-7", m.emailId()),
                    () -> assertEquals("escalation-collections", m.template()),
                    () -> assertEquals(List.of("collections@northwind.example"), m.to()),
                    () -> assertEquals("en", m.language()),
                    () -> assertTrue(m.onlyIfCollectible()),
                    () -> assertEquals(60, m.model().get("daysOverdue")));
        }

        @Test
        void GIVEN_reminders_sent_WHEN_a_hand_off_is_built_THEN_the_model_has_the_invoice_the_customer_and_the_history() {
            Map<String, Object> model = emails.arEscalation(overdue, jonas, "ar@northwind.example", DUE_DATE.plusDays(30)).model();

            assertAll(
                    () -> assertEquals("INV-2026-000007", model.get("invoiceNumber")),
                    () -> assertEquals("inv-7", model.get("invoiceId")),
                    () -> assertEquals("cust-43", model.get("customerId")),
                    () -> assertEquals("Ada Lovelace", model.get("customerName")),
                    () -> assertEquals("ada@example.com", model.get("customerEmail")),
                    () -> assertEquals("de-AT", model.get("customerLanguage")),
                    () -> assertEquals("2,000.00", model.get("amountDue"), "English formatting for the internal team"),
                    () -> assertEquals("2,200.00", model.get("total")),
                    () -> assertEquals("200.00", model.get("amountPaid")),
                    () -> assertEquals("USD", model.get("currency")),
                    () -> assertEquals(30, model.get("daysOverdue")),
                    () -> assertEquals("Dec 1, 2026", model.get("dueDate")),
                    () -> assertEquals("Nov 1, 2026", model.get("issueDate")),
                    () -> assertEquals(true, model.get("hasHistory")),
                    () -> assertEquals(List.of(
                            Map.of("step", "pre_due", "stepLabel", "3 days before the due date", "sentAt", "Nov 28, 2026, 08:00 UTC"),
                            Map.of("step", "due_today", "stepLabel", "on the due date", "sentAt", "Dec 1, 2026, 08:00 UTC"),
                            Map.of("step", "overdue_7", "stepLabel", "7 days overdue", "sentAt", "Dec 8, 2026, 08:00 UTC"),
                            Map.of("step", "overdue_30", "stepLabel", "30 days overdue (handed to the AR team)",
                                    "sentAt", "Dec 31, 2026, 08:00 UTC")),
                            model.get("history")));
        }

        @Test
        void GIVEN_no_reminders_and_odd_records_WHEN_a_hand_off_is_built_THEN_the_history_says_so_without_failing() {
            Invoice none = invoice(ISSUED, DUE, 220_000, 0, offer(ISSUED, DUE, 275, 0), null, List.of());
            Invoice odd = invoice(ISSUED, DUE, 220_000, 0, offer(ISSUED, DUE, 275, 0), null, List.of(
                    new Invoice.ReminderRecord("legacy_step", null), new Invoice.ReminderRecord("overdue_3", "yesterday")));

            Map<String, Object> empty = emails.collectionsEscalation(none, ada, "c@x.example", DUE_DATE.plusDays(60)).model();
            List<Map<String, Object>> oddHistory = list(emails.collectionsEscalation(odd, ada, "c@x.example",
                    DUE_DATE.plusDays(60)).model().get("history"));

            assertAll(
                    () -> assertEquals(false, empty.get("hasHistory")),
                    () -> assertEquals(List.of(), empty.get("history")),
                    () -> assertEquals(Map.of("step", "legacy_step", "stepLabel", "legacy_step", "sentAt", "time not recorded"),
                            oddHistory.get(0)),
                    () -> assertEquals("yesterday", oddHistory.get(1).get("sentAt")));
        }

        @Test
        void GIVEN_no_address_WHEN_a_hand_off_is_built_THEN_it_fails_at_once() {
            assertThrows(IllegalArgumentException.class, () -> emails.arEscalation(overdue, ada, " ", DUE_DATE.plusDays(30)));
            assertThrows(IllegalArgumentException.class, () -> emails.collectionsEscalation(overdue, ada, null, DUE_DATE.plusDays(60)));
        }
    }

    @Nested
    class Transport {
        @Test
        void GIVEN_the_messages_WHEN_they_travel_as_json_THEN_the_models_arrive_unchanged() {
            for (MailMessage m : List.of(onItsDay("pre_due"), onItsDay("collections_60"),
                    emails.arEscalation(open(), ada, "ar@x.example", DUE_DATE.plusDays(30)))) {
                MailMessage back = Json.read(Json.write(m), MailMessage.class);
                Map<String, Object> model = Json.mapper().convertValue(m.model(), new TypeReference<Map<String, Object>>() { });

                assertEquals(m.emailId(), back.emailId());
                assertEquals(m.onlyIfCollectible(), back.onlyIfCollectible());
                assertEquals(model, back.model());
                assertNotEquals(null, back.model().get("daysOverdue"));
            }
            assertNull(onItsDay("overdue_3").model().get("rewardStillAvailable"));
        }
    }
}
