package dev.invoiceloyalty.relay;

import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import dev.invoiceloyalty.local.CapturedEvent;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.SdkCalls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SqsEventBridgeOutboxSender#sendAll}, with which the outbox relay sends what every function
 * writes to the outbox: one call per destination and batch of ten (issue 8), and a refused entry fails the whole send
 * so the relay's retry sends it again.
 */
class OutboxSenderBatchingTest {
    private final LocalBackends backends = LocalBackends.shared();
    private final SdkCalls calls = SdkCalls.recording().arm();
    private Map<String, String> queues;
    private String bus;
    private SqsEventBridgeOutboxSender sender;

    @BeforeEach
    void setUp() {
        queues = backends.createQueues();
        bus = "batching-" + UUID.randomUUID();
        var settings = AwsClients.Settings.forEndpoint(backends.sqs().endpoint()).withInterceptor(calls);
        SqsClient sqs = AwsClients.configure(SqsClient.builder(), settings, "SQS").build();
        EventBridgeClient events = AwsClients.configure(EventBridgeClient.builder(),
                AwsClients.Settings.forEndpoint(backends.eventBridge().endpoint()).withInterceptor(calls), "EVENTBRIDGE")
                .build();
        sender = new SqsEventBridgeOutboxSender(sqs, queues.get("MailQueue"), queues.get("PaymentsQueue"), events, bus);
    }

    @Test
    void givenOnePaymentMessageAndTwoEventsThenOneSendMessageAndOnePutEvents() {
        sender.sendAll(List.of(payment(1), event(1, "{\"n\":1}"), event(2, "{\"n\":2}")));

        assertEquals(List.of("Sqs:SendMessage", "EventBridge:PutEvents"), calls.calls());
        assertEquals(List.of("{\"n\":\"payment-1\"}"), bodies("PaymentsQueue"));
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), details());
    }

    @Test
    void givenThreeMailsTwoPaymentsAndTwelveEventsThenOneBatchPerQueueAndTwoPutEvents() {
        List<OutboxMessage> messages = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            messages.add(OutboxMessage.mail("mail-" + i, "{\"n\":\"mail-" + i + "\"}"));
        }
        messages.add(payment(1));
        messages.add(payment(2));
        for (int i = 1; i <= 12; i++) {
            messages.add(event(i, "{\"n\":" + i + "}"));
        }

        sender.sendAll(messages);

        assertEquals(List.of("Sqs:SendMessageBatch", "Sqs:SendMessageBatch", "EventBridge:PutEvents",
                "EventBridge:PutEvents"), calls.calls());
        assertEquals(3, bodies("MailQueue").size());
        assertEquals(2, bodies("PaymentsQueue").size());
        assertEquals(12, details().size(), "ten in the first PutEvents, two in the second");
    }

    @Test
    void givenAnEventTheBusRefusesThenTheSendFailsSoTheCallerRetries() {
        var refused = OutboxMessage.event("bad", "Bad", "not a JSON object");

        var e = assertThrows(IllegalStateException.class,
                () -> sender.sendAll(List.of(payment(1), event(1, "{\"n\":1}"), refused)));

        assertTrue(e.getMessage().contains("EventBridge refused 1 of 2"), e.getMessage());
        assertEquals(List.of("{\"n\":1}"), details(), "the bus kept the good entry; the relay's retry sends it again");
    }

    private static OutboxMessage payment(int i) {
        return OutboxMessage.payment("payment-" + i, "PaymentRecorded", "{\"n\":\"payment-" + i + "\"}");
    }

    private static OutboxMessage event(int i, String detail) {
        return OutboxMessage.event("event-" + i, "Numbered", detail);
    }

    private List<String> bodies(String logicalId) {
        List<String> out = new ArrayList<>();
        var received = backends.sqs().client().receiveMessage(r -> r.queueUrl(queues.get(logicalId))
                .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        received.forEach(m -> out.add(m.body()));
        return out;
    }

    private List<String> details() {
        return backends.eventBridge().events().stream().filter(e -> e.eventBusName().equals(bus))
                .map(CapturedEvent::detail).toList();
    }
}
