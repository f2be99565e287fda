package dev.invoiceloyalty.adapters;

import dev.invoiceloyalty.config.Env;
import dev.invoiceloyalty.domain.Currencies;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Accounts receivable on the one table, for aging as of any date (access pattern 16 of {@code shared-model/README.md}):
 * GSI3 {@code AR#<currency>} / {@code <closedAt or ~OPEN>#<invoiceId>} holds every non-void invoice of a currency
 * sorted by when it stopped being receivable, so the invoices receivable on a date are one range query. Never a Scan.
 *
 * <p>Which currencies to report is configuration, not discovered: GSI3 is partitioned per currency, and finding the
 * non-empty partitions would take a query per ISO 4217 code (~180) or a Scan. {@link #currencies()} is the list given
 * to the constructor, by default {@code AGING_CURRENCIES} from the environment (comma-separated ISO codes,
 * {@code USD} when unset).
 */
public final class DynamoDbReceivablesStore {
    /** Environment variable naming the currencies the scheduled statements report, e.g. {@code USD,EUR,JPY}. */
    public static final String CURRENCIES_VARIABLE = "AGING_CURRENCIES";

    /** The easternmost offset in use (Pacific/Kiritimati): where a calendar date begins first. */
    private static final ZoneOffset EARLIEST_OFFSET = ZoneOffset.ofHours(14);

    private final DynamoDbClient ddb;
    private final String table;
    private final List<String> currencies;

    public DynamoDbReceivablesStore(DynamoDbClient ddb, String table) {
        this(ddb, table, currenciesFromEnvironment());
    }

    /** @param currencies the ISO 4217 codes {@link #currencies()} answers, in report order */
    public DynamoDbReceivablesStore(DynamoDbClient ddb, String table, List<String> currencies) {
        for (String c : currencies) {
            if (!Currencies.isSupported(c)) {
                throw new IllegalArgumentException(CURRENCIES_VARIABLE + ": " + c + " is not an ISO 4217 currency");
            }
        }
        this.ddb = ddb;
        this.table = table;
        this.currencies = List.copyOf(currencies);
    }

    /**
     * Invoices of currency that were receivable at some point of asOf (in any time zone): those still open and those
     * closed after asOf began at UTC+14, issued on or before asOf. A superset of what {@code Aging.compute} keeps,
     * which decides per invoice in its own zone. Reads the open invoices of the currency plus those closed since
     * that instant, paged; eventually consistent (a report is a point-in-time view, not a guard).
     */
    public List<Invoice> receivableOn(String currency, LocalDate asOf) {
        // Closing instants are ISO-8601 UTC text, which sorts as time for equal precision; cut at the minute so a
        // fractional "…T10:00:00.250Z" (which sorts before "…T10:00:00Z") is never missed: the bound is inclusive
        // enough, and the pure computation drops what closed before the invoice's own day began.
        String from = asOf.atStartOfDay(EARLIEST_OFFSET).toInstant().toString().substring(0, "yyyy-MM-ddTHH:mm".length());
        Map<String, AttributeValue> values = Map.of(
                ":pk", Attr.s(Keys.receivablesGsi3Pk(currency)),
                ":from", Attr.s(from),
                ":asOf", Attr.s(asOf.toString()));
        List<Invoice> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = ddb.query(QueryRequest.builder().tableName(table).indexName(Keys.GSI3)
                    .keyConditionExpression(Keys.GSI3_PK + " = :pk AND " + Keys.GSI3_SK + " > :from")
                    // Read capacity is spent before the filter; it only keeps later invoices off the wire.
                    .filterExpression("issueDate <= :asOf")
                    .expressionAttributeValues(values)
                    .exclusiveStartKey(start)
                    .build());
            page.items().forEach(item -> out.add(DynamoDbInvoiceStore.decode(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** The currencies to report, as configured (see the class comment for why they are not discovered). */
    public List<String> currencies() {
        return currencies;
    }

    private static List<String> currenciesFromEnvironment() {
        return Arrays.stream(Env.get(CURRENCIES_VARIABLE, "USD").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
