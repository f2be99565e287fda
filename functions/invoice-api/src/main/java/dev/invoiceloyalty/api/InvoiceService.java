package dev.invoiceloyalty.api;

import dev.invoiceloyalty.http.HttpRequest;
import dev.invoiceloyalty.http.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.IdempotencyRecord;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.Versioned;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.AppliedCredit;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceFactory;
import dev.invoiceloyalty.domain.InvoiceRequest;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.domain.InvoiceTransitions;
import dev.invoiceloyalty.domain.ProblemException;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.table.Keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Invoice creation (idempotent, gap-free numbering), reads, listing and client actions. */
final class InvoiceService {
    static final String CREATE_SCOPE = "POST /invoices";
    /** Enough rounds for every one of dozens of concurrent creates to win its number once. */
    private static final int MAX_ATTEMPTS = 200;
    /** A transaction holds ≤ 100 items; 2 per credit lot leaves room for the rest. */
    private static final int MAX_CREDIT_LOTS = 40;
    private static final char[] ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final DynamoDbInvoiceStore invoices;
    private final DynamoDbCustomerStore customers;
    private final CustomerService customerService;
    private final Emails emails;
    private final ProgramConfig config;
    private final InvoiceFactory factory;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    InvoiceService(DynamoDbInvoiceStore invoices, DynamoDbCustomerStore customers, CustomerService customerService,
                   Emails emails, ProgramConfig config, Clock clock) {
        this.invoices = invoices;
        this.customers = customers;
        this.customerService = customerService;
        this.emails = emails;
        this.config = config;
        this.factory = new InvoiceFactory(config);
        this.clock = clock;
    }

    HttpResponse create(String idempotencyKey, JsonNode body) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw ProblemException.invalid("Idempotency-Key", "the Idempotency-Key header is required");
        }
        if (idempotencyKey.length() > 255) {
            throw ProblemException.invalid("Idempotency-Key", "must be at most 255 characters");
        }
        String hash = requestHash(body);
        InvoiceRequest request = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            IdempotencyRecord previous = invoices.findIdempotency(CREATE_SCOPE, idempotencyKey);
            if (previous != null) {
                return replay(previous, hash);
            }
            if (request == null) {
                request = InvoiceRequest.parse(body, config.invoice().maxLineItems());
            }
            Versioned<Customer> found = customers.find(request.customerId());
            if (found == null) {
                throw ProblemException.unprocessable("unknown-customer",
                        "customer " + request.customerId() + " does not exist; create it with PUT /customers/{customerId} first",
                        List.of(new dev.invoiceloyalty.domain.FieldError("customerId", "does not exist")));
            }
            Customer customer = found.value();
            Instant now = clock.instant();
            LocalDate issueDate = InvoiceFactory.issueDate(request, customer, now);
            LocalDate dueDate = factory.dueDate(request, issueDate);
            var lines = InvoiceFactory.lines(request);
            long gross = InvoiceFactory.gross(lines);
            if (request.externalReference() != null) {
                String existing = invoices.existingInvoiceForReference(request.customerId(), request.externalReference());
                if (existing != null) {
                    throw ProblemException.conflict("duplicate-external-reference", "invoice " + existing
                            + " already has externalReference " + request.externalReference() + " for this customer");
                }
            }
            // Seam for rewards: the customer's open credits in this currency, oldest-expiring first. The profile's
            // cached balance (kept in the same transactions as the lots) says whether there are any: most customers
            // have none, and their invoices skip the Query (issue 8: one call fewer per invoice).
            boolean mayHaveCredit = customer.loyalty().credits().getOrDefault(request.currency(), 0L) > 0;
            var lots = mayHaveCredit ? customers.openCreditLots(request.customerId(), request.currency(), now)
                    : List.<dev.invoiceloyalty.domain.CreditLot>of();
            List<AppliedCredit> credits = AppliedCredit.apply(
                    lots.size() > MAX_CREDIT_LOTS ? lots.subList(0, MAX_CREDIT_LOTS) : lots, gross);
            int year = issueDate.getYear();
            long previousSequence = invoices.lastSequence(year);
            Invoice invoice = factory.create(newInvoiceId(), InvoiceFactory.number(year, previousSequence + 1),
                    request, customer, issueDate, dueDate, lines, credits, now);
            String response = Json.write(invoice);
            var mail = emails.invoiceIssued(invoice, customer);
            // Announced in the creation's own transaction (one outbox item); the outbox relay sends them from the
            // table's stream. A retry that replays never writes them again, so they go out once.
            List<OutboxMessage> messages = List.of(
                    OutboxMessage.mail(mail.emailId(), Json.write(mail)),
                    OutboxMessage.event("InvoiceCreated#" + invoice.invoiceId(), "InvoiceCreated", response));
            String pk = Keys.invoicePk(invoice.invoiceId());
            try {
                invoices.create(new DynamoDbInvoiceStore.NewInvoice(invoice, year, previousSequence,
                        new IdempotencyRecord(CREATE_SCOPE, idempotencyKey, hash, 201, response, pk), credits, messages,
                        DynamoDbInvoiceStore.ttlAfter(now, config.invoice().idempotencyHours())));
            } catch (DynamoDbInvoiceStore.IdempotencyKeyTaken e) {
                continue; // the next round reads the winner's record and replays it
            } catch (DynamoDbInvoiceStore.Contention e) {
                backOff(attempt);
                continue;
            }
            Log.event("invoice_created", "invoiceId", invoice.invoiceId(), "customerId", invoice.customerId(),
                    "number", invoice.number(), "total", invoice.total(), "currency", invoice.currency(),
                    "attempts", attempt);
            return HttpResponse.json(201, response).withHeader("location", "/invoices/" + invoice.invoiceId());
        }
        throw new ProblemException(503, "contention", "Busy",
                "too many concurrent invoice creations; retry with the same Idempotency-Key", List.of());
    }

    private HttpResponse replay(IdempotencyRecord previous, String hash) {
        if (!previous.requestHash().equals(hash)) {
            throw ProblemException.conflict("idempotency-key-reused",
                    "this Idempotency-Key was used with a different request body");
        }
        return HttpResponse.json(previous.status(), previous.responseBody()).withHeader("idempotent-replayed", "true");
    }

    HttpResponse get(String invoiceId) {
        return HttpResponse.json(200, Json.write(require(invoiceId).value()));
    }

    HttpResponse list(String customerId, Map<String, String> query) {
        customerService.require(customerId);
        InvoiceStatus status = null;
        String s = query.get("status");
        if (s != null && !s.isBlank()) {
            try {
                status = InvoiceStatus.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("status", "must be one of OPEN, PARTIALLY_PAID, PAID, VOID, UNCOLLECTIBLE");
            }
        }
        int limit = 50;
        String l = query.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 100) {
                throw ProblemException.invalid("limit", "must be an integer between 1 and 100");
            }
        }
        var page = invoices.listByCustomer(customerId, status, limit, query.get("nextToken"));
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("invoices", page.invoices());
        body.put("nextToken", page.nextToken());
        return HttpResponse.json(200, body);
    }

    HttpResponse act(String invoiceId, String actionName, JsonNode body) {
        InvoiceTransitions.Action action = InvoiceTransitions.Action.fromPath(actionName);
        if (action == null) {
            throw ProblemException.notFound("unknown action " + actionName
                    + "; use void, mark-uncollectible, dispute, resolve-dispute, pause-reminders or resume-reminders");
        }
        LocalDate until = null;
        if (action == InvoiceTransitions.Action.PAUSE_REMINDERS) {
            until = untilDate(body);
        }
        for (int attempt = 1; attempt <= 20; attempt++) {
            Versioned<Invoice> current = require(invoiceId);
            Customer customer = customerService.require(current.value().customerId());
            Invoice next = InvoiceTransitions.apply(current.value(), action, until, customer.timeZone(), clock.instant());
            try {
                invoices.update(next, current.version(), List.of());
            } catch (DynamoDbInvoiceStore.Contention e) {
                backOff(attempt);
                continue;
            }
            Log.event("invoice_action", "invoiceId", invoiceId, "action", action.path(), "status", next.status().name());
            return HttpResponse.json(200, Json.write(next));
        }
        throw new ProblemException(503, "contention", "Busy", "the invoice is being changed concurrently; retry", List.of());
    }

    private static LocalDate untilDate(JsonNode body) {
        JsonNode until = body == null ? null : body.get("until");
        if (until == null || !until.isTextual()) {
            throw ProblemException.invalid("until", "is required: a date YYYY-MM-DD");
        }
        try {
            return LocalDate.parse(until.asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.invalid("until", "must be a date YYYY-MM-DD");
        }
    }

    private Versioned<Invoice> require(String invoiceId) {
        Versioned<Invoice> v = invoices.find(invoiceId);
        if (v == null) {
            throw ProblemException.notFound("invoice " + invoiceId + " does not exist");
        }
        return v;
    }

    /** Opaque, unguessable, URL-safe: {@code inv_} and 24 base-36 characters (~124 bits). */
    private String newInvoiceId() {
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
        }
        return "inv_" + new String(id);
    }

    /**
     * SHA-256 of the body with object keys sorted, so key order and whitespace do not count as "another body". The
     * canonical form is written straight from the tree (keys in {@code String} order, numbers as parsed): the same
     * bytes Jackson writes for the body as plain maps with {@code ORDER_MAP_ENTRIES_BY_KEYS}, without building its
     * untyped deserializer and map serializer on a cold start (issue 8).
     */
    static String requestHash(JsonNode body) {
        try {
            var out = new java.io.ByteArrayOutputStream();
            try (var g = Json.factory().createGenerator(out)) {
                writeCanonical(body, g);
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        } catch (NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeCanonical(JsonNode n, com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException {
        if (n.isObject()) {
            List<String> names = new java.util.ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            java.util.Collections.sort(names);
            g.writeStartObject();
            for (String name : names) {
                g.writeFieldName(name);
                writeCanonical(n.get(name), g);
            }
            g.writeEndObject();
        } else if (n.isArray()) {
            g.writeStartArray();
            for (JsonNode element : n) {
                writeCanonical(element, g);
            }
            g.writeEndArray();
        } else if (n.isTextual()) {
            g.writeString(n.textValue());
        } else if (n.isBoolean()) {
            g.writeBoolean(n.booleanValue());
        } else if (n.isNull()) {
            g.writeNull();
        } else if (n.isInt()) {
            g.writeNumber(n.intValue());
        } else if (n.isLong()) {
            g.writeNumber(n.longValue());
        } else if (n.isBigInteger()) {
            g.writeNumber(n.bigIntegerValue());
        } else if (n.isNumber()) {
            g.writeNumber(n.decimalValue());
        } else {
            g.writeString(n.asText());
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(2, 10 + Math.min(attempt, 20) * 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
