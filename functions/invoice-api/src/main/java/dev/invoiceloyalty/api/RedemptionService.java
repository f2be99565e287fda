package dev.invoiceloyalty.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.WriteConflict;
import dev.invoiceloyalty.adapters.AlreadyProcessed;
import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.DynamoDbRewardStore;
import dev.invoiceloyalty.adapters.DynamoDbRewardStore.LedgerEntry;
import dev.invoiceloyalty.adapters.IdempotencyRecord;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.adapters.Versioned;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Currencies;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.FieldError;
import dev.invoiceloyalty.domain.ProblemException;
import dev.invoiceloyalty.http.HttpResponse;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /customers/{id}/redemptions}: converts points to credit at the program rate (100 points = 1.00 by
 * default), spending the oldest-expiring points first. Idempotent under {@code Idempotency-Key}: the points, the
 * new credit lot, the ledger entry, the cached balances and the idempotency record change in one transaction.
 */
final class RedemptionService {
    private static final Set<String> FIELDS = Set.of("points", "currency");

    private final DynamoDbRewardStore rewards;
    private final DynamoDbCustomerStore customers;
    private final DynamoDbInvoiceStore invoices;
    private final ProgramConfig config;
    private final Clock clock;

    RedemptionService(DynamoDbRewardStore rewards, DynamoDbCustomerStore customers, DynamoDbInvoiceStore invoices,
                      ProgramConfig config, Clock clock) {
        this.rewards = rewards;
        this.customers = customers;
        this.invoices = invoices;
        this.config = config;
        this.clock = clock;
    }

    HttpResponse redeem(String customerId, String idempotencyKey, JsonNode body) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
            throw ProblemException.invalid("Idempotency-Key", "the Idempotency-Key header is required (at most 255 characters)");
        }
        String scope = "POST /customers/" + customerId + "/redemptions";
        String hash = InvoiceService.requestHash(body);
        for (int attempt = 1; attempt <= 20; attempt++) {
            IdempotencyRecord previous = invoices.findIdempotency(scope, idempotencyKey);
            if (previous != null) {
                if (!previous.requestHash().equals(hash)) {
                    throw ProblemException.conflict("idempotency-key-reused",
                            "this Idempotency-Key was used with a different request body");
                }
                return HttpResponse.json(previous.status(), previous.responseBody()).withHeader("idempotent-replayed", "true");
            }
            var request = parse(body);
            Versioned<Customer> found = customers.find(customerId);
            if (found == null) {
                throw ProblemException.notFound("customer " + customerId + " does not exist");
            }
            long credit = creditFor(request.points, request.currency);
            var lots = rewards.pointsLots(customerId);
            long available = lots.stream().mapToLong(DynamoDbRewardStore.Lot::remaining).sum();
            if (available < request.points) {
                throw ProblemException.unprocessable("insufficient-points", "the customer has " + available
                        + " points; " + request.points + " were asked for",
                        List.of(new FieldError("points", "exceeds the balance of " + available)));
            }
            Instant now = clock.instant();
            // Random: the idempotency record, not the entry id, makes the redemption happen once; a key reused after
            // its record expired is a new redemption with a new entry.
            String entryId = "redemption#" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 24);
            String expiresAt = now.atZone(ZoneId.of("UTC")).plusMonths(config.rewards().expiry().creditMonths())
                    .toInstant().toString();
            LedgerEntry entry = new LedgerEntry(entryId, "REDEEMED", "redemption", null, -request.points, credit,
                    request.currency, now.toString(), expiresAt, config.version());
            Customer c = found.value();
            Map<String, Long> credits = new LinkedHashMap<>(c.loyalty().credits());
            credits.merge(request.currency, credit, Long::sum);
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("entries", List.of(ledgerView(entry)));
            response.put("points", c.loyalty().points() - request.points);
            response.put("credits", credits);
            String responseBody = Json.write(response);

            // The idempotency record is the fact's marker: it exists exactly as long as the key may be replayed, so
            // a key reused after it expired starts a new redemption instead of colliding with an old marker.
            Map<String, AttributeValue> idem = new HashMap<>(Attr.key(Keys.idempotencyPk(scope, idempotencyKey),
                    Keys.IDEMPOTENCY_SK));
            idem.put("type", Attr.s("IDEMPOTENCY"));
            idem.put("requestHash", Attr.s(hash));
            idem.put("status", Attr.n(201));
            idem.put("responseBody", Attr.s(responseBody));
            idem.put("resourcePk", Attr.s(Keys.customerPk(customerId)));
            idem.put(Keys.TTL, Attr.n(DynamoDbInvoiceStore.ttlAfter(now, config.invoice().idempotencyHours())));
            var commit = rewards.commit(idem, now);
            long left = request.points;
            for (var lot : lots) {
                if (left == 0) {
                    break;
                }
                long take = Math.min(left, lot.remaining());
                commit.lotRemaining(customerId, lot.sk(), lot.remaining(), lot.remaining() - take);
                left -= take;
            }
            if (commit.size() > 90) {
                throw ProblemException.unprocessable("too-many-lots", "redeem fewer points at once (at most 85 lots)");
            }
            commit.ledger(customerId, entry)
                    .newLot(customerId, Keys.creditLotSk(request.currency, expiresAt, entryId), entryId, credit,
                            request.currency, expiresAt)
                    .customer(customerId, found.version(), -request.points, Map.of(request.currency, credit), Map.of());
            try {
                commit.run();
            } catch (AlreadyProcessed | WriteConflict e) {
                continue; // a concurrent redemption or reward moved the balance: read again (or replay)
            }
            Log.event("points_redeemed", "customerId", customerId, "points", request.points, "credit", credit,
                    "currency", request.currency);
            return HttpResponse.json(201, responseBody);
        }
        throw new ProblemException(503, "contention", "Busy", "the balance is changing concurrently; retry", List.of());
    }

    private record Request(long points, String currency) {
    }

    private Request parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.malformed("the body must be a JSON object {\"points\", \"currency\"}");
        }
        List<FieldError> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                errors.add(new FieldError(f, "unknown field"));
            }
        });
        JsonNode p = body.get("points");
        long points = 0;
        if (p == null || !p.isIntegralNumber() || !p.canConvertToLong() || p.asLong() <= 0) {
            errors.add(new FieldError("points", "must be a positive integer"));
        } else {
            points = p.asLong();
        }
        JsonNode c = body.get("currency");
        String currency = c == null || !c.isTextual() ? null : c.asText();
        if (!Currencies.isSupported(currency)) {
            errors.add(new FieldError("currency", "must be an ISO 4217 code in upper case, such as USD"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new Request(points, currency);
    }

    /** Credit in minor units for {@code points}: exact, or a 400 naming the step that makes it exact. */
    private long creditFor(long points, String currency) {
        var rate = config.rewards().redemption();
        BigDecimal major = rate.creditMajor().multiply(BigDecimal.valueOf(points))
                .divide(BigDecimal.valueOf(rate.points()), 10, java.math.RoundingMode.UNNECESSARY);
        BigDecimal minor = major.movePointRight(Currencies.exponent(currency)).stripTrailingZeros();
        if (minor.scale() > 0) {
            throw ProblemException.invalid("points", "must convert to whole " + currency + " minor units: "
                    + rate.points() + " points = " + rate.creditMajor().toPlainString() + " " + currency);
        }
        return minor.longValueExact();
    }

    static Map<String, Object> ledgerView(LedgerEntry e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("entryId", e.entryId());
        v.put("type", e.type());
        v.put("rule", e.rule());
        v.put("invoiceId", e.invoiceId());
        v.put("points", e.points());
        v.put("amount", e.amount());
        v.put("currency", e.currency());
        v.put("createdAt", e.createdAt());
        v.put("expiresAt", e.expiresAt());
        return v;
    }
}
