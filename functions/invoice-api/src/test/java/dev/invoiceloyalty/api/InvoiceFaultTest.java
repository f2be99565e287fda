package dev.invoiceloyalty.api;

import dev.invoiceloyalty.adapters.OutboxItems;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fault at any step ends in the same state as no fault: one invoice, one outbox item, one issued email and one
 * InvoiceCreated event. The API's own faults are on its one write (the transaction); the sends are the relay's, so
 * their faults are on the relay's SQS client, and Lambda's retry of the stream batch makes them whole.
 */
class InvoiceFaultTest {
    private static final String BODY = ApiHarness.invoiceBody("cf", "EUR", ",\"externalReference\":\"PO-9\"");

    private static ApiHarness harness(List<FailingCall> ddb, List<FailingCall> relaySqs) {
        var h = new ApiHarness(List.copyOf(ddb), List.copyOf(relaySqs));
        h.createCustomer("cf", "en");
        h.drainMail();
        ddb.forEach(FailingCall::arm);
        relaySqs.forEach(FailingCall::arm);
        return h;
    }

    /** The fault-free end state; {@code mail} is what MailQueue received, at least once per email id. */
    private static void assertOneInvoiceOneOutboxOneEmailOneEvent(ApiHarness h, ApiHarness.Response last,
                                                                  List<com.fasterxml.jackson.databind.JsonNode> mail) {
        assertEquals(201, last.status(), last.body());
        String invoiceId = last.json().get("invoiceId").asText();
        assertEquals("INV-2026-000001", last.json().get("number").asText());
        var items = h.snapshot();
        assertEquals(1, items.stream().filter(i -> i.get("sk").s().equals("INVOICE")).count());
        var outbox = h.outboxItems().stream().filter(i -> i.get("pk").s().startsWith("INVOICE#")).toList();
        assertEquals(1, outbox.size(), "one outbox item for the one creation");
        assertEquals("INVOICE#" + invoiceId, outbox.get(0).get("pk").s());
        assertEquals(2, OutboxItems.messagesOf(outbox.get(0)).size(), "the issued email and InvoiceCreated");
        assertEquals(List.of("invoice-issued#" + invoiceId),
                mail.stream().map(m -> m.get("emailId").asText()).distinct().toList());
        assertEquals(1, h.busEvents().stream().filter(e -> e.detailType().equals("InvoiceCreated")
                && e.detail().contains(invoiceId)).count());
        assertEquals(1, h.busEvents().size());
    }

    @Test
    void aTransactionThatFailsBeforeReachingTheTableWritesAndRelaysNothingAndTheRetryCreatesOnce() {
        var h = harness(List.of(new FailingCall("TransactWriteItems", 1, FailingCall.When.BEFORE)), List.of());
        var before = h.snapshot();

        var first = h.createInvoice("fault-1", BODY);
        var afterFault = h.snapshot();
        var relayedAfterFault = h.relay();
        var retry = h.createInvoice("fault-1", BODY);
        var mail = h.drainMail();

        assertEquals(500, first.status());
        assertEquals(before, afterFault);
        assertEquals(0, relayedAfterFault.outboxes());
        assertEquals(1, mail.size());
        assertOneInvoiceOneOutboxOneEmailOneEvent(h, retry, mail);
    }

    @Test
    void aFunctionThatDiesAfterItsCommitStillHasItsMessagesRelayedOnceAndTheRetryOnlyReplays() {
        var h = harness(List.of(new FailingCall("TransactWriteItems", 1, FailingCall.When.AFTER)), List.of());

        var first = h.createInvoice("fault-2", BODY);
        var relayedAfterDeath = h.relay();
        var mail = h.drainMail();
        var retry = h.createInvoice("fault-2", BODY);
        var relayedAfterRetry = h.relay();

        assertEquals(500, first.status());
        assertEquals(1, relayedAfterDeath.outboxes(), "the committed outbox item is on the stream");
        assertEquals(1, mail.size());
        assertEquals("true", retry.headers().get("idempotent-replayed"));
        assertEquals(0, relayedAfterRetry.outboxes(), "a replay inserts nothing, so nothing is sent twice");
        assertEquals(0, h.drainMail().size());
        assertOneInvoiceOneOutboxOneEmailOneEvent(h, retry, mail);
    }

    @Test
    void aThrottledQueueSendFailsTheRelaysRecordAndLambdasRetrySendsTheEmailOnce() {
        // The relay's batch send and its record-by-record fallback both fail: it names the record, Lambda retries it.
        var h = harness(List.of(), List.of(FailingCall.firstCalls("SendMessage", 2, FailingCall.When.BEFORE)));

        var created = h.createInvoice("fault-3", BODY);
        var relayed = h.relay();
        var mail = h.drainMail();

        assertEquals(1, relayed.outboxes());
        assertEquals(1, relayed.retries());
        assertEquals(1, mail.size());
        assertOneInvoiceOneOutboxOneEmailOneEvent(h, created, mail);
    }

    @Test
    void aFailureAfterTheQueueAcceptedTheEmailMayRepeatTheMessageButNeverTheEmailIdNorTheEvent() {
        var h = harness(List.of(), List.of(new FailingCall("SendMessage", 1, FailingCall.When.AFTER)));

        var created = h.createInvoice("fault-4", BODY);
        var mail = h.drainMail();
        var retry = h.createInvoice("fault-4", BODY);

        assertEquals(created.body(), retry.body());
        assertEquals(0, h.relay().outboxes());
        // at-least-once delivery to the queue: the mailer sends each email id once (see MailerFunction)
        assertEquals(2, mail.size(), "the relay's fallback sent the accepted email again");
        assertOneInvoiceOneOutboxOneEmailOneEvent(h, created, mail);
    }
}
