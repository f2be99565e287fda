package dev.invoiceloyalty.reminders.sweep;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.reminders.ReminderLadder;
import dev.invoiceloyalty.snapstart.Priming;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Lambda entry point of {@code ReminderSweepFunction}, invoked by the daily ScheduleV2 event {@code DailySweep} with
 * the input {@code {"time": "<aws.scheduler.scheduled-time>", "kind": "daily"}}. The business time is that
 * {@code time}, never the clock: replaying the input of a past day re-runs that day (SPEC §3). Answers
 * {@code {"time","due","sent","skipped","escalated"}} ({@link SweepResult}).
 *
 * <p>The function talks to DynamoDB only: what a step announces is committed with it as an outbox item, and
 * {@code OutboxRelayFunction} sends it from the table's stream. A run that fails (an SDK error after the SDK's own
 * retries) throws, so Lambda's asynchronous retry runs it again and picks up the invoices it did not reach; what the
 * failed run recorded has left the index, and its messages are on the stream already.
 */
public final class ReminderSweepHandler implements RequestStreamHandler {
    private final ReminderSweep sweep;

    /** The Lambda runtime's constructor: clients and configuration once per container. */
    public ReminderSweepHandler() {
        this(fromEnvironment(AwsClients.Settings.fromEnvironment()));
        Priming.register(new ReminderSweepPriming(sweep));
    }

    private static ReminderSweep fromEnvironment(AwsClients.Settings aws) {
        return create(SweepSettings.fromEnvironment(),
                AwsClients.configure(DynamoDbClient.builder(), aws, "DYNAMODB").build(),
                ProgramConfig.fromEnvironment(), ReminderLadder.current(), 0);
    }

    public ReminderSweepHandler(ReminderSweep sweep) {
        this.sweep = sweep;
    }

    /**
     * The sweep wired to its backends.
     *
     * @param ladder    the ladder the table's index was written with ({@link ReminderLadder#current()} in Lambda)
     * @param pageLimit invoices per index page; 0 for DynamoDB's 1 MB pages
     */
    public static ReminderSweep create(SweepSettings settings, DynamoDbClient ddb, ProgramConfig config,
                                       ReminderLadder ladder, int pageLimit) {
        var store = new DynamoDbReminderStore(ddb, settings.tableName(), pageLimit);
        var messages = new ReminderStepMessages(new Emails(config, settings.businessName()), settings.arTeamEmail(),
                settings.collectionsEmail());
        return new ReminderSweep(store, ladder, messages);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.tree(input);
        SweepResult result = sweep.run(businessTime(event));
        output.write(Json.write(result.toMap()).getBytes(StandardCharsets.UTF_8));
    }

    static Instant businessTime(JsonNode event) {
        JsonNode time = event == null ? null : event.get("time");
        if (time == null || !time.isTextual()) {
            throw new IllegalArgumentException("the sweep needs {\"time\": \"<ISO instant>\"} from its schedule");
        }
        try {
            return Instant.parse(time.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"time\" is not an ISO-8601 instant: " + time.asText(), e);
        }
    }
}
