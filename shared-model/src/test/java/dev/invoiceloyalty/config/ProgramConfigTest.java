package dev.invoiceloyalty.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.Json;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgramConfigTest {

    private static ObjectNode defaultDocument() {
        try (InputStream in = ProgramConfigTest.class.getResourceAsStream("/config/program.json")) {
            return (ObjectNode) Json.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bundled document with one change, as JSON text. */
    private static String documentWith(Consumer<ObjectNode> edit) {
        ObjectNode doc = defaultDocument();
        edit.accept(doc);
        return doc.toString();
    }

    private static ObjectNode at(ObjectNode doc, String... path) {
        ObjectNode n = doc;
        for (String p : path) {
            n = (ObjectNode) n.get(p);
        }
        return n;
    }

    private static ObjectNode item(ObjectNode doc, String array, int i, String... path) {
        return (ObjectNode) ((ArrayNode) at(doc, path).get(array)).get(i);
    }

    private static IllegalArgumentException invalid(Consumer<ObjectNode> edit) {
        String json = documentWith(edit);
        return assertThrows(IllegalArgumentException.class, () -> ProgramConfig.parse(json));
    }

    private static void assertNames(IllegalArgumentException e, String fieldPath) {
        assertTrue(e.getMessage().contains(fieldPath), () -> "message should name " + fieldPath + ": " + e.getMessage());
    }

    @Nested
    class Defaults {
        private final ProgramConfig config = ProgramConfig.defaults();

        @Test
        void bundledDefaultsParse() {
            assertEquals("2026-11-01", config.version());
        }

        @Test
        void defaultsAreLoadedOnce() {
            assertSame(config, ProgramConfig.defaults());
        }

        @Test
        void invoiceDefaultsAreThirtyNetDaysAndAHundredLines() {
            assertEquals(new ProgramConfig.InvoiceDefaults(30, 100, 24), config.invoice());
        }

        @Test
        void earlyPaymentCreditIsTwoPercentWithinSevenDaysAndOnePercentWithinTen() {
            var early = config.rewards().earlyPayment();

            assertEquals(2, early.size());
            assertEquals(7, early.get(0).withinDays());
            assertEquals(0, new BigDecimal("2").compareTo(early.get(0).percent()));
            assertEquals(10, early.get(1).withinDays());
            assertEquals(0, new BigDecimal("1").compareTo(early.get(1).percent()));
        }

        @Test
        void onTimePointsAreOnePerTenMajorUnitsMinimumOne() {
            assertEquals(new ProgramConfig.OnTimePoints(10, 1), config.rewards().onTimePoints());
        }

        @Test
        void largeInvoiceBonusIsFiveHundredPointsFromTenThousand() {
            var large = config.rewards().largeInvoice();

            assertEquals(0, new BigDecimal("10000").compareTo(large.thresholdMajor()));
            assertEquals(500, large.points());
        }

        @Test
        void streakIsSixOnTimeInvoicesForAThousandPoints() {
            assertEquals(new ProgramConfig.Streak(6, 1000), config.rewards().streak());
        }

        @Test
        void tiersAreBronzeSilverGoldWithTheSpecMultipliersAndThresholds() {
            var tiers = config.rewards().tiers();

            assertEquals(List.of("BRONZE", "SILVER", "GOLD"), tiers.stream().map(ProgramConfig.Tier::name).toList());
            assertAll(
                    () -> assertEquals(0, new BigDecimal("1.0").compareTo(tiers.get(0).multiplier())),
                    () -> assertEquals(0, new BigDecimal("1.25").compareTo(tiers.get(1).multiplier())),
                    () -> assertEquals(5, tiers.get(1).minOnTimeInvoices()),
                    () -> assertEquals(0, new BigDecimal("80").compareTo(tiers.get(1).minOnTimeRatePercent())),
                    () -> assertEquals(0, new BigDecimal("1.5").compareTo(tiers.get(2).multiplier())),
                    () -> assertEquals(12, tiers.get(2).minOnTimeInvoices()),
                    () -> assertEquals(0, new BigDecimal("95").compareTo(tiers.get(2).minOnTimeRatePercent())),
                    () -> assertEquals(12, config.rewards().tierWindowMonths()));
        }

        @Test
        void everyCustomerStartsInBronze() {
            assertEquals("BRONZE", config.rewards().baseTier().name());
        }

        @Test
        void unknownTierNameFallsBackToTheBaseTier() {
            assertEquals("BRONZE", config.rewards().tier("PLATINUM").name());
            assertEquals("GOLD", config.rewards().tier("GOLD").name());
        }

        @Test
        void redemptionIsAHundredPointsForOneMajorUnit() {
            var redemption = config.rewards().redemption();

            assertEquals(100, redemption.points());
            assertEquals(0, BigDecimal.ONE.compareTo(redemption.creditMajor()));
        }

        @Test
        void pointsAndCreditsExpireAfterTwelveMonths() {
            assertEquals(new ProgramConfig.Expiry(12, 12), config.rewards().expiry());
        }

        @Test
        void reminderLadderIsTheSpecSevenSteps() {
            var steps = config.reminders().steps();

            assertEquals(List.of("pre_due", "due_today", "overdue_3", "overdue_7", "overdue_14", "overdue_30",
                    "collections_60"), steps.stream().map(ProgramConfig.ReminderStep::step).toList());
            assertEquals(List.of(-3, 0, 3, 7, 14, 30, 60),
                    steps.stream().map(ProgramConfig.ReminderStep::offsetDays).toList());
        }

        @Test
        void thirtyDaysOverdueEscalatesToTheArTeamAndSixtyToCollections() {
            var steps = config.reminders().steps();

            assertEquals("AR_TEAM", steps.get(5).escalation());
            assertEquals("COLLECTIONS", steps.get(6).escalation());
            assertNull(steps.get(4).escalation());
        }

        @Test
        void customersWithSixPaidInvoicesGetTheWarmerTone() {
            assertEquals(6, config.reminders().warmRelationshipPaidInvoices());
        }
    }

    @Nested
    class InvalidDocuments {
        @Test
        void documentEqualToTheDefaultsParsesToTheSameValues() {
            assertEquals(ProgramConfig.defaults(), ProgramConfig.parse(documentWith(d -> { })));
        }

        @Test
        void earlyPaymentPercentThatIsNotADecimalStringIsNamedByPath() {
            IllegalArgumentException e = invalid(d -> item(d, "earlyPayment", 0, "rewards").put("percent", 2));

            assertNames(e, "rewards.earlyPayment[0].percent");
        }

        @Test
        void earlyPaymentPercentAboveOneHundredIsNamedByPath() {
            IllegalArgumentException e = invalid(d -> item(d, "earlyPayment", 1, "rewards").put("percent", "150"));

            assertNames(e, "rewards.earlyPayment[1].percent");
        }

        @Test
        void earlyPaymentTiersOutOfOrderAreRejected() {
            IllegalArgumentException e = invalid(d -> item(d, "earlyPayment", 1, "rewards").put("withinDays", 7));

            assertNames(e, "rewards.earlyPayment[1].withinDays");
        }

        @Test
        void reminderStepsOutOfOrderAreRejected() {
            IllegalArgumentException e = invalid(d -> item(d, "steps", 3, "reminders").put("offsetDays", 2));

            assertNames(e, "reminders.steps[3].offsetDays");
        }

        @Test
        void duplicateReminderStepIsRejected() {
            IllegalArgumentException e = invalid(d -> item(d, "steps", 1, "reminders").put("step", "pre_due"));

            assertNames(e, "reminders.steps[1].step");
        }

        @Test
        void unknownEscalationIsRejected() {
            IllegalArgumentException e = invalid(d -> item(d, "steps", 5, "reminders").put("escalation", "LAWYERS"));

            assertNames(e, "reminders.steps[5].escalation");
        }

        @Test
        void missingInvoiceDefaultIsNamedByPath() {
            IllegalArgumentException e = invalid(d -> at(d, "invoice").remove("defaultNetDays"));

            assertNames(e, "invoice.defaultNetDays");
        }

        @Test
        void maxLineItemsAboveTheApiLimitIsRejected() {
            IllegalArgumentException e = invalid(d -> at(d, "invoice").put("maxLineItems", 101));

            assertNames(e, "invoice.maxLineItems");
        }

        @Test
        void nonPositiveTierMultiplierIsRejected() {
            IllegalArgumentException e = invalid(d -> item(d, "tiers", 1, "rewards").put("multiplier", "0"));

            assertNames(e, "rewards.tiers[1].multiplier");
        }

        @Test
        void duplicateTierNameIsRejected() {
            IllegalArgumentException e = invalid(d -> item(d, "tiers", 2, "rewards").put("name", "SILVER"));

            assertNames(e, "rewards.tiers[2].name");
        }

        @Test
        void emptyTierListIsRejected() {
            IllegalArgumentException e = invalid(d -> at(d, "rewards").putArray("tiers"));

            assertNames(e, "rewards.tiers");
        }

        @Test
        void largeInvoiceThresholdGivenAsAJsonNumberIsRejected() {
            IllegalArgumentException e = invalid(d -> at(d, "rewards", "largeInvoice").put("thresholdMajor", 10000));

            assertNames(e, "rewards.largeInvoice.thresholdMajor");
        }

        @Test
        void everyProblemIsListedInOneMessage() {
            IllegalArgumentException e = invalid(d -> {
                d.remove("version");
                at(d, "rewards", "streak").put("length", 0);
                at(d, "reminders").put("warmRelationshipPaidInvoices", "six");
            });

            assertAll(
                    () -> assertNames(e, "version"),
                    () -> assertNames(e, "rewards.streak.length"),
                    () -> assertNames(e, "reminders.warmRelationshipPaidInvoices"));
        }

        @Test
        void textThatIsNotJsonIsRejected() {
            var e = assertThrows(IllegalArgumentException.class, () -> ProgramConfig.parse("{ not json"));

            assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        }

        @Test
        void emptyObjectIsRejectedNamingTheMissingSections() {
            var e = assertThrows(IllegalArgumentException.class, () -> ProgramConfig.parse("{}"));

            assertNames(e, "invoice.defaultNetDays");
            assertNames(e, "rewards.earlyPayment");
            assertNames(e, "reminders.steps");
        }
    }
}
