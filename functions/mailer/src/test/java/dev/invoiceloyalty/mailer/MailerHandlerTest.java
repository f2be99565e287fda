package dev.invoiceloyalty.mailer;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.local.CapturedEmail;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.SesCapture;
import dev.invoiceloyalty.mail.MailMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handler on real backends: DynamoDB Local for the sent-email records, the SES capture for the sends.
 * Each test gets a fresh table from template.yaml and an empty capture.
 */
class MailerHandlerTest {
    private static final LocalBackends BACKENDS = LocalBackends.shared();
    private static final String FROM = "billing@example.com";

    private final SesCapture ses = BACKENDS.ses();
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private String table;

    @BeforeEach
    void freshTableAndEmptyMailbox() {
        table = BACKENDS.createTable();
        ses.clear();
    }

    // ---------------------------------------------------------------------------------------------------
    // wiring

    private MailerHandler handler() {
        return handler(null);
    }

    /**
     * The handler as its no-arg constructor builds it (same adapters, same {@link AwsClients} configuration),
     * pointed at the emulators, with an optional interceptor on both SDK clients to inject a fault.
     */
    private MailerHandler handler(ExecutionInterceptor fault) {
        AwsClients.Settings sesSettings = AwsClients.Settings.forEndpoint(ses.endpoint());
        AwsClients.Settings dynamoDbSettings = AwsClients.Settings.forEndpoint(BACKENDS.dynamoDb().endpoint());
        if (fault != null) {
            sesSettings = sesSettings.withInterceptor(fault);
            dynamoDbSettings = dynamoDbSettings.withInterceptor(fault);
        }
        return new MailerHandler(TemplateRenderer.create(),
                SesMailSender.create(SesMailSender.client(sesSettings), FROM, null),
                DynamoDbSentEmailLog.create(DynamoDbSentEmailLog.client(dynamoDbSettings), table),
                Clock.systemUTC(),
                MailerLog.to(logLines::add));
    }

    private DynamoDbClient dynamoDb() {
        return BACKENDS.dynamoDb().client();
    }

    private Map<String, AttributeValue> record(String emailId) {
        var response = dynamoDb().getItem(GetItemRequest.builder().tableName(table)
                .key(DynamoDbSentEmailLog.key(emailId)).consistentRead(true).build());
        return response.hasItem() ? response.item() : null;
    }


    private static String bodyWithEmailId(SQSEvent sample, String emailId) {
        MailMessage message = SampleMessages.firstMessage(sample);
        return Json.write(SampleMessages.with(message, emailId, message.language(), message.model()));
    }

    /** Fails the first {@code times} requests that {@code matches} selects, like a dropped connection. */
    private static ExecutionInterceptor failing(Predicate<SdkRequest> matches, int times) {
        AtomicInteger failures = new AtomicInteger();
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (matches.test(context.request()) && failures.getAndIncrement() < times) {
                    throw SdkClientException.create("injected fault on " + context.request().getClass().getSimpleName());
                }
            }
        };
    }

    private void putSendingClaim(String emailId, Instant leaseUntil) {
        dynamoDb().putItem(PutItemRequest.builder().tableName(table).item(Map.of(
                "pk", AttributeValue.fromS("EMAIL#" + emailId),
                "sk", AttributeValue.fromS("EMAIL"),
                "status", AttributeValue.fromS("SENDING"),
                "leaseToken", AttributeValue.fromS("another-consumer"),
                "leaseUntil", AttributeValue.fromN(Long.toString(leaseUntil.toEpochMilli())))).build());
    }

    // ---------------------------------------------------------------------------------------------------
    // the sample events

    @ParameterizedTest
    @Event(value = SampleMessages.WELCOME_EVENT, type = SQSEvent.class)
    void GIVEN_the_sample_welcome_event_WHEN_handled_THEN_one_email_with_a_text_and_an_html_part_is_sent(SQSEvent event) {
        MailerCalls.Answer response = MailerCalls.handle(handler(), event);

        assertEquals(List.of(), response.failedIds());
        List<CapturedEmail> emails = ses.emails();
        assertEquals(1, emails.size());
        CapturedEmail email = emails.get(0);
        assertEquals(FROM, email.from());
        assertEquals(List.of("ada.lovelace@example.com"), email.to());
        assertEquals("Welcome to Northwind Supplies: your payment terms and rewards", email.subject());
        assertTrue(email.text().startsWith("Hello Ada Lovelace,"), email.text());
        assertTrue(email.html().contains("<html lang=\"en\">"), email.html());
        assertTrue(email.html().contains("30 days"), "the HTML part states the payment terms");
    }

    @ParameterizedTest
    @Event(value = SampleMessages.INVOICE_ISSUED_EVENT, type = SQSEvent.class)
    void GIVEN_the_sample_invoice_issued_event_WHEN_handled_THEN_the_invoice_email_goes_to_to_and_cc_and_is_recorded_sent(
            SQSEvent event) {
        MailerCalls.Answer response = MailerCalls.handle(handler(), event);

        assertEquals(List.of(), response.failedIds());
        CapturedEmail email = ses.emails().get(0);
        assertEquals(List.of("ap@contoso.example"), email.to());
        assertEquals(List.of("ada.lovelace@example.com"), email.cc());
        assertTrue(email.subject().contains("INV-2026-000042"), email.subject());
        assertTrue(email.text().contains("1,317.30 USD"), email.text());
        assertTrue(email.html().contains("https://pay.example.com/i/inv_01JD8ZK4W7Q3"), email.html());

        Map<String, AttributeValue> record = record("invoice-issued#inv_01JD8ZK4W7Q3");
        assertEquals("SENT", record.get("status").s());
        assertNotNull(record.get("messageId").s());
        assertFalse(record.containsKey("leaseUntil"), "the lease is gone once sent");
        long ttl = Long.parseLong(record.get("ttl").n());
        long in30Days = Instant.now().plus(Duration.ofDays(30)).getEpochSecond();
        assertTrue(Math.abs(ttl - in30Days) < 120, "ttl is 30 days out, in epoch seconds: " + ttl);
    }

    @ParameterizedTest
    @Event(value = SampleMessages.INVOICE_ISSUED_EVENT, type = SQSEvent.class)
    void GIVEN_the_sample_event_WHEN_handled_THEN_the_log_line_has_ids_and_outcome_but_no_address_or_name(SQSEvent event) {
        MailerCalls.handle(handler(), event);

        assertEquals(1, logLines.size(), "one line per email");
        var line = Json.read(logLines.get(0), Map.class);
        assertEquals("invoice-issued#inv_01JD8ZK4W7Q3", line.get("emailId"));
        assertEquals("invoice-issued", line.get("template"));
        assertEquals("cus_ada_1001", line.get("customerId"));
        assertEquals("inv_01JD8ZK4W7Q3", line.get("invoiceId"));
        assertEquals("sent", line.get("outcome"));
        assertFalse(logLines.get(0).contains("@"), "no email address in " + logLines.get(0));
        assertFalse(logLines.get(0).contains("Ada"), "no name in " + logLines.get(0));
    }

    // ---------------------------------------------------------------------------------------------------
    // the event as bytes: what the Lambda runtime hands a stream handler

    @Test
    void GIVEN_the_bytes_of_the_sample_welcome_file_WHEN_streamed_to_the_handler_THEN_the_email_is_sent_and_no_item_fails()
            throws IOException {
        byte[] file = Files.readAllBytes(Path.of(SampleMessages.WELCOME_EVENT));

        MailerCalls.Answer answer = MailerCalls.handle(handler(), file);

        assertEquals("{\"batchItemFailures\":[]}", answer.json());
        List<CapturedEmail> emails = ses.emails();
        assertEquals(1, emails.size());
        assertEquals(List.of("ada.lovelace@example.com"), emails.get(0).to());
        assertEquals("Welcome to Northwind Supplies: your payment terms and rewards", emails.get(0).subject());
        assertTrue(logLines.get(0).contains("\"sqsMessageId\":\"5b0e6a8e-3f1d-4c1a-9a57-2f3d1c7e9b01\""),
                logLines.get(0));
    }

    @Test
    void GIVEN_a_batch_whose_second_record_has_a_malformed_body_WHEN_streamed_THEN_only_that_record_fails_and_the_first_is_sent()
            throws IOException {
        ObjectNode event = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(Path.of(SampleMessages.WELCOME_EVENT)));
        ArrayNode records = (ArrayNode) event.get("Records");
        ObjectNode malformed = records.get(0).deepCopy();
        malformed.put("messageId", "malformed-1");
        malformed.put("body", "{\"emailId\":\"welcome#cut-off\",\"template\":");
        records.add(malformed);

        MailerCalls.Answer answer = MailerCalls.handle(handler(), Json.mapper().writeValueAsBytes(event));

        assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"malformed-1\"}]}", answer.json());
        assertEquals(1, ses.emails().size(), "the good record of the batch is sent");
        assertEquals("SENT", record("welcome#cus_ada_1001").get("status").s());
        String line = logLines.stream().filter(l -> l.contains("\"sqsMessageId\":\"malformed-1\"")).findFirst()
                .orElseThrow();
        assertTrue(line.contains("\"outcome\":\"poison\"") && line.contains("\"reason\":\"malformed-message\""), line);
    }

    @Test
    void GIVEN_a_record_without_a_body_WHEN_streamed_THEN_it_fails_as_poison() throws IOException {
        byte[] event = "{\"Records\":[{\"messageId\":\"no-body\",\"eventSource\":\"aws:sqs\"}]}"
                .getBytes(StandardCharsets.UTF_8);

        MailerCalls.Answer answer = MailerCalls.handle(handler(), event);

        assertEquals(List.of("no-body"), answer.failedIds());
        assertEquals(0, ses.emails().size());
        assertTrue(logLines.get(0).contains("\"outcome\":\"poison\""), logLines.get(0));
    }

    @Test
    void GIVEN_an_event_without_records_WHEN_streamed_THEN_the_answer_is_an_empty_batch_response() {
        MailerCalls.Answer answer = MailerCalls.handle(handler(), "{}".getBytes(StandardCharsets.UTF_8));

        assertEquals("{\"batchItemFailures\":[]}", answer.json());
        assertEquals(0, ses.emails().size());
    }

    // ---------------------------------------------------------------------------------------------------
    // once per email id

    @ParameterizedTest
    @Event(value = SampleMessages.WELCOME_EVENT, type = SQSEvent.class)
    void GIVEN_the_same_event_delivered_twice_WHEN_handled_THEN_the_email_is_sent_once_and_both_deliveries_succeed(
            SQSEvent event) {
        MailerHandler handler = handler();

        MailerCalls.Answer first = MailerCalls.handle(handler, event);
        MailerCalls.Answer second = MailerCalls.handle(handler, event);

        assertEquals(List.of(), first.failedIds());
        assertEquals(List.of(), second.failedIds(), "an already-sent email is done, not retried");
        assertEquals(1, ses.emails().size());
        assertTrue(logLines.get(1).contains("\"outcome\":\"already-sent\""), logLines.get(1));
    }

    @Test
    void GIVEN_two_containers_receiving_the_same_message_one_after_the_other_WHEN_handled_THEN_one_email_is_sent() {
        SQSEvent event = SampleMessages.invoiceIssuedEvent();

        MailerCalls.handle(handler(), event);
        MailerCalls.Answer again = MailerCalls.handle(handler(), event);

        assertEquals(List.of(), again.failedIds());
        assertEquals(1, ses.emails().size());
    }

    @Test
    void GIVEN_one_email_enqueued_twice_in_one_batch_WHEN_handled_THEN_it_is_sent_once() {
        String body = bodyWithEmailId(SampleMessages.welcomeEvent(), "welcome#dup");
        SQSEvent batch = SampleMessages.event(SampleMessages.record("m-1", body), SampleMessages.record("m-2", body));

        MailerCalls.Answer response = MailerCalls.handle(handler(), batch);

        assertEquals(List.of(), response.failedIds());
        assertEquals(1, ses.emails().size());
    }

    // ---------------------------------------------------------------------------------------------------
    // poison

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "not json at all",
            "null",
            "[]",
            "{\"emailId\":\"welcome#x\",\"template\":\"welcome\",\"language\":\"en\",\"to\":[]}",
            "{\"template\":\"welcome\",\"to\":[\"someone@example.com\"]}",
            "{\"emailId\":\"nope#1\",\"template\":\"no-such-template\",\"to\":[\"someone@example.com\"]}",
            "{\"emailId\":\"nope#2\",\"template\":\"../../etc/passwd\",\"to\":[\"someone@example.com\"]}"})
    void GIVEN_a_batch_with_one_poison_record_WHEN_handled_THEN_exactly_that_record_fails_and_the_others_are_sent(
            String poisonBody) {
        SQSEvent batch = SampleMessages.event(
                SampleMessages.record("good-1", bodyWithEmailId(SampleMessages.welcomeEvent(), "welcome#good-1")),
                SampleMessages.record("poison", poisonBody),
                SampleMessages.record("good-2", bodyWithEmailId(SampleMessages.invoiceIssuedEvent(), "invoice#good-2")));

        MailerCalls.Answer response = MailerCalls.handle(handler(), batch);

        assertEquals(List.of("poison"), response.failedIds());
        assertEquals(2, ses.emails().size());
        String poisonLine = logLines.stream().filter(l -> l.contains("\"sqsMessageId\":\"poison\"")).findFirst().orElseThrow();
        assertTrue(poisonLine.contains("\"outcome\":\"poison\""), poisonLine);
        assertFalse(poisonLine.contains("@"), "no address in the poison log line: " + poisonLine);
    }

    @Test
    void GIVEN_an_unknown_template_WHEN_handled_THEN_no_record_is_written_for_it() {
        String body = "{\"emailId\":\"nope#3\",\"template\":\"no-such-template\",\"to\":[\"someone@example.com\"]}";

        MailerCalls.Answer response = MailerCalls.handle(handler(), SampleMessages.event(SampleMessages.record("p", body)));

        assertEquals(List.of("p"), response.failedIds());
        assertEquals(null, record("nope#3"), "poison never claims its email id");
        assertTrue(logLines.get(0).contains("\"reason\":\"unknown-template\""), logLines.get(0));
    }

    // ---------------------------------------------------------------------------------------------------
    // faults

    @Test
    void GIVEN_ses_fails_on_the_first_send_WHEN_the_message_is_redelivered_THEN_exactly_one_email_is_sent() {
        SQSEvent event = SampleMessages.invoiceIssuedEvent();
        String emailId = "invoice-issued#inv_01JD8ZK4W7Q3";
        MailerHandler faulty = handler(failing(r -> r instanceof SendEmailRequest, 1));

        MailerCalls.Answer first = MailerCalls.handle(faulty, event);

        assertEquals(List.of(event.getRecords().get(0).getMessageId()), first.failedIds());
        assertEquals(0, ses.emails().size());
        assertEquals(null, record(emailId), "the claim was released: no SENT, no SENDING left behind");
        assertTrue(logLines.get(0).contains("\"outcome\":\"send-failed\""), logLines.get(0));

        MailerCalls.Answer redelivery = MailerCalls.handle(faulty, event);

        assertEquals(List.of(), redelivery.failedIds());
        assertEquals(1, ses.emails().size());
        assertEquals("SENT", record(emailId).get("status").s());
    }

    @Test
    void GIVEN_the_sent_record_cannot_be_written_after_ses_accepted_WHEN_handled_THEN_the_record_is_done_so_sqs_does_not_resend() {
        SQSEvent event = SampleMessages.welcomeEvent();
        MailerHandler faulty = handler(failing(r -> r instanceof UpdateItemRequest, 1));

        MailerCalls.Answer response = MailerCalls.handle(faulty, event);

        assertEquals(List.of(), response.failedIds(), "a retry would certainly send a second copy");
        assertEquals(1, ses.emails().size());
        assertTrue(logLines.get(0).contains("\"outcome\":\"sent-unrecorded\""), logLines.get(0));
    }

    @Test
    void GIVEN_the_table_cannot_be_reached_to_claim_WHEN_handled_THEN_nothing_is_sent_and_the_record_is_retried() {
        SQSEvent event = SampleMessages.welcomeEvent();
        MailerHandler faulty = handler(failing(r -> r instanceof PutItemRequest, 1));

        MailerCalls.Answer response = MailerCalls.handle(faulty, event);

        assertEquals(List.of(event.getRecords().get(0).getMessageId()), response.failedIds());
        assertEquals(0, ses.emails().size());
        assertTrue(logLines.get(0).contains("\"outcome\":\"claim-failed\""), logLines.get(0));
    }

    @Test
    void GIVEN_another_consumer_holds_a_live_lease_WHEN_handled_THEN_nothing_is_sent_and_the_record_is_retried() {
        SQSEvent event = SampleMessages.welcomeEvent();
        putSendingClaim("welcome#cus_ada_1001", Instant.now().plus(Duration.ofMinutes(1)));

        MailerCalls.Answer response = MailerCalls.handle(handler(), event);

        assertEquals(List.of(event.getRecords().get(0).getMessageId()), response.failedIds());
        assertEquals(0, ses.emails().size());
        Map<String, AttributeValue> record = record("welcome#cus_ada_1001");
        assertEquals("SENDING", record.get("status").s());
        assertEquals("another-consumer", record.get("leaseToken").s(), "the other consumer's claim is untouched");
        assertTrue(logLines.get(0).contains("\"outcome\":\"lease-held\""), logLines.get(0));
    }

    @Test
    void GIVEN_a_consumer_in_the_middle_of_sending_WHEN_a_second_consumer_gets_the_same_message_THEN_only_the_first_sends()
            throws Exception {
        SQSEvent event = SampleMessages.invoiceIssuedEvent();
        CountDownLatch firstIsSending = new CountDownLatch(1);
        CountDownLatch letFirstFinish = new CountDownLatch(1);
        MailerHandler first = handler(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof SendEmailRequest) {
                    firstIsSending.countDown();
                    try {
                        letFirstFinish.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<MailerCalls.Answer> firstResponse = pool.submit(() -> MailerCalls.handle(first, event));
            assertTrue(firstIsSending.await(10, TimeUnit.SECONDS), "the first consumer reached SES");

            MailerCalls.Answer second = MailerCalls.handle(handler(), event);

            assertEquals(List.of(event.getRecords().get(0).getMessageId()), second.failedIds(),
                    "the second consumer backs off while the first holds the lease");
            assertEquals(0, ses.emails().size());
            letFirstFinish.countDown();
            assertEquals(List.of(), firstResponse.get(10, TimeUnit.SECONDS).failedIds());
        } finally {
            letFirstFinish.countDown();
            pool.shutdownNow();
        }
        assertEquals(1, ses.emails().size());
        assertEquals("SENT", record("invoice-issued#inv_01JD8ZK4W7Q3").get("status").s());

        MailerCalls.Answer redeliveryOfTheSecond = MailerCalls.handle(handler(), event);

        assertEquals(List.of(), redeliveryOfTheSecond.failedIds(), "its redelivery finds the email sent");
        assertEquals(1, ses.emails().size());
    }

    @Test
    void GIVEN_a_lease_that_expired_after_a_crash_WHEN_handled_THEN_the_email_is_sent_and_recorded() {
        SQSEvent event = SampleMessages.welcomeEvent();
        putSendingClaim("welcome#cus_ada_1001", Instant.now().minus(Duration.ofSeconds(1)));

        MailerCalls.Answer response = MailerCalls.handle(handler(), event);

        assertEquals(List.of(), response.failedIds());
        assertEquals(1, ses.emails().size());
        assertEquals("SENT", record("welcome#cus_ada_1001").get("status").s());
    }
}
