package dev.invoiceloyalty.reminders.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.invoiceloyalty.reminders.sweep.SweepHarness.DUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The handler as Lambda invokes it, with the sample event that {@code sam local invoke -e} uses. */
class ReminderSweepHandlerTest {
    static final Path SAMPLE = Path.of("../../events/reminder-sweep/daily-sweep.json");

    @Test
    void GIVEN_the_sample_schedule_input_WHEN_invoked_THEN_the_business_time_is_the_inputs_and_the_answer_counts_the_run()
            throws IOException {
        var h = new SweepHarness();
        h.customer("cus-sample", "en", "Europe/Berlin");
        h.invoice("inv-sample", "cus-sample"); // due 2026-12-10, the sample's date

        JsonNode result = h.invoke(Files.readString(SAMPLE, StandardCharsets.UTF_8));

        assertEquals("2026-12-10T08:00:00Z", result.path("time").asText());
        assertEquals(List.of("time", "due", "sent", "skipped", "escalated"),
                List.copyOf(iterable(result)));
        assertEquals(1, result.path("due").asInt());
        assertEquals(1, result.path("sent").asInt());
        assertEquals(List.of("reminder#inv-sample#due_today"), h.emailIds());
        assertEquals("2026-12-10T08:00:00Z", h.invoice("inv-sample").reminders().get(0).sentAt(),
                "the step is dated with the business time, not the clock");
        assertEquals(DUE.toString(), h.invoice("inv-sample").dueDate());
    }

    @Test
    void GIVEN_an_input_without_a_time_WHEN_invoked_THEN_the_run_fails_rather_than_guess_the_date() {
        var h = new SweepHarness();

        assertThrows(IllegalArgumentException.class, () -> h.invoke("{\"kind\": \"daily\"}"));
        assertThrows(IllegalArgumentException.class, () -> h.invoke("{\"time\": \"yesterday\"}"));
    }

    private static java.util.List<String> iterable(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
