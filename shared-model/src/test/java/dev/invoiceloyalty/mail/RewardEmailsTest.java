package dev.invoiceloyalty.mail;

import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Fixtures;
import dev.invoiceloyalty.rewards.RewardRules;
import dev.invoiceloyalty.rewards.RewardRules.Award;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three loyalty emails: reward notice, tier change and streak perk (SPEC §6). */
class RewardEmailsTest {
    private static final String BUSINESS = "Northwind Supplies";

    private final ProgramConfig config = ProgramConfig.defaults();
    private final Emails emails = new Emails(config, BUSINESS);
    private final Customer ada = Fixtures.customer("cust-42", "en", "Europe/London", "SILVER");
    private final Customer jonas = Fixtures.customer("cust-43", "de-AT", "Europe/Vienna", "SILVER");
    private final Customer greta = Fixtures.customer("cust-44", "de", "Europe/Berlin", "SILVER");

    private static final Award EARLY = new Award(RewardRules.EARLY_PAYMENT, 0, 4_400, "paid within 7 days: 2%");
    private static final Award ON_TIME = new Award(RewardRules.ON_TIME, 275, 0, "paid on time at SILVER ×1.25");
    private static final Award LARGE = new Award(RewardRules.LARGE_INVOICE, 500, 0, "large invoice paid on time");
    private static final Award STREAK = new Award(RewardRules.STREAK, 1_000, 0, "6 invoices in a row paid on time");

    /** JDK CLDR output uses no-break spaces (U+00A0, U+202F); the reader sees a space. */
    private static String spaces(Object s) {
        return ((String) s).replace('\u00a0', ' ').replace('\u202f', ' ');
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    private MailMessage notice(Customer c, List<Award> awards, long points, Map<String, Long> credits) {
        return emails.rewardNotice(c, "inv-7", "INV-2026-000007", "USD", awards, points, credits, "SILVER");
    }

    private MailMessage notice(Customer c) {
        return notice(c, List.of(EARLY, ON_TIME), 1_234, Map.of("USD", 4_400L));
    }

    /** The defaults with another redemption rate. */
    private static ProgramConfig withRedemption(int points, String creditMajor) {
        var d = ProgramConfig.defaults();
        var r = d.rewards();
        return new ProgramConfig(d.version(), d.invoice(), new ProgramConfig.Rewards(r.earlyPayment(), r.onTimePoints(),
                r.largeInvoice(), r.streak(), r.tierWindowMonths(), r.tiers(),
                new ProgramConfig.Redemption(points, new BigDecimal(creditMajor)), r.expiry()), d.reminders());
    }

    @Nested
    class RewardNotice {
        @Test
        void GIVEN_a_paid_invoice_WHEN_the_notice_is_built_THEN_its_id_is_stable_per_invoice() {
            MailMessage m = notice(ada);

            assertAll(
                    () -> assertEquals("reward-notice#inv-7", m.emailId()),
                    () -> assertEquals(m.emailId(), notice(ada, List.of(ON_TIME), 9, Map.of()).emailId()),
                    () -> assertEquals("reward-notice", m.template()),
                    () -> assertEquals("inv-7", m.invoiceId()),
                    () -> assertEquals("cust-42", m.customerId()));
        }

        @Test
        void GIVEN_a_german_customer_WHEN_the_notice_is_built_THEN_it_goes_to_them_in_their_language() {
            MailMessage m = notice(jonas);

            assertAll(
                    () -> assertEquals(List.of("ada@example.com"), m.to()),
                    () -> assertTrue(m.cc().isEmpty()),
                    () -> assertEquals("de-AT", m.language()));
        }

        @Test
        void GIVEN_an_early_and_an_on_time_award_WHEN_the_notice_is_built_THEN_the_model_lists_them_by_rule_key() {
            Map<String, Object> model = notice(ada).model();

            assertAll(
                    () -> assertEquals("Ada Lovelace", model.get("customerName")),
                    () -> assertEquals(BUSINESS, model.get("businessName")),
                    () -> assertEquals("INV-2026-000007", model.get("invoiceNumber")),
                    () -> assertEquals("USD", model.get("currency")),
                    () -> assertEquals(true, model.get("hasAwards")),
                    () -> assertEquals(List.of(
                            Map.of("ruleName", "early-payment", "isEarlyPayment", true, "isOnTime", false,
                                    "isLargeInvoice", false, "isStreak", false, "isOther", false, "credit", "44.00"),
                            Map.of("ruleName", "on-time", "isEarlyPayment", false, "isOnTime", true,
                                    "isLargeInvoice", false, "isStreak", false, "isOther", false, "points", "275")),
                            model.get("awards")));
        }

        @Test
        void GIVEN_each_rule_WHEN_the_notice_is_built_THEN_exactly_its_own_flag_is_set() {
            List<Map<String, Object>> awards = list(notice(ada, List.of(EARLY, ON_TIME, LARGE, STREAK), 0, Map.of())
                    .model().get("awards"));

            List<String> flags = List.of("isEarlyPayment", "isOnTime", "isLargeInvoice", "isStreak");
            for (int i = 0; i < flags.size(); i++) {
                for (int j = 0; j < flags.size(); j++) {
                    assertEquals(i == j, awards.get(i).get(flags.get(j)), awards.get(i) + " " + flags.get(j));
                }
            }
            assertEquals("1,000", awards.get(3).get("points"));
        }

        @Test
        void GIVEN_1234_points_at_100_points_per_1_00_WHEN_the_notice_is_built_THEN_they_are_worth_12_34() {
            Map<String, Object> model = notice(ada).model();

            assertAll(
                    () -> assertEquals("1,234", model.get("pointsBalance")),
                    () -> assertEquals("12.34", model.get("pointsValue")),
                    () -> assertEquals(100, model.get("redemptionPoints")),
                    () -> assertEquals("1.00", model.get("redemptionCredit")));
        }

        @Test
        void GIVEN_another_redemption_rate_WHEN_the_notice_is_built_THEN_the_value_follows_it_rounded_down() {
            Emails other = new Emails(withRedemption(250, "2.00"), BUSINESS);

            Map<String, Object> model = other.rewardNotice(ada, "inv-7", "INV-2026-000007", "USD", List.of(ON_TIME),
                    1_234, Map.of(), "SILVER").model();

            // 1,234 / 250 × 2.00 = 9.872: never promise the fraction of a cent that cannot be redeemed
            assertEquals("9.87", model.get("pointsValue"));
            assertEquals(250, model.get("redemptionPoints"));
            assertEquals("2.00", model.get("redemptionCredit"));
        }

        @Test
        void GIVEN_a_currency_without_decimals_WHEN_the_notice_is_built_THEN_the_value_is_in_whole_units() {
            Map<String, Object> model = emails.rewardNotice(ada, "inv-7", "INV-2026-000007", "JPY", List.of(ON_TIME),
                    1_299, Map.of(), "SILVER").model();

            assertEquals("12", model.get("pointsValue"));
            assertEquals("1", model.get("redemptionCredit"));
        }

        @Test
        void GIVEN_a_german_customer_WHEN_the_notice_is_built_THEN_numbers_and_money_use_german_separators() {
            Map<String, Object> model = notice(greta).model();

            assertAll(
                    () -> assertEquals("1.234", spaces(model.get("pointsBalance"))),
                    () -> assertEquals("12,34", spaces(model.get("pointsValue"))),
                    () -> assertEquals("44,00", spaces(list(model.get("awards")).get(0).get("credit"))),
                    () -> assertEquals("1,25", model.get("tierMultiplier")),
                    () -> assertEquals("Silber", model.get("tierLabel")));
        }

        @Test
        void GIVEN_credit_in_several_currencies_WHEN_the_notice_is_built_THEN_positive_balances_are_listed_invoice_currency_first() {
            Map<String, Long> balances = new LinkedHashMap<>();
            balances.put("EUR", 1_000L);
            balances.put("CHF", 0L);
            balances.put("USD", 4_400L);
            balances.put("GBP", 250L);
            balances.put("JPY", -300L);

            Map<String, Object> model = notice(ada, List.of(EARLY), 0, balances).model();

            assertEquals(List.of(Map.of("amount", "44.00", "currency", "USD"),
                    Map.of("amount", "10.00", "currency", "EUR"),
                    Map.of("amount", "2.50", "currency", "GBP")), model.get("credits"));
            assertEquals(true, model.get("hasCredits"));
        }

        @Test
        void GIVEN_no_credit_WHEN_the_notice_is_built_THEN_there_is_no_credits_section() {
            Map<String, Object> model = notice(ada, List.of(ON_TIME), 275, Map.of("USD", 0L)).model();

            assertEquals(List.of(), model.get("credits"));
            assertEquals(false, model.get("hasCredits"));
            assertEquals("0", spaces(notice(ada, List.of(ON_TIME), 0, Map.of()).model().get("pointsBalance")));
            assertEquals("0.00", notice(ada, List.of(ON_TIME), 0, Map.of()).model().get("pointsValue"));
        }

        @Test
        void GIVEN_a_points_award_WHEN_the_notice_is_built_THEN_it_has_no_credit_key_and_the_reverse() {
            List<Map<String, Object>> awards = list(notice(ada).model().get("awards"));

            assertFalse(awards.get(0).containsKey("points"), "early-payment credit has no points");
            assertFalse(awards.get(1).containsKey("credit"), "on-time points have no credit");
        }

        @Test
        void GIVEN_zero_or_reversed_awards_WHEN_the_notice_is_built_THEN_only_what_was_earned_is_listed() {
            Award nothing = new Award(RewardRules.ON_TIME, 0, 0, "nothing");
            Award reversed = new Award(RewardRules.LARGE_INVOICE, -500, 0, "reversal");
            Award clawback = new Award(RewardRules.EARLY_PAYMENT, 0, -4_400, "clawback");

            List<Map<String, Object>> awards = list(notice(ada, List.of(nothing, reversed, STREAK, clawback), 1_000,
                    Map.of()).model().get("awards"));

            assertEquals(1, awards.size(), awards.toString());
            assertEquals("streak", awards.get(0).get("ruleName"));
        }

        @Test
        void GIVEN_no_earned_award_WHEN_the_notice_is_built_THEN_hasAwards_is_false() {
            Map<String, Object> model = notice(ada, List.of(), 1_234, Map.of()).model();

            assertEquals(false, model.get("hasAwards"));
            assertEquals(List.of(), model.get("awards"));
        }

        @Test
        void GIVEN_a_rule_the_templates_do_not_know_WHEN_the_notice_is_built_THEN_it_is_flagged_other() {
            Map<String, Object> award = list(notice(ada, List.of(new Award("birthday", 50, 0, "")), 50, Map.of())
                    .model().get("awards")).get(0);

            assertEquals("birthday", award.get("ruleName"));
            assertEquals(true, award.get("isOther"));
            assertEquals(false, award.get("isOnTime"));
        }

        @Test
        void GIVEN_the_customers_tier_WHEN_the_notice_is_built_THEN_it_carries_code_label_and_multiplier() {
            Map<String, Object> model = notice(ada).model();

            assertEquals("SILVER", model.get("tier"));
            assertEquals("Silver", model.get("tierLabel"));
            assertEquals("1.25", model.get("tierMultiplier"));
            assertEquals("1", emails.rewardNotice(ada, "inv-7", "INV-1", "USD", List.of(), 0, Map.of(), "BRONZE")
                    .model().get("tierMultiplier"));
        }

        @Test
        void GIVEN_the_model_WHEN_built_THEN_it_has_no_top_level_points_or_credit_that_an_award_could_inherit() {
            // Mustache looks a name up in the enclosing contexts when an award lacks it: a top-level "points" or
            // "credit" would show up in every award that has none.
            Map<String, Object> model = notice(ada).model();

            assertFalse(model.containsKey("points"));
            assertFalse(model.containsKey("credit"));
        }
    }

    @Nested
    class TierChanged {
        @Test
        void GIVEN_a_tier_change_WHEN_the_email_is_built_THEN_its_id_names_the_customer_and_the_invoice() {
            MailMessage m = emails.tierChanged(ada, "BRONZE", "SILVER", "inv-7");

            assertAll(
                    () -> assertEquals("tier-changed#cust-42#inv-7", m.emailId()),
                    () -> assertEquals("tier-changed", m.template()),
                    () -> assertEquals(List.of("ada@example.com"), m.to()),
                    () -> assertEquals("en", m.language()),
                    () -> assertEquals("cust-42", m.customerId()),
                    () -> assertEquals("inv-7", m.invoiceId()));
        }

        @Test
        void GIVEN_bronze_to_silver_WHEN_the_email_is_built_THEN_it_is_an_upgrade_with_gold_as_the_next_tier() {
            Map<String, Object> model = emails.tierChanged(ada, "BRONZE", "SILVER", "inv-7").model();

            assertAll(
                    () -> assertEquals("Ada Lovelace", model.get("customerName")),
                    () -> assertEquals(BUSINESS, model.get("businessName")),
                    () -> assertEquals("BRONZE", model.get("fromTier")),
                    () -> assertEquals("Bronze", model.get("fromTierLabel")),
                    () -> assertEquals("SILVER", model.get("toTier")),
                    () -> assertEquals("Silver", model.get("toTierLabel")),
                    () -> assertEquals(true, model.get("upgraded")),
                    () -> assertEquals("1.25", model.get("multiplier")),
                    () -> assertEquals(12, model.get("tierWindowMonths")),
                    () -> assertEquals(true, model.get("hasNextTier")),
                    () -> assertEquals("GOLD", model.get("nextTier")),
                    () -> assertEquals("Gold", model.get("nextTierLabel")),
                    () -> assertEquals(12, model.get("nextTierMinOnTime")),
                    () -> assertEquals("95", model.get("nextTierMinRate")),
                    () -> assertEquals("1.5", model.get("nextTierMultiplier")));
        }

        @Test
        void GIVEN_gold_to_silver_WHEN_the_email_is_built_THEN_it_is_not_an_upgrade() {
            Map<String, Object> model = emails.tierChanged(ada, "GOLD", "SILVER", "inv-7").model();

            assertEquals(false, model.get("upgraded"));
            assertEquals("GOLD", model.get("nextTier"));
        }

        @Test
        void GIVEN_silver_to_bronze_WHEN_the_email_is_built_THEN_the_next_tier_is_silver_again() {
            Map<String, Object> model = emails.tierChanged(ada, "SILVER", "BRONZE", "inv-7").model();

            assertEquals(false, model.get("upgraded"));
            assertEquals("1", model.get("multiplier"));
            assertEquals("SILVER", model.get("nextTier"));
            assertEquals(5, model.get("nextTierMinOnTime"));
            assertEquals("80", model.get("nextTierMinRate"));
        }

        @Test
        void GIVEN_the_highest_tier_WHEN_the_email_is_built_THEN_there_are_no_next_tier_keys() {
            Map<String, Object> model = emails.tierChanged(ada, "SILVER", "GOLD", "inv-7").model();

            assertEquals(true, model.get("upgraded"));
            assertEquals(false, model.get("hasNextTier"));
            for (String key : List.of("nextTier", "nextTierLabel", "nextTierMinOnTime", "nextTierMinRate",
                    "nextTierMultiplier")) {
                assertFalse(model.containsKey(key), key);
            }
        }

        @ParameterizedTest(name = "[{0}]")
        @CsvSource({
                "en,    Bronze, Silver, Gold, 1.25",
                "de,    Bronze, Silber, Gold, '1,25'",
                "de-CH, Bronze, Silber, Gold, 1.25",
                "fr,    Bronze, Argent, Or,   '1,25'",
                "es,    Bronce, Plata,  Oro,  '1,25'",
                "pt-BR, Bronze, Silver, Gold, '1,25'"})
        void GIVEN_a_language_WHEN_the_email_is_built_THEN_tier_names_are_translated_with_english_as_fallback(
                String language, String bronze, String silver, String gold, String multiplier) {
            Customer c = Fixtures.customer("cust-45", language, "UTC", "BRONZE");

            Map<String, Object> model = emails.tierChanged(c, "BRONZE", "SILVER", "inv-7").model();

            assertEquals(bronze, model.get("fromTierLabel"));
            assertEquals(silver, model.get("toTierLabel"));
            assertEquals(gold, model.get("nextTierLabel"));
            assertEquals(multiplier, spaces(model.get("multiplier")));
        }

        @Test
        void GIVEN_a_tier_the_labels_do_not_know_WHEN_the_email_is_built_THEN_its_code_is_shown_as_a_name() {
            Map<String, Object> model = emails.tierChanged(greta, "GOLD", "PLATINUM", "inv-7").model();

            assertEquals("Platinum", model.get("toTierLabel"));
            assertEquals("Gold", model.get("fromTierLabel"));
        }
    }

    @Nested
    class StreakPerk {
        @Test
        void GIVEN_a_streak_perk_WHEN_the_email_is_built_THEN_its_id_names_the_customer_and_the_invoice() {
            MailMessage m = emails.streakPerk(jonas, 6, 1_000, "inv-7");

            assertAll(
                    () -> assertEquals("streak-perk#cust-43#inv-7", m.emailId()),
                    () -> assertEquals("streak-perk", m.template()),
                    () -> assertEquals(List.of("ada@example.com"), m.to()),
                    () -> assertEquals("de-AT", m.language()),
                    () -> assertEquals("cust-43", m.customerId()),
                    () -> assertEquals("inv-7", m.invoiceId()));
        }

        @Test
        void GIVEN_a_streak_of_twelve_WHEN_the_email_is_built_THEN_the_model_has_the_streak_points_and_length() {
            Map<String, Object> model = emails.streakPerk(ada, 12, 1_000, "inv-7").model();

            assertAll(
                    () -> assertEquals("Ada Lovelace", model.get("customerName")),
                    () -> assertEquals(BUSINESS, model.get("businessName")),
                    () -> assertEquals(12, model.get("streak")),
                    () -> assertEquals("1,000", model.get("points")),
                    () -> assertEquals(6, model.get("streakLength")));
        }

        @Test
        void GIVEN_a_french_customer_WHEN_the_email_is_built_THEN_points_are_grouped_the_french_way() {
            Customer claire = Fixtures.customer("cust-46", "fr", "Europe/Paris", "GOLD");

            assertEquals("1 000", spaces(emails.streakPerk(claire, 6, 1_000, "inv-7").model().get("points")));
        }
    }
}
