package dev.invoiceloyalty.relay;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.adapters.OutboxRelay;
import dev.invoiceloyalty.adapters.OutboxSender;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import dev.invoiceloyalty.snapstart.Priming;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code OutboxRelayFunction}: the table's DynamoDB stream, filtered to inserted items that carry messages
 * ({@code OutboxItems} in shared-model), in; the messages sent to MailQueue, PaymentsQueue and the integration bus
 * ({@link OutboxRelay}); the partial batch response out. The door only: reading the event, relaying it, answering.
 *
 * <p>The answer {@code {"batchItemFailures":[{"itemIdentifier":"<SequenceNumber>"}]}} names the first record that
 * could not be sent; Lambda checkpoints the records before it and retries from it. An event that is not a stream
 * batch at all (not JSON, no {@code Records}) throws: Lambda then retries the whole batch, bisects it and finally
 * hands its position to the dead-letter queue, instead of checkpointing past records nobody sent.
 *
 * <p>A stream handler: the event is read and the answer written with our one mapper, so a cold start loads neither
 * the runtime's event serializer nor the typed event classes.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html">Partial batch responses for DynamoDB streams</a>
 */
public final class OutboxRelayHandler implements RequestStreamHandler {
    private final OutboxRelay relay;

    /** The Lambda runtime's constructor: called once per container, so the SDK clients are built once. */
    public OutboxRelayHandler() {
        OutboxRelaySettings settings = OutboxRelaySettings.fromEnvironment();
        AwsClients.Settings aws = AwsClients.Settings.fromEnvironment();
        SqsClient sqs = AwsClients.configure(SqsClient.builder(), aws, "SQS").build();
        EventBridgeClient events = AwsClients.configure(EventBridgeClient.builder(), aws, "EVENTBRIDGE").build();
        SqsEventBridgeOutboxSender sender = new SqsEventBridgeOutboxSender(sqs, settings.mailQueueUrl(),
                settings.paymentsQueueUrl(), events, settings.eventBusName());
        this.relay = new OutboxRelay(sender);
        Priming.register(new OutboxRelayPriming(sender));
    }

    /** For tests: relays through {@code sender}, without SnapStart priming. */
    OutboxRelayHandler(OutboxSender sender) {
        this(new OutboxRelay(sender));
    }

    /** For tests: the relay supplied. */
    OutboxRelayHandler(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String requestId = context == null ? null : context.getAwsRequestId();
        JsonNode event;
        try {
            event = readEvent(input);
        } catch (IOException | RuntimeException e) {
            Log.event("outbox_relay_rejected", "requestId", requestId, "error", e.getClass().getSimpleName(),
                    "message", String.valueOf(e.getMessage()));
            throw e;
        }
        OutboxRelay.Result result = relay.relay(event);
        writeResponse(result, output);
        Log.event("outbox_relay", "records", result.records(), "outboxes", result.outboxes(),
                "relayed", result.relayed(), "messages", result.messages(), "failed", result.failedSequenceNumber(),
                "requestId", requestId);
    }

    /**
     * Lambda's DynamoDB stream event, {@code {"Records":[...]}}; throws on anything else, so the event source
     * retries the batch rather than skipping it.
     */
    static JsonNode readEvent(InputStream input) throws IOException {
        JsonNode event = Json.tree(input);
        if (event == null || !event.isObject() || !event.path("Records").isArray()) {
            throw new IllegalArgumentException("not a DynamoDB stream event: expected {\"Records\":[...]}");
        }
        return event;
    }

    /** The partial batch response, written without closing the runtime's stream. */
    static void writeResponse(OutboxRelay.Result result, OutputStream output) throws IOException {
        output.write(Json.bytes(result.response()));
    }
}
