package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole system over HTTP, as a developer drives it with curl: the repository's template.yaml on the embedded
 * stack, or — with {@code -Dlocalstack.endpoint=URL} — the same tests on an external endpoint (CI's moto tier), where
 * the mail is read back from what the endpoint recorded.
 */
class LocalStackEndToEndTest {
    private static LocalStack stack;
    private static Http http;
    private static boolean endpointMode;

    @BeforeAll
    static void start() {
        Repository.requireJars(Repository.template(), Repository.root());
        URI endpoint = Repository.endpoint();
        endpointMode = endpoint != null;
        stack = LocalStack.start(Options.builder().port(0).template(Repository.template()).endpoint(endpoint).build());
        http = new Http(stack.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static HttpResponse<String> putCustomer(String customerId, String email) {
        return http.json("PUT", "/customers/" + customerId, "{\"name\":\"Ada Lovelace\",\"email\":\"" + email
                + "\",\"language\":\"en\",\"timeZone\":\"Europe/London\"}");
    }

    private static String invoiceBody(String customerId) {
        return "{\"customerId\":\"" + customerId + "\",\"currency\":\"USD\",\"netDays\":30,\"lineItems\":"
                + "[{\"description\":\"Consulting\",\"quantity\":\"2\",\"unitAmount\":15000,\"taxRate\":\"8.25\"}]}";
    }

    private static List<JsonNode> mailTo(String address) {
        HttpResponse<String> response = http.get("/_local/mail");
        assertEquals(200, response.statusCode(), response.body());
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode email : Http.tree(response)) {
            for (JsonNode to : email.path("to")) {
                if (to.asText().equals(address)) {
                    found.add(email);
                }
            }
        }
        return found;
    }

    @Test
    void givenANewCustomerAndAnInvoice_whenTheQueuesDrain_thenTheMailerSentTheWelcomeAndInvoiceIssuedEmails() {
        String customerId = unique("cus-e2e");
        String email = customerId + "@example.com";

        HttpResponse<String> customer = putCustomer(customerId, email);
        HttpResponse<String> invoice = http.json("POST", "/invoices", invoiceBody(customerId), "Idempotency-Key", unique("key"));
        http.drain();

        assertEquals(201, customer.statusCode(), customer.body());
        assertEquals(201, invoice.statusCode(), invoice.body());
        String number = Http.tree(invoice).get("number").asText();
        List<JsonNode> mail = mailTo(email);
        assertEquals(2, mail.size(), "welcome and invoice-issued emails: " + mail);
        JsonNode welcome = mail.stream().filter(m -> m.path("subject").asText().startsWith("Welcome")).findFirst()
                .orElseThrow(() -> new AssertionError("no welcome email in " + mail));
        JsonNode issued = mail.stream().filter(m -> m.path("subject").asText().contains(number)).findFirst()
                .orElseThrow(() -> new AssertionError("no email about " + number + " in " + mail));
        for (JsonNode sent : List.of(welcome, issued)) {
            assertEquals("billing@example.com", sent.path("from").asText());
            assertTrue(sent.path("html").asText().contains("Ada Lovelace"), sent.toString());
            // moto keeps one body of a simple send (the HTML); its text part is checked wherever it was recorded.
            if (!endpointMode || !sent.path("text").isNull()) {
                assertTrue(sent.path("text").asText().contains("Ada Lovelace"), sent.toString());
            }
        }
        HttpResponse<String> one = http.get("/_local/mail/" + issued.get("id").asText());
        assertEquals(200, one.statusCode());
        assertEquals(issued.get("subject"), Http.tree(one).get("subject"));
        assertTrue(Http.tree(one).has("raw"));
    }

    @Test
    void givenTheTemplate_whenTheStackStarts_thenTheOutboxRelayReadsTheTableStreamThroughItsFilter() {
        List<String> wiring = stack.describe();

        assertTrue(wiring.stream().anyMatch(line -> line.contains("OutboxRelayFunction <- DynamoDB stream of "
                + stack.tableName("InvoiceTable")) && line.contains("filter {\"eventName\":[\"INSERT\"]")
                && line.contains("ReportBatchItemFailures") && line.contains("on failure -> SQS OutboxRelayDeadLetterQueue")),
                String.join("\n", wiring));
    }

    @Test
    void givenACreatedInvoice_whenTheQueuesDrain_thenInvoiceCreatedWasPutOnTheBus() {
        String customerId = unique("cus-events");
        putCustomer(customerId, customerId + "@example.com");

        HttpResponse<String> invoice = http.json("POST", "/invoices", invoiceBody(customerId), "Idempotency-Key", unique("key"));
        http.drain();

        String invoiceId = Http.tree(invoice).get("invoiceId").asText();
        JsonNode events = Http.tree(http.get("/_local/events"));
        boolean found = false;
        for (JsonNode event : events) {
            if (event.path("detailType").asText().equals("InvoiceCreated")
                    && event.path("detail").path("invoiceId").asText().equals(invoiceId)) {
                assertEquals("invoice-loyalty", event.path("source").asText());
                found = true;
            }
        }
        assertTrue(found, "InvoiceCreated for " + invoiceId + " in " + events);
    }

    @Test
    void givenTheSameIdempotencyKeyAndBody_whenTheInvoiceIsPostedAgain_thenTheFirstResponseIsReplayed() {
        String customerId = unique("cus-replay");
        putCustomer(customerId, customerId + "@example.com");
        String key = unique("key");

        HttpResponse<String> first = http.json("POST", "/invoices", invoiceBody(customerId), "Idempotency-Key", key);
        HttpResponse<String> replay = http.json("POST", "/invoices", invoiceBody(customerId), "Idempotency-Key", key);

        assertEquals(201, first.statusCode(), first.body());
        assertEquals(first.statusCode(), replay.statusCode());
        assertEquals(Http.tree(first), Http.tree(replay));
    }

    @Test
    void givenAnInvalidInvoice_whenPosted_thenItIsA400ProblemDocument() {
        HttpResponse<String> response = http.json("POST", "/invoices",
                "{\"customerId\":\"nobody\",\"currency\":\"usd\",\"lineItems\":[]}", "Idempotency-Key", unique("key"));

        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"));
        assertEquals(400, Http.tree(response).path("status").asInt());
        assertFalse(Http.tree(response).path("errors").isEmpty());
    }

    @Test
    void givenABodyApiGatewaySendsAsBase64_whenPosted_thenTheFunctionReadsIt() {
        String customerId = unique("cus-b64");
        putCustomer(customerId, customerId + "@example.com");

        // application/*+json is not one of the types API Gateway passes as text: the function gets base64.
        HttpResponse<String> response = http.send("POST", "/invoices", "application/vnd.api+json",
                invoiceBody(customerId).getBytes(StandardCharsets.UTF_8), "Idempotency-Key", unique("key"));

        assertEquals(201, response.statusCode(), response.body());
        assertEquals(customerId, Http.tree(response).path("customerId").asText());
    }

    @Test
    void givenAPathNoRouteServes_whenRequested_thenApiGatewaysNotFound() {
        HttpResponse<String> response = http.get("/no/such/route");

        assertEquals(404, response.statusCode());
        assertEquals("{\"message\":\"Not Found\"}", response.body());
    }

    @Test
    void givenSentMail_whenMailIsDeleted_thenTheListIsEmpty() {
        String customerId = unique("cus-clear");
        putCustomer(customerId, customerId + "@example.com");
        http.drain();
        assertFalse(mailTo(customerId + "@example.com").isEmpty());

        HttpResponse<String> deleted = http.send("DELETE", "/_local/mail", null, null);

        assertEquals(204, deleted.statusCode());
        assertEquals(0, Http.tree(http.get("/_local/mail")).size());
    }

    @Test
    void givenAPoisonMessageBesideAGoodOne_whenTheMailerFailsIt_thenItEndsInTheDeadLetterQueueAfterFiveReceives() {
        String poison = "{\"not\":\"a mail message\",\"probe\":\"" + unique("poison") + "\"}";
        String address = unique("good") + "@example.com";
        String good = "{\"emailId\":\"welcome#" + address + "\",\"template\":\"welcome\",\"language\":\"en\",\"to\":[\""
                + address + "\"],\"cc\":[],\"customerId\":\"c1\",\"invoiceId\":null,\"model\":{\"customerName\":\"Grace Hopper\","
                + "\"businessName\":\"Example Co\",\"paymentTermsDays\":30,\"rewards\":{\"earlyPaymentTiers\":[],"
                + "\"pointsPerMajorUnits\":10,\"largeInvoiceThreshold\":\"10,000.00\",\"largeInvoiceBonusPoints\":500,"
                + "\"streakLength\":6,\"streakBonusPoints\":1000,\"redemptionPoints\":100}}}";
        try (SqsClient sqs = SqsClient.builder().endpointOverride(stack.sqsEndpoint()).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            // One batch, so the mailer reports one item failed and the other done.
            sqs.sendMessageBatch(batch -> batch.queueUrl(stack.queueUrl("MailQueue")).entries(
                    entry -> entry.id("poison").messageBody(poison), entry -> entry.id("good").messageBody(good)));

            http.drain();

            assertEquals(1, mailTo(address).size(), "the good message was sent once");
            Message dead = findMessage(sqs, stack.queueUrl("MailDeadLetterQueue"), poison);
            assertNotNull(dead, "the poison message is in MailDeadLetterQueue");
            int receives = Integer.parseInt(dead.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
            assertTrue(receives >= 5, "received " + receives + " times before the DLQ (maxReceiveCount 5)");
        }
    }

    private static Message findMessage(SqsClient sqs, String queueUrl, String body) {
        for (int attempt = 0; attempt < 10; attempt++) {
            for (Message message : sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(30).waitTimeSeconds(1).messageSystemAttributeNamesWithStrings("All")).messages()) {
                if (message.body().equals(body)) {
                    sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                    return message;
                }
            }
        }
        return null;
    }

    @Test
    void givenAnUnknownFunction_whenItsScheduleIsTriggered_thenItIsA404() {
        HttpResponse<String> response = http.json("POST", "/_local/schedules/NoSuchFunction",
                "{\"time\":\"2026-11-23T06:00:00Z\"}");

        assertEquals(404, response.statusCode());
        assertTrue(response.body().contains("NoSuchFunction"));
    }
}
