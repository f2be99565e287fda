package dev.invoiceloyalty.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.local.SdkCalls;
import dev.invoiceloyalty.table.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.invoiceloyalty.relay.RelayHarness.event;
import static dev.invoiceloyalty.relay.RelayHarness.invoicePk;
import static dev.invoiceloyalty.relay.RelayHarness.mail;
import static dev.invoiceloyalty.relay.RelayHarness.payment;
import static dev.invoiceloyalty.relay.RelayHarness.sequenceNumber;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults on purpose: a destination that fails, a call that fails after it happened, a queue that does not exist, an
 * item whose messages cannot be read. The answer names the first record still to do; Lambda retries from it (the
 * tests hand the batch again from there, as the event source does), and the end state after deduplication is the
 * fault-free one: nothing is lost, only repeated.
 */
class OutboxRelayFaultTest {

    /** Four outboxes, one per record: mail, event, mail, payment. */
    private static List<ObjectNode> writeFour(RelayHarness relay) {
        relay.outbox(invoicePk("inv_1"), mail("cust-1"));
        relay.outbox(invoicePk("inv_2"), event("inv_2"));
        relay.outbox(invoicePk("inv_3"), mail("cust-3"));
        relay.marker(Keys.webhookEventPk("stripe", "evt_4"), Keys.WEBHOOK_EVENT_SK, payment("inv_4"));
        return relay.records();
    }

    private static Map<String, Set<String>> faultFree() {
        try (RelayHarness relay = new RelayHarness()) {
            assertEquals(List.of(), relay.relay(writeFour(relay)).failures());
            return relay.delivered();
        }
    }

    @Test
    void anEventBusOutageIsReportedAtTheFirstEventRecordAndRedeliveryFromThereLosesNothing() {
        // The batch's PutEvents fails, then the record-by-record PutEvents of the second record too.
        FailingSends outage = FailingSends.first(2, "PutEvents");
        try (RelayHarness relay = new RelayHarness(outage)) {
            List<ObjectNode> records = writeFour(relay);

            RelayHarness.Answer first = relay.relay(records);

            assertEquals(List.of(sequenceNumber(records.get(1))), first.failures(), "the event's record");
            assertEquals(0, outage.left());
            assertTrue(relay.mail().contains("welcome#cust-1"), "the record before it was delivered: " + relay.mail());
            assertEquals(List.of(), relay.events());

            RelayHarness.Answer retry = relay.relay(RelayHarness.from(records, first.failures().get(0)));

            assertEquals(List.of(), retry.failures());
            assertEquals(faultFree(), relay.delivered(), "after deduplication, the fault-free end state");
            assertEquals(1, relay.events().size(), "the event once: nothing sent it before");
        }
    }

    @Test
    void aBatchSendThatFailsAfterItHappenedIsSentAgainRecordByRecordInTheSameInvocation() {
        // SQS took the batch of two emails, but the relay saw an error: at least once, so both go again.
        SdkCalls fault = SdkCalls.failing(1, SdkCalls.When.AFTER).arm();
        try (RelayHarness relay = new RelayHarness(fault)) {
            List<ObjectNode> records = writeFour(relay);

            RelayHarness.Answer answer = relay.relay(records);

            assertTrue(fault.fired());
            assertEquals(List.of(), answer.failures());
            assertEquals(List.of("Sqs:SendMessageBatch", "Sqs:SendMessage", "EventBridge:PutEvents", "Sqs:SendMessage",
                    "Sqs:SendMessage"), relay.calls.calls(), "the batch up to its failure, then each record alone");
            assertEquals(List.of("welcome#cust-1", "welcome#cust-1", "welcome#cust-3", "welcome#cust-3"),
                    relay.mail().stream().sorted().toList(), "both emails twice; the mailer sends each once");
            assertEquals(faultFree(), relay.delivered());
        }
    }

    @Test
    void aQueueThatDoesNotExistStopsTheRelayAtItsFirstRecordAndTheFixedFunctionDeliversTheRest() {
        try (RelayHarness relay = new RelayHarness()) {
            relay.sendTo(relay.queues.get("MailQueue"), relay.queues.get("PaymentsQueue") + "-deleted");
            relay.outbox(invoicePk("inv_1"), mail("cust-1"));
            relay.marker(Keys.webhookEventPk("stripe", "evt_2"), Keys.WEBHOOK_EVENT_SK, payment("inv_2"), event("inv_2"));
            relay.outbox(invoicePk("inv_3"), mail("cust-3"));
            List<ObjectNode> records = relay.records();

            RelayHarness.Answer first = relay.relay(records);

            assertEquals(List.of(sequenceNumber(records.get(1))), first.failures());
            assertTrue(relay.mail().contains("welcome#cust-1"));
            assertEquals(List.of(), relay.payments());
            assertEquals(List.of(), relay.events(), "nothing of the failed record went out alone");

            relay.sendTo(relay.queues.get("MailQueue"), relay.queues.get("PaymentsQueue"));
            RelayHarness.Answer retry = relay.relay(RelayHarness.from(records, first.failures().get(0)));

            assertEquals(List.of(), retry.failures());
            assertEquals(Set.of("welcome#cust-1", "welcome#cust-3"), Set.copyOf(relay.mail()));
            assertEquals(List.of("PaymentRecorded#inv_2"), relay.payments());
            assertEquals(List.of("InvoiceCreated"), relay.events().stream().map(e -> e.detailType()).toList());
        }
    }

    static Stream<Arguments> unreadableMessages() {
        return Stream.of(
                Arguments.of("a string, not a list", Attr.s(Json.write(mail("cust-2")))),
                Arguments.of("an element that is not JSON", AttributeValue.fromL(List.of(Attr.s("not json")))),
                Arguments.of("an element that is a number", AttributeValue.fromL(List.of(Attr.n(42)))),
                Arguments.of("a message without its kind", AttributeValue.fromL(List.of(
                        Attr.s("{\"messageId\":\"mail#x\",\"body\":\"{}\"}")))),
                Arguments.of("a message of an unknown kind", AttributeValue.fromL(List.of(
                        Attr.s("{\"messageId\":\"sms#x\",\"kind\":\"SMS\",\"body\":\"{}\"}")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableMessages")
    void anUnreadableMessagesAttributeIsReportedAndTheRecordsBeforeItAreDelivered(String what, AttributeValue messages) {
        try (RelayHarness relay = new RelayHarness()) {
            relay.outbox(invoicePk("inv_1"), mail("cust-1"));
            relay.put(invoicePk("inv_2"), "OUTBOX#broken", Map.of(OutboxItems.RELAY, Attr.s(OutboxItems.RELAY_OUTBOX),
                    OutboxItems.MESSAGES, messages));
            relay.outbox(invoicePk("inv_3"), mail("cust-3"));
            List<ObjectNode> records = relay.records();

            RelayHarness.Answer first = relay.relay(records);

            assertEquals(List.of(sequenceNumber(records.get(1))), first.failures());
            assertEquals(List.of("welcome#cust-1"), relay.mail(), "only the record before it");

            // Lambda retries from it: it fails again, and nothing after it goes out until bisection and the
            // dead-letter queue take it off the shard.
            RelayHarness.Answer retry = relay.relay(RelayHarness.from(records, first.failures().get(0)));

            assertEquals(first.failures(), retry.failures());
            assertEquals(List.of("welcome#cust-1"), relay.mail());
        }
    }

    @Test
    void anUnreadableRecordAloneAfterBisectionIsReportedAndTheRecordsAfterItGoOnceItIsGone() {
        try (RelayHarness relay = new RelayHarness()) {
            relay.put(invoicePk("inv_1"), "OUTBOX#broken", Map.of(OutboxItems.RELAY, Attr.s(OutboxItems.RELAY_OUTBOX),
                    OutboxItems.MESSAGES, AttributeValue.fromL(List.of(Attr.s("not json")))));
            OutboxMessage later = mail("cust-2");
            relay.outbox(invoicePk("inv_2"), later);
            List<ObjectNode> records = relay.records();

            RelayHarness.Answer bisected = relay.relay(records.subList(0, 1));
            RelayHarness.Answer rest = relay.relay(records.subList(1, 2));

            assertEquals(List.of(sequenceNumber(records.get(0))), bisected.failures());
            assertEquals(List.of(), rest.failures());
            assertEquals(List.of(later.body()), relay.mailBodies());
        }
    }
}
