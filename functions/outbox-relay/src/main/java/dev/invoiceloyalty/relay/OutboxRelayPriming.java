package dev.invoiceloyalty.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.OutboxRelay;
import dev.invoiceloyalty.adapters.OutboxSender;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingResource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.invoiceloyalty.snapstart.Priming.expect;

/**
 * SnapStart priming of {@code OutboxRelayFunction}: a constant stream batch of the three kinds of outbox item (an
 * invoice creation's {@code OUTBOX#} item, a webhook event's marker, a reward's marker), as bytes shaped as Lambda
 * delivers them, read by the handler's own reader, relayed by the production {@link OutboxRelay} through a sender
 * that only builds the function's SQS and EventBridge requests ({@link SqsEventBridgeOutboxSender#requests}) and
 * never makes them, and the partial batch response written. No SDK call at all: the relay makes no reads, and
 * every call it makes is a send.
 */
final class OutboxRelayPriming extends PrimingResource {
    /** Not a real stream's: priming never answers Lambda, so the sample's ids only need to be well-formed. */
    static final String STREAM_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/snapstart-priming/stream/"
            + "2026-01-05T09:00:00.000";

    private final SqsEventBridgeOutboxSender sender;

    /** @param sender the handler's sender: priming builds its requests, which loads the SDK model classes */
    OutboxRelayPriming(SqsEventBridgeOutboxSender sender) {
        super("outbox-relay");
        this.sender = sender;
    }

    @Override
    protected void prime(Priming.Run run) {
        JsonNode[] event = new JsonNode[1];
        run.step("stream-event", () -> {
            event[0] = OutboxRelayHandler.readEvent(new ByteArrayInputStream(streamEvent()));
            expect(event[0].get("Records").size() == 3, "three sample records");
        });
        List<SdkRequest> requests = new ArrayList<>();
        OutboxRelay.Result[] result = new OutboxRelay.Result[1];
        run.step("relay", () -> {
            result[0] = new OutboxRelay(building(requests)).relay(event[0]);
            expect(result[0].failedSequenceNumber() == null && result[0].relayed() == 3 && result[0].messages() == 8,
                    "three outboxes of eight messages relayed, got " + result[0]);
        });
        run.step("send-requests", () -> expect(requests.size() == 3
                        && requests.get(0) instanceof SendMessageBatchRequest mail && mail.entries().size() == 3
                        && requests.get(1) instanceof SendMessageRequest
                        && requests.get(2) instanceof PutEventsRequest events && events.entries().size() == 4,
                "three emails in one batch, one payment message, four events in one PutEvents, got " + requests));
        run.step("batch-response", () -> {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            OutboxRelayHandler.writeResponse(new OutboxRelay.Result(3, 3, 0, 0, "snapstart-priming"), answer);
            expect(answer.toString(StandardCharsets.UTF_8)
                    .equals("{\"batchItemFailures\":[{\"itemIdentifier\":\"snapstart-priming\"}]}"), "a batch answer");
        });
    }

    /** A sender that adds the requests the function's sender would make to {@code requests}, and sends nothing. */
    private OutboxSender building(List<SdkRequest> requests) {
        return new OutboxSender() {
            @Override
            public void send(OutboxMessage message) {
                sendAll(List.of(message));
            }

            @Override
            public void sendAll(List<OutboxMessage> messages) {
                requests.addAll(sender.requests(messages));
            }
        };
    }

    /** The batch Lambda's DynamoDB event source would deliver for the three sample items, with every field it sends. */
    static byte[] streamEvent() {
        ObjectNode event = Json.object();
        ArrayNode records = event.putArray("Records");
        record(records, "INVOICE#inv_priming", "OUTBOX#mail#invoice-issued#inv_priming", List.of(
                mail("invoice-issued"),
                OutboxMessage.event("InvoiceCreated#inv_priming", "InvoiceCreated",
                        "{\"invoiceId\":\"inv_priming\",\"customerId\":\"priming-customer\",\"currency\":\"EUR\"}")));
        record(records, "WEBHOOK#stripe#evt_priming", "EVENT", List.of(
                OutboxMessage.event("PaymentRecorded#stripe#pi_priming", "PaymentRecorded",
                        "{\"invoiceId\":\"inv_priming\",\"customerId\":\"priming-customer\",\"currency\":\"EUR\"}"),
                OutboxMessage.payment("PaymentRecorded#inv_priming", "PaymentRecorded",
                        "{\"type\":\"PaymentRecorded\",\"messageId\":\"PaymentRecorded#inv_priming\","
                                + "\"invoiceId\":\"inv_priming\",\"customerId\":\"priming-customer\"}"),
                OutboxMessage.event("InvoicePaid#inv_priming", "InvoicePaid",
                        "{\"invoiceId\":\"inv_priming\",\"status\":\"PAID\"}")));
        record(records, "REWARD#inv_priming#PAID", "REWARD", List.of(
                OutboxMessage.event("RewardCredited#inv_priming#early", "RewardCredited",
                        "{\"customerId\":\"priming-customer\",\"entry\":{\"entryId\":\"inv_priming#early\"}}"),
                mail("payment-received"), mail("reward-notice")));
        return Json.bytes(event);
    }

    /** An email of {@code template} about the sample invoice, as its producer puts it on MailQueue (model left out). */
    private static OutboxMessage mail(String template) {
        String emailId = template + "#inv_priming";
        return OutboxMessage.mail(emailId, "{\"emailId\":\"" + emailId + "\",\"template\":\"" + template
                + "\",\"language\":\"en\",\"to\":[\"priming@example.com\"],\"cc\":[],"
                + "\"customerId\":\"priming-customer\",\"invoiceId\":\"inv_priming\",\"model\":{},"
                + "\"onlyIfCollectible\":false}");
    }

    private static void record(ArrayNode records, String pk, String sk, List<OutboxMessage> messages) {
        int n = records.size() + 1;
        ObjectNode record = records.addObject();
        record.put("eventID", "snapstart-priming-" + n);
        record.put("eventName", "INSERT");
        record.put("eventVersion", "1.1");
        record.put("eventSource", "aws:dynamodb");
        record.put("awsRegion", "us-east-1");
        ObjectNode change = record.putObject("dynamodb");
        change.put("ApproximateCreationDateTime", 1767603600L);
        ObjectNode keys = change.putObject("Keys");
        keys.putObject("pk").put("S", pk);
        keys.putObject("sk").put("S", sk);
        ObjectNode image = change.putObject("NewImage");
        image.putObject("pk").put("S", pk);
        image.putObject("sk").put("S", sk);
        ArrayNode list = image.putObject(OutboxItems.MESSAGES).putArray("L");
        for (OutboxMessage m : messages) {
            list.addObject().put("S", Json.write(m));
        }
        image.putObject(OutboxItems.RELAY).put("S", OutboxItems.RELAY_OUTBOX);
        change.put("SequenceNumber", "10000000000000000000000" + n);
        change.put("SizeBytes", 512);
        change.put("StreamViewType", "NEW_IMAGE");
        record.put("eventSourceARN", STREAM_ARN);
    }
}
