package dev.invoiceloyalty.domain;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppliedCreditTest {
    private static final CreditLot JAN = new CreditLot("e-jan", "USD", 500, "2027-01-15T00:00:00Z");
    private static final CreditLot MAR = new CreditLot("e-mar", "USD", 700, "2027-03-15T00:00:00Z");
    private static final CreditLot JUN = new CreditLot("e-jun", "USD", 900, "2027-06-15T00:00:00Z");

    private static List<String> lotIds(List<AppliedCredit> applied) {
        return applied.stream().map(a -> a.lot().entryId()).toList();
    }

    private static long sum(List<AppliedCredit> applied) {
        return applied.stream().mapToLong(AppliedCredit::amount).sum();
    }

    @Test
    void oldestExpiringLotIsSpentFirstWhateverTheInputOrder() {
        List<AppliedCredit> applied = AppliedCredit.apply(List.of(JUN, JAN, MAR), 300);

        assertEquals(List.of(new AppliedCredit(JAN, 300)), applied);
    }

    @Test
    void lotsAreUsedUpInExpiryOrderUntilTheGrossIsCovered() {
        List<AppliedCredit> applied = AppliedCredit.apply(List.of(MAR, JUN, JAN), 1_000);

        assertEquals(List.of(new AppliedCredit(JAN, 500), new AppliedCredit(MAR, 500)), applied);
    }

    @Test
    void creditNeverExceedsTheGross() {
        List<AppliedCredit> applied = AppliedCredit.apply(List.of(JAN, MAR, JUN), 1_234);

        assertEquals(1_234, sum(applied));
    }

    @Test
    void allCreditIsUsedWhenTheGrossIsLarger() {
        List<AppliedCredit> applied = AppliedCredit.apply(List.of(JAN, MAR, JUN), 10_000);

        assertEquals(List.of(new AppliedCredit(JAN, 500), new AppliedCredit(MAR, 700), new AppliedCredit(JUN, 900)),
                applied);
    }

    @Test
    void noLotIsOverdrawn() {
        List<AppliedCredit> applied = AppliedCredit.apply(List.of(JAN, MAR, JUN), 10_000);

        applied.forEach(a -> assertTrue(a.amount() <= a.lot().remaining(), a.toString()));
    }

    @Test
    void emptyLotIsSkippedWithoutStoppingTheLaterOnes() {
        CreditLot spent = new CreditLot("e-spent", "USD", 0, "2026-12-01T00:00:00Z");

        List<AppliedCredit> applied = AppliedCredit.apply(List.of(spent, MAR), 400);

        assertEquals(List.of(new AppliedCredit(MAR, 400)), applied);
    }

    @Test
    void lotExactlyCoveringTheGrossStopsTheSpending() {
        List<AppliedCredit> applied = AppliedCredit.apply(List.of(JAN, MAR), 500);

        assertEquals(List.of("e-jan"), lotIds(applied));
    }

    @Test
    void zeroGrossUsesNothing() {
        assertTrue(AppliedCredit.apply(List.of(JAN, MAR), 0).isEmpty());
    }

    @Test
    void noLotsApplyNothing() {
        assertTrue(AppliedCredit.apply(List.of(), 5_000).isEmpty());
    }

    @Test
    void lotsExpiringTogetherAreSpentInEntryIdOrderSoTheChoiceIsStable() {
        CreditLot b = new CreditLot("e-b", "USD", 100, "2027-01-15T00:00:00Z");
        CreditLot a = new CreditLot("e-a", "USD", 100, "2027-01-15T00:00:00Z");

        assertEquals(List.of("e-a"), lotIds(AppliedCredit.apply(List.of(b, a), 100)));
    }

    @Test
    void inputListIsNotReordered() {
        List<CreditLot> lots = new java.util.ArrayList<>(List.of(JUN, JAN));

        AppliedCredit.apply(lots, 100);

        assertEquals(List.of(JUN, JAN), lots);
    }
}
