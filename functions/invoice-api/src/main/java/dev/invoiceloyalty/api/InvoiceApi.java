package dev.invoiceloyalty.api;

import dev.invoiceloyalty.http.HttpRequest;
import dev.invoiceloyalty.http.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.ProblemException;
import dev.invoiceloyalty.mail.Emails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The routes of {@code InvoiceApiFunction}: checks the transport (size, media type, JSON), dispatches to the use
 * cases, and turns every refusal into {@code application/problem+json}.
 */
public final class InvoiceApi {
    /** SPEC §4: bodies over 256 KiB are refused with 413. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    static final String PUT_CUSTOMER = "PUT /customers/{customerId}";
    static final String GET_CUSTOMER = "GET /customers/{customerId}";
    static final String LIST_INVOICES = "GET /customers/{customerId}/invoices";
    static final String CREATE_INVOICE = "POST /invoices";
    static final String GET_INVOICE = "GET /invoices/{invoiceId}";
    static final String INVOICE_ACTION = "POST /invoices/{invoiceId}/actions/{action}";
    static final String REDEEM = "POST /customers/{customerId}/redemptions";
    static final String AGING_REPORT = "GET /reports/aging";

    private final Routes routes = new Routes(List.of(PUT_CUSTOMER, GET_CUSTOMER, LIST_INVOICES, CREATE_INVOICE,
            GET_INVOICE, INVOICE_ACTION, REDEEM, AGING_REPORT));
    private final CustomerService customers;
    private final InvoiceService invoices;
    private final RedemptionService redemptions;
    private final ReportService reports;
    private final Dependencies dependencies;

    /**
     * Everything the API needs from outside; built once per container. Only a DynamoDB client: the messages a change
     * announces (emails, events) are written in its transaction as an outbox item, and {@code OutboxRelayFunction}
     * sends them from the table's stream, so this function never calls SQS or EventBridge (issue 8).
     */
    public record Dependencies(DynamoDbClient dynamoDb, String table, String businessName, String defaultTimeZone,
                               ProgramConfig config, Clock clock) {
        public static Dependencies fromEnvironment() {
            AwsClients.Settings settings = AwsClients.Settings.fromEnvironment();
            return new Dependencies(
                    AwsClients.configure(DynamoDbClient.builder(), settings, "DYNAMODB").build(),
                    required("TABLE_NAME"), env("BUSINESS_NAME", "Example Co"), env("DEFAULT_TIME_ZONE", "UTC"),
                    ProgramConfig.fromEnvironment(), Clock.systemUTC());
        }
    }

    public InvoiceApi(Dependencies d) {
        this.dependencies = d;
        var customerStore = new DynamoDbCustomerStore(d.dynamoDb(), d.table());
        var invoiceStore = new DynamoDbInvoiceStore(d.dynamoDb(), d.table());
        var emails = new Emails(d.config(), d.businessName());
        this.customers = new CustomerService(customerStore, emails, d.config(),
                java.time.ZoneId.of(d.defaultTimeZone()).getId(), d.clock());
        this.invoices = new InvoiceService(invoiceStore, customerStore, customers, emails, d.config(), d.clock());
        this.redemptions = new RedemptionService(new dev.invoiceloyalty.adapters.DynamoDbRewardStore(d.dynamoDb(), d.table()),
                customerStore, invoiceStore, d.config(), d.clock());
        // The report names its currency, so the API needs no configured currency list.
        this.reports = new ReportService(new dev.invoiceloyalty.adapters.DynamoDbReceivablesStore(d.dynamoDb(),
                d.table(), List.of()), d.clock());
    }

    /** The clients and configuration this API was built with (its SnapStart priming uses the same ones). */
    Dependencies dependencies() {
        return dependencies;
    }

    public HttpResponse handle(HttpRequest request) {
        try {
            Routes.Match match = routes.match(request);
            if (match == null) {
                throw ProblemException.notFound("no route " + request.method() + " " + request.path());
            }
            Map<String, String> p = match.pathParameters();
            return switch (match.route()) {
                case PUT_CUSTOMER -> customers.put(p.get("customerId"), jsonBody(request, true));
                case GET_CUSTOMER -> customers.get(p.get("customerId"));
                case LIST_INVOICES -> invoices.list(p.get("customerId"), request.query());
                case CREATE_INVOICE -> invoices.create(request.header("idempotency-key"), jsonBody(request, true));
                case GET_INVOICE -> invoices.get(p.get("invoiceId"));
                case INVOICE_ACTION -> invoices.act(p.get("invoiceId"), p.get("action"), jsonBody(request, false));
                case REDEEM -> redemptions.redeem(p.get("customerId"), request.header("idempotency-key"),
                        jsonBody(request, true));
                case AGING_REPORT -> reports.aging(request.query());
                default -> throw ProblemException.notFound("no route " + match.route());
            };
        } catch (ProblemException e) {
            return HttpResponse.problem(e);
        } catch (RuntimeException e) {
            // Unexpected: log ids and the class only; the client gets a problem without internals.
            Log.event("unhandled_error", "requestId", request.requestId(), "route", request.routeKey(),
                    "error", e.getClass().getName(), "message", String.valueOf(e.getMessage()));
            return HttpResponse.problem(500, "internal-error", "Internal error",
                    "the request could not be completed; it is safe to retry with the same Idempotency-Key");
        }
    }

    /** The body as JSON: 413 over 256 KiB, 415 unless JSON, 400 when malformed. Absent optional bodies are null. */
    private static JsonNode jsonBody(HttpRequest request, boolean required) {
        byte[] body = request.body();
        if (body.length > MAX_BODY_BYTES) {
            throw new ProblemException(413, "payload-too-large", "Payload too large",
                    "the body is " + body.length + " bytes; the limit is " + MAX_BODY_BYTES, List.of());
        }
        if (body.length == 0) {
            if (required) {
                throw ProblemException.malformed("a JSON body is required");
            }
            return null;
        }
        String contentType = request.header("content-type");
        if (contentType == null || !isJson(contentType)) {
            throw new ProblemException(415, "unsupported-media-type", "Unsupported media type",
                    "send the body as application/json", List.of());
        }
        try {
            JsonNode node = Json.tree(body);
            if (node == null || node.isMissingNode()) {
                throw ProblemException.malformed("a JSON body is required");
            }
            return node;
        } catch (IOException e) {
            throw ProblemException.malformed("the body is not valid JSON");
        }
    }

    private static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    private static String required(String name) {
        String v = dev.invoiceloyalty.config.Env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is required");
        }
        return v;
    }

    private static String env(String name, String defaultValue) {
        String v = dev.invoiceloyalty.config.Env.get(name);
        return v == null || v.isBlank() ? defaultValue : v;
    }
}
