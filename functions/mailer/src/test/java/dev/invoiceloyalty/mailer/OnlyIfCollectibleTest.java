package dev.invoiceloyalty.mailer;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.SesCapture;
import dev.invoiceloyalty.mail.MailMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Emails marked {@code onlyIfCollectible} (reminders, escalations) take a last look at their invoice: a payment, void,
 * write-off or dispute that landed after the reminder sweep queued them cancels the send (SPEC §7). The invoice items
 * here are shaped as {@code DynamoDbInvoiceStore} writes them ({@code INVOICE#<id>} / {@code INVOICE}, the lifted
 * {@code status}, the document in {@code doc}).
 */
class OnlyIfCollectibleTest {
    private static final LocalBackends BACKENDS = LocalBackends.shared();

    private final SesCapture ses = BACKENDS.ses();
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger checks = new AtomicInteger();
    private String table;

    @BeforeEach
    void freshTableAndEmptyMailbox() {
        table = BACKENDS.createTable();
        ses.clear();
    }

    private DynamoDbClient dynamoDb(ExecutionInterceptor fault) {
        var settings = AwsClients.Settings.forEndpoint(BACKENDS.dynamoDb().endpoint());
        return DynamoDbSentEmailLog.client(fault == null ? settings : settings.withInterceptor(fault));
    }

    /** The handler as MailerFunction builds it, its invoice check counted. */
    private MailerHandler handler(ExecutionInterceptor fault) {
        DynamoDbClient ddb = dynamoDb(fault);
        InvoiceStatusCheck real = InvoiceStatusCheck.dynamoDb(ddb, table);
        InvoiceStatusCheck counted = invoiceId -> {
            checks.incrementAndGet();
            return real.check(invoiceId);
        };
        return new MailerHandler(TemplateRenderer.create(),
                SesMailSender.create(SesMailSender.client(AwsClients.Settings.forEndpoint(ses.endpoint())),
                        "billing@example.com", null),
                DynamoDbSentEmailLog.create(ddb, table), counted, Clock.systemUTC(), MailerLog.to(logLines::add));
    }

    private MailerHandler handler() {
        return handler(null);
    }

    private void invoice(String invoiceId, String status, boolean disputed) {
        BACKENDS.dynamoDb().client().putItem(b -> b.tableName(table).item(Map.of(
                "pk", AttributeValue.fromS("INVOICE#" + invoiceId),
                "sk", AttributeValue.fromS("INVOICE"),
                "type", AttributeValue.fromS("INVOICE"),
                "status", AttributeValue.fromS(status),
                "version", AttributeValue.fromN("3"),
                "doc", AttributeValue.fromS("{\"invoiceId\":\"" + invoiceId + "\",\"status\":\"" + status
                        + "\",\"disputed\":" + disputed + ",\"amountDue\":131730}"))));
    }

    /** The sample invoice email, made a reminder-like email of {@code invoiceId} that needs the check. */
    private static MailMessage collectibleOnly(String emailId, String invoiceId, boolean onlyIfCollectible) {
        MailMessage sample = SampleMessages.invoiceIssued();
        return new MailMessage(emailId, sample.template(), sample.language(), sample.to(), sample.cc(),
                sample.customerId(), invoiceId, sample.model(), onlyIfCollectible);
    }

    private static SQSEvent eventOf(MailMessage... messages) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (MailMessage m : messages) {
            records.add(SampleMessages.record("m-" + records.size(), Json.write(m)));
        }
        return SampleMessages.event(records.toArray(SQSEvent.SQSMessage[]::new));
    }


    private Map<String, AttributeValue> record(String emailId) {
        return BACKENDS.dynamoDb().client().getItem(GetItemRequest.builder().tableName(table)
                .key(DynamoDbSentEmailLog.key(emailId)).consistentRead(true).build()).item();
    }

    @Test
    void GIVEN_a_reminder_of_an_open_invoice_WHEN_delivered_THEN_it_is_sent() {
        invoice("inv-open", "OPEN", false);

        MailerCalls.Answer response = MailerCalls.handle(handler(), eventOf(collectibleOnly("reminder#inv-open#due_today",
                "inv-open", true)));

        assertEquals(List.of(), response.failedIds());
        assertEquals(1, ses.emails().size());
        assertEquals(1, checks.get());
        assertEquals("SENT", record("reminder#inv-open#due_today").get("status").s());
    }

    @Test
    void GIVEN_a_reminder_of_a_partially_paid_invoice_WHEN_delivered_THEN_it_is_sent() {
        invoice("inv-part", "PARTIALLY_PAID", false);

        MailerCalls.handle(handler(), eventOf(collectibleOnly("reminder#inv-part#overdue_3", "inv-part", true)));

        assertEquals(1, ses.emails().size());
    }

    @ParameterizedTest(name = "{0} disputed={1}")
    @CsvSource({"PAID, false, invoice-paid", "VOID, false, invoice-void",
            "UNCOLLECTIBLE, false, invoice-uncollectible", "OPEN, true, invoice-disputed",
            "PARTIALLY_PAID, true, invoice-disputed"})
    void GIVEN_an_invoice_no_longer_collectible_WHEN_its_reminder_is_delivered_THEN_it_is_cancelled_recorded_and_done(
            String status, boolean disputed, String reason) {
        invoice("inv-x", status, disputed);

        MailerCalls.Answer response = MailerCalls.handle(handler(), eventOf(collectibleOnly("reminder#inv-x#overdue_7",
                "inv-x", true)));

        assertEquals(List.of(), response.failedIds(), "a cancellation is done: SQS deletes the message");
        assertEquals(0, ses.emails().size());
        var record = record("reminder#inv-x#overdue_7");
        assertEquals("CANCELLED", record.get("status").s());
        assertEquals(reason, record.get("reason").s());
        assertTrue(!record.containsKey("leaseUntil"), "the lease is gone");
        assertTrue(logLines.get(0).contains("\"outcome\":\"cancelled\""), logLines.get(0));
        assertTrue(logLines.get(0).contains("\"reason\":\"" + reason + "\""), logLines.get(0));
    }

    @Test
    void GIVEN_a_cancelled_reminder_WHEN_it_is_delivered_again_THEN_it_stays_cancelled_without_reading_the_invoice_again() {
        invoice("inv-paid", "PAID", false);
        MailMessage reminder = collectibleOnly("reminder#inv-paid#overdue_3", "inv-paid", true);
        MailerCalls.handle(handler(), eventOf(reminder));
        // Even if the invoice were collectible again (it never is once paid), the decision stands.
        invoice("inv-paid", "OPEN", false);

        MailerCalls.Answer again = MailerCalls.handle(handler(), eventOf(reminder));

        assertEquals(List.of(), again.failedIds());
        assertEquals(1, checks.get(), "the redelivery ends at the record");
        assertEquals(0, ses.emails().size());
        assertTrue(logLines.get(1).contains("\"outcome\":\"cancelled\""), logLines.get(1));
    }

    @Test
    void GIVEN_a_reminder_of_an_invoice_that_does_not_exist_WHEN_delivered_THEN_it_is_cancelled() {
        MailerCalls.handle(handler(), eventOf(collectibleOnly("reminder#inv-gone#pre_due", "inv-gone", true)));

        assertEquals(0, ses.emails().size());
        assertEquals("invoice-missing", record("reminder#inv-gone#pre_due").get("reason").s());
    }

    @Test
    void GIVEN_an_email_not_marked_onlyIfCollectible_WHEN_delivered_THEN_the_invoice_is_not_read() {
        invoice("inv-paid", "PAID", false);

        MailerCalls.handle(handler(), eventOf(collectibleOnly("payment-received#inv-paid", "inv-paid", false)));

        assertEquals(0, checks.get());
        assertEquals(1, ses.emails().size(), "a thank-you for a paid invoice goes out");
    }

    @Test
    void GIVEN_the_invoice_cannot_be_read_WHEN_the_reminder_is_delivered_THEN_it_is_retried_and_the_redelivery_sends_it() {
        invoice("inv-open", "OPEN", false);
        AtomicInteger failures = new AtomicInteger();
        ExecutionInterceptor invoiceReadFails = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof GetItemRequest g && g.key().get("pk").s().startsWith("INVOICE#")
                        && failures.getAndIncrement() == 0) {
                    throw SdkClientException.create("injected fault on the invoice read");
                }
            }
        };
        MailerHandler handler = handler(invoiceReadFails);
        SQSEvent event = eventOf(collectibleOnly("reminder#inv-open#due_today", "inv-open", true));

        MailerCalls.Answer first = MailerCalls.handle(handler, event);
        MailerCalls.Answer second = MailerCalls.handle(handler, event);

        assertEquals(List.of("m-0"), first.failedIds());
        assertTrue(logLines.get(0).contains("\"outcome\":\"check-failed\""), logLines.get(0));
        assertEquals(List.of(), second.failedIds(), "the claim was released: the redelivery sends at once");
        assertEquals(1, ses.emails().size());
    }

    @Test
    void GIVEN_a_mailer_built_without_an_invoice_check_WHEN_a_reminder_arrives_THEN_it_fails_rather_than_send_unchecked() {
        invoice("inv-paid", "PAID", false);
        var handler = new MailerHandler(TemplateRenderer.create(),
                SesMailSender.create(SesMailSender.client(AwsClients.Settings.forEndpoint(ses.endpoint())),
                        "billing@example.com", null),
                DynamoDbSentEmailLog.create(dynamoDb(null), table), Clock.systemUTC(), MailerLog.to(logLines::add));

        MailerCalls.Answer response = MailerCalls.handle(handler, eventOf(collectibleOnly("reminder#inv-paid#due_today",
                "inv-paid", true)));

        assertEquals(List.of("m-0"), response.failedIds());
        assertEquals(0, ses.emails().size());
    }
}
