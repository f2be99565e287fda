package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.UUID;

/**
 * A {@code ScheduleV2} (EventBridge Scheduler) or {@code Schedule} (EventBridge rule) event of a function: what it
 * delivers at a given time. Scheduler sends its {@code Input} with the context attributes filled in (the business
 * date of a run is {@code <aws.scheduler.scheduled-time>}, SPEC §3); a rule without {@code Input} sends a
 * "Scheduled Event".
 *
 * @see <a href="https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html">Scheduler context attributes</a>
 */
record ScheduleEvent(String functionId, String name, String type, String input, String expression) {
    String payload(Instant time, String accountId, String stackName) {
        String scheduleArn = "arn:aws:scheduler:" + Clients.REGION.id() + ":" + accountId + ":schedule/default/"
                + stackName + "-" + name;
        if ("ScheduleV2".equals(type)) {
            if (input == null) {
                return "{}";
            }
            return input.replace("<aws.scheduler.scheduled-time>", time.toString())
                    .replace("<aws.scheduler.execution-id>", UUID.randomUUID().toString())
                    .replace("<aws.scheduler.schedule-arn>", scheduleArn)
                    .replace("<aws.scheduler.attempt-number>", "1");
        }
        if (input != null) {
            return input;
        }
        ObjectNode event = HttpApiEvents.JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", accountId);
        event.put("time", time.toString());
        event.put("region", Clients.REGION.id());
        event.putArray("resources").add("arn:aws:events:" + Clients.REGION.id() + ":" + accountId + ":rule/"
                + stackName + "-" + name);
        event.putObject("detail");
        return event.toString();
    }

    static boolean isSchedule(String type) {
        return "ScheduleV2".equals(type) || "Schedule".equals(type);
    }

    static String inputOf(JsonNode properties) {
        JsonNode input = properties.get("Input");
        if (input == null || input.isNull()) {
            return null;
        }
        return input.isTextual() ? input.asText() : input.toString();
    }
}
