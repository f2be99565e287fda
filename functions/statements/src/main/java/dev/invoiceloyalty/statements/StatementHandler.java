package dev.invoiceloyalty.statements;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.snapstart.Priming;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Lambda entry point of {@code StatementFunction}. Its two ScheduleV2 events pass
 * {@code {"time": "<aws.scheduler.scheduled-time>", "kind": "weekly" | "monthly"}}; the business date is that
 * time's date in {@code DEFAULT_TIME_ZONE}, never the clock (SPEC §3), so replaying a past input re-runs that day.
 */
public final class StatementHandler implements RequestStreamHandler {
    static {
        // Lambda has no display; JFreeChart and PDFBox draw off-screen.
        System.setProperty("java.awt.headless", "true");
    }

    private final WeeklyStatement weekly;
    private final MonthlyStatements monthly;
    private final StatementSettings settings;

    public StatementHandler() {
        this(StatementSettings.fromEnvironment(), AwsClients.Settings.fromEnvironment());
        Priming.register(new StatementPriming(weekly, monthly, settings));
    }

    public StatementHandler(StatementSettings settings, AwsClients.Settings aws) {
        this(settings, AwsClients.configure(DynamoDbClient.builder(), aws, "DYNAMODB").build(),
                StatementMailer.client(aws), ProgramConfig.fromEnvironment(), Clock.systemUTC());
    }

    /** With the clients given (tests, the local stack); {@code clock} only times the send lease. */
    public StatementHandler(StatementSettings settings, DynamoDbClient ddb, SesV2Client ses, ProgramConfig config,
                            Clock clock) {
        this.settings = settings;
        var reader = new StatementReader(ddb, settings.table());
        // A statement takes seconds to render and send; a run that died holding it is taken over after this.
        var log = new SentStatementLog(ddb, settings.table(), Duration.ofMinutes(5));
        var mailer = new StatementMailer(ses, log, settings.fromAddress(), clock);
        this.weekly = new WeeklyStatement(reader, mailer, settings, config);
        this.monthly = new MonthlyStatements(reader, mailer, settings);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.tree(input);
        JsonNode time = event == null ? null : event.get("time");
        if (time == null || !time.isTextual()) {
            throw new IllegalArgumentException("a scheduled run needs {\"time\": \"<ISO instant>\", \"kind\": ...} from its schedule");
        }
        LocalDate businessDate = Instant.parse(time.asText()).atZone(settings.businessZone()).toLocalDate();
        String kind = event.path("kind").asText("");
        Object result = switch (kind) {
            case "weekly" -> weekly.run(businessDate);
            case "monthly" -> monthly.run(businessDate);
            default -> throw new IllegalArgumentException("kind must be \"weekly\" or \"monthly\", not \"" + kind + "\"");
        };
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }
}
