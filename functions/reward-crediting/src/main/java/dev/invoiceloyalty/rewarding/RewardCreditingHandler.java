package dev.invoiceloyalty.rewarding;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbRewardStore;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.adapters.SqsBatch;
import dev.invoiceloyalty.config.Env;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.payments.PaymentMessage;
import dev.invoiceloyalty.snapstart.Priming;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lambda entry point of {@code RewardCreditingFunction}. Two triggers share it: SQS batches from
 * {@code PaymentsQueue} (answered with partial batch failures) and the daily {@code ExpireRewards} schedule,
 * whose input {@code {"time": "<scheduled time>", "kind": "expire"}} gives the business time (never the clock).
 */
public final class RewardCreditingHandler implements RequestStreamHandler {
    private final RewardService service;

    public RewardCreditingHandler() {
        this(fromEnvironment());
    }

    public RewardCreditingHandler(RewardService service) {
        this.service = service;
    }

    private static RewardService fromEnvironment() {
        var settings = AwsClients.Settings.fromEnvironment();
        // DynamoDB only: the emails and events of each fact are committed with it and relayed by OutboxRelayFunction.
        DynamoDbClient ddb = AwsClients.configure(DynamoDbClient.builder(), settings, "DYNAMODB").build();
        String table = Env.get("TABLE_NAME");
        if (table == null || table.isBlank()) {
            throw new IllegalStateException("environment variable TABLE_NAME is required");
        }
        ProgramConfig config = ProgramConfig.fromEnvironment();
        Priming.register(new RewardCreditingPriming(ddb, table, config, Env.get("BUSINESS_NAME", "Example Co")));
        return new RewardService(new DynamoDbRewardStore(ddb, table), new DynamoDbCustomerStore(ddb, table),
                new Emails(config, Env.get("BUSINESS_NAME", "Example Co")), config);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.tree(input);
        if (event != null && event.has("Records")) {
            SqsBatch.answer(batch(SqsBatch.messages(event)), output);
        } else {
            output.write(Json.write(schedule(event)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Each record alone: a failure is reported for that record only and SQS retries just it. Returns the failed ids. */
    private List<String> batch(List<SqsBatch.Message> records) {
        List<String> failures = new ArrayList<>();
        for (SqsBatch.Message record : records) {
            try {
                PaymentMessage m = Json.read(record.body(), PaymentMessage.class);
                service.handle(m);
            } catch (RuntimeException e) {
                Log.event("reward_message_failed", "sqsMessageId", record.messageId(), "error",
                        e.getClass().getSimpleName(), "message", String.valueOf(e.getMessage()));
                failures.add(record.messageId());
            }
        }
        return failures;
    }

    private Map<String, Object> schedule(JsonNode event) {
        JsonNode time = event == null ? null : event.get("time");
        if (time == null || !time.isTextual()) {
            throw new IllegalArgumentException("a scheduled run needs {\"time\": \"<ISO instant>\"} from its schedule");
        }
        Instant businessTime = Instant.parse(time.asText());
        int expired = service.expire(businessTime);
        return Map.of("kind", "expire", "time", businessTime.toString(), "expiredLots", expired);
    }
}
