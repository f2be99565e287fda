package dev.invoiceloyalty.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fault at any step ends in the same state as no fault once the client retries with its Idempotency-Key:
 * one invoice, one issued email, one InvoiceCreated event, no pending outbox.
 */
class InvoiceFaultTest {
    private static final String BODY = ApiHarness.invoiceBody("cf", "EUR", ",\"externalReference\":\"PO-9\"");

    private static ApiHarness harness(List<FailingCall> ddb, List<FailingCall> sqs) {
        var h = new ApiHarness(List.copyOf(ddb), List.copyOf(sqs));
        h.createCustomer("cf", "en");
        h.drainMail();
        ddb.forEach(FailingCall::arm);
        sqs.forEach(FailingCall::arm);
        return h;
    }

    private static void assertOneInvoiceOneEmailNoPendingOutbox(ApiHarness h, ApiHarness.Response last) {
        assertEquals(201, last.status(), last.body());
        var items = h.snapshot();
        assertEquals(1, items.stream().filter(i -> i.get("sk").s().equals("INVOICE")).count());
        assertEquals(0, items.stream().filter(i -> i.get("sk").s().startsWith("OUTBOX#")).count());
        var mail = h.drainMail();
        assertEquals(1, mail.stream().map(m -> m.get("emailId").asText()).distinct().count());
        assertEquals("invoice-issued#" + last.json().get("invoiceId").asText(), mail.get(0).get("emailId").asText());
        assertEquals("INV-2026-000001", last.json().get("number").asText());
    }

    @Test
    void aTransactionThatFailsBeforeReachingTheTableWritesNothingAndTheRetryCreatesOnce() {
        var h = harness(List.of(new FailingCall("TransactWriteItems", 1, FailingCall.When.BEFORE)), List.of());
        var before = h.snapshot();

        var first = h.createInvoice("fault-1", BODY);
        var afterFault = h.snapshot();
        var retry = h.createInvoice("fault-1", BODY);

        assertEquals(500, first.status());
        assertEquals(before, afterFault);
        assertOneInvoiceOneEmailNoPendingOutbox(h, retry);
    }

    @Test
    void aFunctionThatDiesAfterItsCommitIsMadeWholeByTheRetryWhichReplaysAndSendsTheEmail() {
        var h = harness(List.of(new FailingCall("TransactWriteItems", 1, FailingCall.When.AFTER)), List.of());

        var first = h.createInvoice("fault-2", BODY);
        var pendingMail = h.drainMail();
        var retry = h.createInvoice("fault-2", BODY);

        assertEquals(500, first.status());
        assertEquals(0, pendingMail.size());
        assertEquals("true", retry.headers().get("idempotent-replayed"));
        assertOneInvoiceOneEmailNoPendingOutbox(h, retry);
    }

    @Test
    void aFailedQueueSendLeavesTheMessageInTheOutboxAndTheRetrySendsItOnce() {
        var h = harness(List.of(), List.of(new FailingCall("SendMessage", 1, FailingCall.When.BEFORE)));

        var first = h.createInvoice("fault-3", BODY);
        long pending = h.snapshot().stream().filter(i -> i.get("sk").s().startsWith("OUTBOX#")).count();
        var retry = h.createInvoice("fault-3", BODY);

        assertEquals(201, first.status());
        assertEquals(2, pending, "the email and its event were claimed, sent and deleted together: both stay pending");
        assertEquals(first.body(), retry.body());
        assertOneInvoiceOneEmailNoPendingOutbox(h, retry);
    }

    @Test
    void aFailureAfterTheQueueAcceptedTheEmailMayRepeatTheMessageButNeverTheEmailId() {
        var h = harness(List.of(), List.of(new FailingCall("SendMessage", 1, FailingCall.When.AFTER)));

        var first = h.createInvoice("fault-4", BODY);
        var retry = h.createInvoice("fault-4", BODY);

        assertEquals(201, first.status());
        var items = h.snapshot();
        assertEquals(1, items.stream().filter(i -> i.get("sk").s().equals("INVOICE")).count());
        assertEquals(0, items.stream().filter(i -> i.get("sk").s().startsWith("OUTBOX#")).count());
        var mail = h.drainMail();
        // at-least-once delivery to the queue: the mailer sends each email id once (see MailerFunction)
        assertEquals(1, mail.stream().map(m -> m.get("emailId").asText()).distinct().count());
        assertEquals(first.body(), retry.body());
    }
}
