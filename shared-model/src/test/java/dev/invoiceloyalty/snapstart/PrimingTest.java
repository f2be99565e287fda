package dev.invoiceloyalty.snapstart;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A priming pass survives its failures: a failed step is recorded and skipped, and the checkpoint hook never throws. */
class PrimingTest {
    /** A resource whose second step fails as a missing class would, and whose fourth breaks an expectation. */
    private static final class Sample extends PrimingResource {
        final List<String> ran = new ArrayList<>();

        Sample() {
            super("sample");
        }

        @Override
        protected void prime(Priming.Run run) {
            run.step("one", () -> ran.add("one"))
                    .step("missing-class", () -> {
                        throw new NoClassDefFoundError("software/amazon/Absent");
                    })
                    .step("three", () -> ran.add("three"))
                    .step("wrong-outcome", () -> Priming.expect(false, "a 404"));
        }
    }

    @Test
    void aFailingStepIsRecordedAndTheOthersStillRun() {
        var resource = new Sample();

        resource.beforeCheckpoint(null);
        resource.afterRestore(null);

        var summary = resource.lastSummary();
        assertEquals(List.of("one", "three"), resource.ran);
        assertEquals(List.of("one", "three"), summary.completed());
        assertEquals(List.of("missing-class", "wrong-outcome"), List.copyOf(summary.failed().keySet()));
        assertTrue(summary.failed().get("wrong-outcome").contains("a 404"));
        assertFalse(summary.clean());
    }

    @Test
    void aPassThatBreaksOutsideAnyStepStillReturnsASummary() {
        var resource = new PrimingResource("broken") {
            @Override
            protected void prime(Priming.Run run) {
                throw new IllegalStateException("no samples");
            }
        };

        resource.beforeCheckpoint(null);

        assertEquals(Map.of("(pass)", "IllegalStateException: no samples"), resource.lastSummary().failed());
    }

    @Test
    void registeringKeepsAStrongReferenceAndReturnsTheResource() {
        var resource = new Sample();

        var returned = Priming.register(resource);

        assertSame(resource, returned);
        assertSame(resource, Priming.registered().get(Priming.registered().size() - 1));
    }

    @Test
    void theSamplesAreMadeByTheDomainAndTheAbsentIdIsNoValidId() {
        var config = dev.invoiceloyalty.config.ProgramConfig.defaults();

        var paid = PrimingSamples.paidInvoice(config);

        assertEquals(dev.invoiceloyalty.domain.InvoiceStatus.PAID, paid.status());
        assertEquals(PrimingSamples.invoice(config).total(), paid.amountPaid());
        assertFalse(dev.invoiceloyalty.domain.CustomerProfile.ID.matcher(PrimingSamples.ABSENT_ID).matches());
    }
}
