package dev.invoiceloyalty.payments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the signed sample webhooks in {@code events/payment-webhook/}: API Gateway HttpApi (payload 2.0) events
 * for {@code POST /webhooks/{provider}}, signed with the local-stack defaults of SPEC §10 at {@link #SIGNED_AT}.
 * {@code WebhookSignaturesTest} checks that every file this class writes is on disk, unchanged, and verifies.
 *
 * <p>To change or add a sample, edit it here and regenerate (the generator needs only the compiled classes):
 * <pre>
 * cd shared-model &amp;&amp; mvn -q test-compile &amp;&amp; \
 *   java -cp target/classes:target/test-classes dev.invoiceloyalty.payments.SampleWebhookEvents ../events/payment-webhook
 * </pre>
 * The bodies below are the exact bytes the providers would send: Stripe pretty-prints its JSON (two-space
 * indent, no trailing newline), Square sends it compact.
 */
public final class SampleWebhookEvents {
    public static final String STRIPE_SECRET = "whsec_local";
    public static final String SQUARE_SIGNATURE_KEY = "square_local";
    public static final String SQUARE_NOTIFICATION_URL = "http://127.0.0.1:3000/webhooks/square";
    /** 2026-11-22T09:00:00Z, the time of every sample in {@code events/}. */
    public static final long SIGNED_AT = 1795338000L;

    private static final String STRIPE_USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)";
    private static final String SQUARE_USER_AGENT = "Square Connect v2";

    /** One sample: its file name, provider, raw body, and whether API Gateway delivers it base64-encoded. */
    public record Sample(String fileName, String provider, String body, boolean base64) {
        public byte[] bodyBytes() {
            return body.getBytes(StandardCharsets.UTF_8);
        }
    }

    private SampleWebhookEvents() {
    }

    public static List<Sample> samples() {
        return List.of(
                new Sample("stripe-payment-intent-succeeded.json", "stripe",
                        paymentIntentSucceeded("evt_3QxSample0PaySucceeded01", "pi_3QxSample0Payment000001",
                                "req_Sample0Confirm01"), false),
                new Sample("stripe-payment-intent-succeeded-base64.json", "stripe",
                        paymentIntentSucceeded("evt_3QxSample0PaySucceeded02", "pi_3QxSample0Payment000002",
                                "req_Sample0Confirm02"), true),
                new Sample("stripe-charge-refunded.json", "stripe", STRIPE_CHARGE_REFUNDED, false),
                new Sample("stripe-charge-dispute-created.json", "stripe",
                        dispute("evt_1QxSample0DisputeOpen01", "charge.dispute.created", "needs_response"), false),
                new Sample("stripe-charge-dispute-closed-lost.json", "stripe",
                        dispute("evt_1QxSample0DisputeLost01", "charge.dispute.closed", "lost"), false),
                new Sample("stripe-customer-created-ignored.json", "stripe", STRIPE_CUSTOMER_CREATED, false),
                new Sample("square-payment-updated.json", "square", SQUARE_PAYMENT_UPDATED, false),
                new Sample("square-refund-updated.json", "square", SQUARE_REFUND_UPDATED, false));
    }

    /** The signature header name and value for a sample, signed with the local secrets. */
    public static Map.Entry<String, String> signatureHeader(Sample sample) {
        return switch (sample.provider()) {
            case "stripe" -> Map.entry("stripe-signature",
                    WebhookSignatures.signStripe(sample.bodyBytes(), STRIPE_SECRET, SIGNED_AT));
            case "square" -> Map.entry("x-square-hmacsha256-signature",
                    WebhookSignatures.signSquare(sample.bodyBytes(), SQUARE_SIGNATURE_KEY, SQUARE_NOTIFICATION_URL));
            default -> throw new IllegalArgumentException(sample.provider());
        };
    }

    /** The complete file content for a sample: the API Gateway event, pretty-printed, ending in a newline. */
    public static String render(Sample sample) {
        String path = "/webhooks/" + sample.provider();
        String userAgent = sample.provider().equals("stripe") ? STRIPE_USER_AGENT : SQUARE_USER_AGENT;
        Map.Entry<String, String> signature = signatureHeader(sample);

        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("host", "abc123.execute-api.us-east-1.amazonaws.com");
        headers.put(signature.getKey(), signature.getValue());
        headers.put("user-agent", userAgent);
        headers.put("x-amzn-trace-id", "Root=1-6740a1b2-0123456789abcdef01234567");

        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", "POST");
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "203.0.113.10");
        http.put("userAgent", userAgent);

        Map<String, Object> requestContext = new LinkedHashMap<>();
        requestContext.put("accountId", "123456789012");
        requestContext.put("apiId", "abc123");
        requestContext.put("domainName", "abc123.execute-api.us-east-1.amazonaws.com");
        requestContext.put("domainPrefix", "abc123");
        requestContext.put("http", http);
        requestContext.put("requestId", "req-POST-_webhooks_" + sample.fileName().replace(".json", ""));
        requestContext.put("routeKey", "POST /webhooks/{provider}");
        requestContext.put("stage", "$default");
        requestContext.put("time", "22/Nov/2026:09:00:00 +0000");
        requestContext.put("timeEpoch", SIGNED_AT * 1000);

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "POST /webhooks/{provider}");
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.put("headers", headers);
        event.put("requestContext", requestContext);
        event.put("isBase64Encoded", sample.base64());
        event.put("pathParameters", Map.of("provider", sample.provider()));
        event.put("body", sample.base64() ? Base64.getEncoder().encodeToString(sample.bodyBytes()) : sample.body());

        StringBuilder out = new StringBuilder();
        writeJson(out, event, "");
        return out.append('\n').toString();
    }

    /** Writes every sample into {@code args[0]} (default {@code ../events/payment-webhook}, from shared-model). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "../events/payment-webhook");
        Files.createDirectories(dir);
        for (Sample sample : samples()) {
            Path file = dir.resolve(sample.fileName());
            Files.writeString(file, render(sample), StandardCharsets.UTF_8);
            System.out.println("wrote " + file);
        }
    }

    // --- bodies ---

    private static String paymentIntentSucceeded(String eventId, String paymentIntentId, String requestId) {
        String chargeId = "ch_" + paymentIntentId.substring("pi_".length());
        return """
                {
                  "id": "%s",
                  "object": "event",
                  "api_version": "2024-06-20",
                  "created": 1795338000,
                  "data": {
                    "object": {
                      "id": "%s",
                      "object": "payment_intent",
                      "amount": 11000,
                      "amount_capturable": 0,
                      "amount_received": 11000,
                      "capture_method": "automatic",
                      "created": 1795338000,
                      "currency": "eur",
                      "customer": null,
                      "description": "Rechnung INV-2026-0042 – Müller GmbH",
                      "latest_charge": "%s",
                      "livemode": false,
                      "metadata": {
                        "invoice_id": "inv_sample"
                      },
                      "payment_method": "pm_1QxSample0Card0000001",
                      "payment_method_types": [
                        "card"
                      ],
                      "status": "succeeded"
                    }
                  },
                  "livemode": false,
                  "pending_webhooks": 1,
                  "request": {
                    "id": "%s",
                    "idempotency_key": "7c1f0a9e-sample-pay-inv_sample"
                  },
                  "type": "payment_intent.succeeded"
                }""".formatted(eventId, paymentIntentId, chargeId, requestId);
    }

    private static final String STRIPE_CHARGE_REFUNDED = """
            {
              "id": "evt_3QxSample0ChargeRefund1",
              "object": "event",
              "api_version": "2024-06-20",
              "created": 1795338000,
              "data": {
                "object": {
                  "id": "ch_3QxSample0Payment000001",
                  "object": "charge",
                  "amount": 11000,
                  "amount_captured": 11000,
                  "amount_refunded": 3000,
                  "captured": true,
                  "created": 1795338000,
                  "currency": "eur",
                  "livemode": false,
                  "metadata": {
                    "invoice_id": "inv_sample"
                  },
                  "paid": true,
                  "payment_intent": "pi_3QxSample0Payment000001",
                  "refunded": false,
                  "status": "succeeded"
                },
                "previous_attributes": {
                  "amount_refunded": 0
                }
              },
              "livemode": false,
              "pending_webhooks": 1,
              "request": {
                "id": "req_Sample0Refund01",
                "idempotency_key": "3b9d6c2e-sample-refund-inv_sample"
              },
              "type": "charge.refunded"
            }""";

    private static String dispute(String eventId, String type, String status) {
        return """
                {
                  "id": "%s",
                  "object": "event",
                  "api_version": "2024-06-20",
                  "created": 1795338000,
                  "data": {
                    "object": {
                      "id": "dp_1QxSample0Dispute000001",
                      "object": "dispute",
                      "amount": 11000,
                      "charge": "ch_3QxSample0Payment000001",
                      "created": 1795338000,
                      "currency": "eur",
                      "is_charge_refundable": false,
                      "livemode": false,
                      "metadata": {
                        "invoice_id": "inv_sample"
                      },
                      "payment_intent": "pi_3QxSample0Payment000001",
                      "reason": "fraudulent",
                      "status": "%s"
                    }
                  },
                  "livemode": false,
                  "pending_webhooks": 1,
                  "request": {
                    "id": null,
                    "idempotency_key": null
                  },
                  "type": "%s"
                }""".formatted(eventId, status, type);
    }

    private static final String STRIPE_CUSTOMER_CREATED = """
            {
              "id": "evt_1QxSample0CustCreated01",
              "object": "event",
              "api_version": "2024-06-20",
              "created": 1795338000,
              "data": {
                "object": {
                  "id": "cus_QxSample0Cust01",
                  "object": "customer",
                  "created": 1795338000,
                  "currency": null,
                  "description": null,
                  "email": "ap@acme.example",
                  "livemode": false,
                  "metadata": {},
                  "name": "Acme GmbH"
                }
              },
              "livemode": false,
              "pending_webhooks": 1,
              "request": {
                "id": "req_Sample0Customer01",
                "idempotency_key": "5e2a7f10-sample-customer"
              },
              "type": "customer.created"
            }""";

    private static final String SQUARE_PAYMENT_UPDATED = "{\"merchant_id\":\"6SSW7HV8K2ST5\",\"type\":\"payment.updated\","
            + "\"event_id\":\"5f9c7a2e-1d3b-4c8e-9a6f-2b7d0e4c1a93\",\"created_at\":\"2026-11-22T09:00:00.412Z\","
            + "\"data\":{\"type\":\"payment\",\"id\":\"R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY\",\"object\":{\"payment\":{"
            + "\"id\":\"R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY\",\"created_at\":\"2026-11-22T08:59:58.104Z\","
            + "\"updated_at\":\"2026-11-22T09:00:00.388Z\",\"amount_money\":{\"amount\":11000,\"currency\":\"EUR\"},"
            + "\"total_money\":{\"amount\":11000,\"currency\":\"EUR\"},\"status\":\"COMPLETED\",\"source_type\":\"CARD\","
            + "\"location_id\":\"L1SAMPLE0LOCATION\",\"order_id\":\"pRsSample0Order0000000000001\","
            + "\"reference_id\":\"inv_sample\",\"version\":3}}}}";

    private static final String SQUARE_REFUND_UPDATED = "{\"merchant_id\":\"6SSW7HV8K2ST5\",\"type\":\"refund.updated\","
            + "\"event_id\":\"b0e4d6a1-7c2f-4e95-8d3a-6f1c9b2e7a04\",\"created_at\":\"2026-11-22T09:00:00.733Z\","
            + "\"data\":{\"type\":\"refund\",\"id\":\"R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY_Sample0Refund0001\",\"object\":{\"refund\":{"
            + "\"id\":\"R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY_Sample0Refund0001\",\"payment_id\":\"R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY\","
            + "\"status\":\"COMPLETED\",\"amount_money\":{\"amount\":3000,\"currency\":\"EUR\"},"
            + "\"created_at\":\"2026-11-22T08:59:59.020Z\",\"updated_at\":\"2026-11-22T09:00:00.701Z\","
            + "\"location_id\":\"L1SAMPLE0LOCATION\",\"order_id\":\"pRsSample0Order0000000000001\","
            + "\"reason\":\"Partial refund\",\"version\":2}}}}";

    // --- a JSON writer just big enough for the envelope, in the style of the other files in events/ ---

    private static void writeJson(StringBuilder out, Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            String inner = indent + "  ";
            out.append("{\n");
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(",\n");
                }
                first = false;
                out.append(inner);
                writeString(out, (String) e.getKey());
                out.append(": ");
                writeJson(out, e.getValue(), inner);
            }
            out.append('\n').append(indent).append('}');
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer) {
            out.append(value);
        } else {
            throw new IllegalArgumentException("unsupported JSON value: " + value.getClass());
        }
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
