package dev.invoiceloyalty.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.config.Env;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.local.SamTemplate;
import dev.invoiceloyalty.local.TableStream;
import dev.invoiceloyalty.payments.WebhookSignatures;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The webhook per payment (issue 8): {@code PaymentWebhookFunction}'s handler, built in this JVM by its no-arg
 * constructor with the function's template environment (as Lambda builds it), pays {@code warm-up + payments} seeded
 * open invoices, one signed Stripe {@code payment_intent.succeeded} each for exactly the amount due. {@link SdkMeter}
 * counts every SDK call each request makes, by service and operation, without changing the requests.
 *
 * <p>Latency: the handler's wall time per request, after the warm-up, next to a bare TransactWriteItems round trip
 * (one Put of a small item with {@code attribute_not_exists(pk)}) on a DynamoDB client configured exactly as the
 * handler's ({@code AwsClients}, the same url-connection HTTP client, same JVM, same table), the two interleaved
 * request by request and alternating which goes first.
 */
final class WebhookBench {
    static final double DYNAMODB_TARGET = 3;
    static final double SQS_TARGET = 1;
    static final double LATENCY_TARGET = 3;
    private static final int CUSTOMERS = 20;

    /**
     * The figures. Per-payment figures are over the measured requests that completed a payment (outcome {@code paid}).
     *
     * @param callsPerPayment  {@code Service.Operation} → calls per completing payment (mean)
     * @param millisPerPayment {@code Service.Operation} → milliseconds in those calls per completing payment (mean)
     * @param handlerMean      mean wall time of a completing payment's request, ms
     */
    record Result(int warmup, int payments, int completed, Map<String, Integer> outcomes,
                  double dynamoDbMean, int dynamoDbMax, double sqsMean, int sqsMax, double sqsMessagesMean,
                  double eventBridgeMean, int eventBridgeMax, double eventsMean, Map<String, Double> callsPerPayment,
                  Map<String, Double> millisPerPayment, double handlerMean,
                  double p50, double p99, double bareP50, double bareP99, Relayed relayed) {
        double ratio() {
            return p50 / bareP50;
        }
    }

    /**
     * What {@code OutboxRelayFunction} did afterwards with the messages the payments committed: the table's stream
     * read from its start, filtered as the template's event filter filters it, handed to the relay in batches of the
     * mapping's {@code BatchSize}.
     *
     * @param records   outbox records relayed (one per payment that announced something)
     * @param batches   relay invocations
     * @param failures  batch item failures the relay answered (0 when every message was sent)
     */
    record Relayed(int records, int batches, int sqsCalls, int sqsMessages, int eventBridgeCalls, int events,
                   int failures, double millis) {
    }

    /** OutboxRelayFunction's {@code BatchSize} in template.yaml. */
    private static final int RELAY_BATCH = 100;

    private final SamTemplate template;
    private final Backends backends;

    WebhookBench(SamTemplate template, Backends backends) {
        this.template = template;
        this.backends = backends;
    }

    Result run(int warmup, int payments) throws Exception {
        String table = "bench-webhook";
        backends.createTable(table);
        int total = warmup + payments;
        Console.printf("webhook: %d warm-up + %d measured payments, each paying one open invoice in full...%n",
                warmup, payments);
        List<Customer> customers = new ArrayList<>();
        for (int k = 0; k < CUSTOMERS; k++) {
            customers.add(Fixtures.customer(String.format("cus-pay-%02d", k), k % 2 == 0 ? "en" : "de",
                    k % 2 == 0 ? "UTC" : "Europe/Berlin", "2026-01-05T00:00:00Z"));
        }
        Invoice[] invoices = new Invoice[total];
        for (int i = 0; i < total; i++) {
            invoices[i] = Fixtures.invoice(String.format("inv-pay-%05d", i), customers.get(i % CUSTOMERS),
                    i % 2 == 0 ? "EUR" : "USD", LocalDate.parse("2026-11-02").plusDays(i % 14), 30,
                    Integer.toString(1 + i % 4), 12_500 + 10L * i, "19", i + 1);
        }
        try (TableSeeder seeder = new TableSeeder(backends.dynamoDb.client(), table, 2)) {
            seeder.customers(customers);
            seeder.invoices(total, i -> invoices[i]);
        }

        SamTemplate.FunctionDef function = template.function("PaymentWebhookFunction");
        InProcessFunction handler = InProcessFunction.build(function, backends.environment(function, table));
        DynamoDbClient bare = AwsClients.configure(DynamoDbClient.builder(), AwsClients.Settings.fromEnvironment(),
                "DYNAMODB").build();

        Map<String, Integer> outcomes = new TreeMap<>();
        SdkMeter.Calls all = new SdkMeter.Calls(false);
        int[] dynamoDb = new int[payments];
        int[] sqs = new int[payments];
        int[] eventBridge = new int[payments];
        int sqsMessages = 0;
        int events = 0;
        double[] webhookMs = new double[payments];
        double[] bareMs = new double[payments];
        int completed = 0;
        double completedMillis = 0;
        for (int i = 0; i < total; i++) {
            byte[] event = paymentEvent(i, invoices[i]);
            SdkMeter.Calls calls = new SdkMeter.Calls(false);
            Answered webhook;
            double round;
            if (i % 2 == 0) {
                webhook = timedPayment(handler, event, calls);
                round = timedBareTransaction(bare, table, i);
            } else {
                round = timedBareTransaction(bare, table, i);
                webhook = timedPayment(handler, event, calls);
            }
            if (i < warmup) {
                continue;
            }
            int m = i - warmup;
            webhookMs[m] = webhook.millis();
            bareMs[m] = round;
            outcomes.merge(webhook.outcome(), 1, Integer::sum);
            if (webhook.outcome().equals("200 paid")) {
                dynamoDb[completed] = calls.calls("DynamoDb");
                sqs[completed] = calls.calls("Sqs");
                eventBridge[completed] = calls.calls("EventBridge");
                sqsMessages += calls.entries("Sqs");
                events += calls.entries("EventBridge");
                all.add(calls);
                completedMillis += webhook.millis();
                completed++;
            }
        }
        System.out.flush();
        bare.close();
        Relayed relayed = relay(table);
        Env.override(Map.of());
        backends.deleteTable(table);

        double n = Math.max(1, completed);
        Map<String, Double> perPayment = new TreeMap<>();
        for (String service : List.of("DynamoDb", "Sqs", "EventBridge", "SesV2", "SecretsManager", "Ssm")) {
            all.operations(service).forEach((op, calls) -> perPayment.put(service + "." + op, calls / n));
        }
        Map<String, Double> millisPerPayment = new TreeMap<>();
        all.millis().forEach((op, ms) -> millisPerPayment.put(op, ms / n));
        Result result = new Result(warmup, payments, completed, outcomes,
                sum(dynamoDb, completed) / n, max(dynamoDb, completed), sum(sqs, completed) / n, max(sqs, completed),
                sqsMessages / n, sum(eventBridge, completed) / n, max(eventBridge, completed), events / n, perPayment,
                millisPerPayment, completedMillis / n, percentile(webhookMs, 50), percentile(webhookMs, 99), percentile(bareMs, 50), percentile(bareMs, 99), relayed);
        Console.printf("  outcomes %s; per completing payment: DynamoDB %.2f calls (max %d), SQS %.2f calls (max %d, "
                        + "%.2f messages), EventBridge %.2f calls (%.2f events)%n  %s%n",
                outcomes, result.dynamoDbMean(), result.dynamoDbMax(), result.sqsMean(), result.sqsMax(),
                result.sqsMessagesMean(), result.eventBridgeMean(), result.eventsMean(), rounded(perPayment));
        Console.printf("  mean ms per completing payment: handler %.2f, in SDK calls %s%n", result.handlerMean(),
                rounded(millisPerPayment));
        Console.printf("  warm latency: webhook p50 %.2f ms, p99 %.2f ms; bare TransactWriteItems p50 %.2f ms, "
                + "p99 %.2f ms; p50 ratio %.2f%n", result.p50(), result.p99(), result.bareP50(), result.bareP99(), result.ratio());
        Console.printf("  then OutboxRelayFunction: %d outbox records in %d batches: %d SQS calls (%d messages), %d PutEvents "
                        + "(%d events), %d batch item failures, %.0f ms%n", relayed.records(), relayed.batches(),
                relayed.sqsCalls(), relayed.sqsMessages(), relayed.eventBridgeCalls(), relayed.events(),
                relayed.failures(), relayed.millis());
        return result;
    }

    /** Runs the relay over everything the payments committed, as the stream's event source mapping would. */
    private Relayed relay(String table) throws Exception {
        SamTemplate.FunctionDef function = template.function("OutboxRelayFunction");
        InProcessFunction relay = InProcessFunction.build(function, backends.environment(function, table));
        SdkMeter.Calls calls = new SdkMeter.Calls(false);
        int records = 0;
        int batches = 0;
        int failures = 0;
        long start = System.nanoTime();
        try (TableStream stream = TableStream.open(backends.dynamoDb, table)) {
            int[] invocations = {0};
            int[] failed = {0};
            // The template's filter (INSERTs with the relay marker), BatchSize and MaximumRetryAttempts.
            TableStream.Delivered delivered = stream.deliver(RELAY_BATCH, TableStream.insertsWith("relay", "outbox"),
                    event -> {
                        invocations[0]++;
                        try {
                            String answer = SdkMeter.measure(calls, () -> relay.invoke(TableStream.bytes(event)));
                            JsonNode answered = Fixtures.tree(answer).path("batchItemFailures");
                            failed[0] += answered.size();
                            return answered.isEmpty() ? null : answered.get(0).path("itemIdentifier").asText();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, 10);
            records = delivered.records();
            batches = invocations[0];
            failures = failed[0];
        }
        return new Relayed(records, batches, calls.calls("Sqs"), calls.entries("Sqs"), calls.calls("EventBridge"),
                calls.entries("EventBridge"), failures, (System.nanoTime() - start) / 1e6);
    }

    /** One webhook request: its wall time and {@code <status> <outcome>} of its answer. */
    private record Answered(double millis, String outcome) {
    }

    private static Answered timedPayment(InProcessFunction handler, byte[] event, SdkMeter.Calls calls)
            throws Exception {
        long start = System.nanoTime();
        String response = SdkMeter.measure(calls, () -> handler.invoke(event));
        double millis = (System.nanoTime() - start) / 1e6;
        JsonNode answer = Fixtures.tree(response);
        return new Answered(millis, answer.path("statusCode").asInt() + " " + outcomeOf(answer.path("body").asText(null)));
    }

    private static double timedBareTransaction(DynamoDbClient ddb, String table, int i) {
        Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("BENCH#bare#" + i),
                "sk", AttributeValue.fromS("BARE"), "at", AttributeValue.fromS(Instant.now().toString()));
        long start = System.nanoTime();
        ddb.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(item).conditionExpression("attribute_not_exists(pk)").build()).build()));
        return (System.nanoTime() - start) / 1e6;
    }

    /**
     * The API Gateway v2 (HttpApi payload 2.0) event of Stripe's {@code payment_intent.succeeded} for {@code invoice},
     * for exactly its amount due, signed now with the local endpoint secret as Stripe signs a delivery (see
     * {@link WebhookSignatures#signStripe}); shaped like {@code events/payment-webhook/stripe-payment-intent-succeeded.json}.
     */
    private static byte[] paymentEvent(int i, Invoice invoice) {
        long now = Instant.now().getEpochSecond();
        String body = "{\"id\":\"evt_bench_" + i + "\",\"object\":\"event\",\"api_version\":\"2024-06-20\","
                + "\"created\":" + now + ",\"type\":\"payment_intent.succeeded\",\"livemode\":false,"
                + "\"data\":{\"object\":{\"id\":\"pi_bench_" + i + "\",\"object\":\"payment_intent\","
                + "\"amount\":" + invoice.amountDue() + ",\"amount_received\":" + invoice.amountDue() + ","
                + "\"currency\":\"" + invoice.currency().toLowerCase(Locale.ROOT) + "\",\"created\":" + now + ","
                + "\"metadata\":{\"invoice_id\":\"" + invoice.invoiceId() + "\"},\"status\":\"succeeded\"}}}";
        String signature = WebhookSignatures.signStripe(body.getBytes(StandardCharsets.UTF_8), Samples.STRIPE_SECRET, now);
        ObjectNode event = Json.mapper().createObjectNode()
                .put("version", "2.0")
                .put("routeKey", "POST /webhooks/{provider}")
                .put("rawPath", "/webhooks/stripe")
                .put("rawQueryString", "");
        event.putObject("headers").put("content-type", "application/json").put("stripe-signature", signature);
        ObjectNode requestContext = event.putObject("requestContext")
                .put("requestId", "bench-payment-" + i)
                .put("routeKey", "POST /webhooks/{provider}")
                .put("stage", "$default")
                .put("timeEpoch", now * 1000);
        requestContext.putObject("http").put("method", "POST").put("path", "/webhooks/stripe")
                .put("protocol", "HTTP/1.1").put("sourceIp", "203.0.113.10");
        event.putObject("pathParameters").put("provider", "stripe");
        event.put("isBase64Encoded", false).put("body", body);
        return Json.write(event).getBytes(StandardCharsets.UTF_8);
    }

    private static String outcomeOf(String body) {
        JsonNode answer = Fixtures.tree(body == null || body.isBlank() ? "{}" : body);
        return answer.path("outcome").asText(answer.path("type").asText("?"));
    }

    private static Map<String, String> rounded(Map<String, Double> values) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, String.format(Locale.ROOT, "%.2f", v)));
        return out;
    }

    private static double sum(int[] v, int n) {
        return Arrays.stream(v, 0, n).sum();
    }

    private static int max(int[] v, int n) {
        return Arrays.stream(v, 0, n).max().orElse(0);
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
