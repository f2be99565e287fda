package dev.invoiceloyalty.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The validated body of {@code POST /invoices}. Parsing collects every field error at once; nothing here
 * touches storage, so a rejected request cannot have written anything.
 *
 * @param issueDate may be null: "today" in the customer's time zone, resolved once the customer is known
 * @param dueDate   null when {@code netDays} (or the configured default) decides it
 * @param netDays   null when {@code dueDate} is given or the default applies
 */
public record InvoiceRequest(String customerId, String currency, LocalDate issueDate, LocalDate dueDate,
                             Integer netDays, List<Line> lineItems, String externalReference,
                             EarlyDiscount earlyPaymentDiscount, String paymentUrl) {

    public record Line(String description, BigDecimal quantity, long unitAmount, BigDecimal taxRate) {
    }

    public record EarlyDiscount(BigDecimal percent, int withinDays) {
    }

    private static final Set<String> FIELDS = Set.of("customerId", "currency", "issueDate", "dueDate", "netDays",
            "lineItems", "externalReference", "earlyPaymentDiscount", "paymentUrl");
    private static final Set<String> LINE_FIELDS = Set.of("description", "quantity", "unitAmount", "taxRate");
    private static final BigDecimal MAX_QUANTITY = new BigDecimal("1000000000");
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    /** Per-unit cap; each line's quantity × unitAmount is also checked against {@link MoneyMath#MAX_AMOUNT}, so
     *  a line (≤ 10^15, tax ≤ 100 %) and 100 lines stay far inside a long. */
    private static final long MAX_UNIT_AMOUNT = 100_000_000_000L;

    public static InvoiceRequest parse(JsonNode body, int maxLineItems) {
        if (body == null || !body.isObject()) {
            throw ProblemException.malformed("the body must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                errors.add(new FieldError(f, "unknown field"));
            }
        });
        var f = new Fields(body, errors);
        String customerId = f.requiredText("customerId", 128);
        if (customerId != null && !CustomerProfile.ID.matcher(customerId).matches()) {
            f.error("customerId", "must be 1-128 letters, digits, '_', '.', ':' or '-'");
        }
        String currency = f.requiredText("currency", 3);
        if (currency != null && !Currencies.isSupported(currency)) {
            f.error("currency", "must be an ISO 4217 code in upper case, such as USD, EUR or JPY");
            currency = null;
        }
        LocalDate issueDate = f.date("issueDate");
        LocalDate dueDate = f.date("dueDate");
        Long netDays = f.integer("netDays", 0, 365, false);
        if (f.present("dueDate") && f.present("netDays")) {
            f.error("netDays", "give either dueDate or netDays, not both");
        }
        if (issueDate != null && dueDate != null && dueDate.isBefore(issueDate)) {
            f.error("dueDate", "must not be before issueDate");
        }
        List<Line> lines = lines(body, f, errors, maxLineItems);
        String externalReference = f.optionalText("externalReference", 255);
        EarlyDiscount early = earlyDiscount(body, errors);
        String paymentUrl = f.optionalText("paymentUrl", 2048);
        if (paymentUrl != null && !isWebUrl(paymentUrl)) {
            f.error("paymentUrl", "must be an absolute http or https URL");
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new InvoiceRequest(customerId, currency, issueDate, dueDate,
                netDays == null ? null : netDays.intValue(), lines, externalReference, early, paymentUrl);
    }

    private static List<Line> lines(JsonNode body, Fields f, List<FieldError> errors, int max) {
        JsonNode items = body.get("lineItems");
        if (items == null || items.isNull()) {
            f.error("lineItems", "is required");
            return List.of();
        }
        if (!items.isArray()) {
            f.error("lineItems", "must be an array");
            return List.of();
        }
        if (items.isEmpty() || items.size() > max) {
            f.error("lineItems", "must hold between 1 and " + max + " items");
            return List.of();
        }
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String p = "lineItems[" + i + "].";
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                errors.add(new FieldError("lineItems[" + i + "]", "must be an object"));
                continue;
            }
            item.fieldNames().forEachRemaining(name -> {
                if (!LINE_FIELDS.contains(name)) {
                    errors.add(new FieldError(p + name, "unknown field"));
                }
            });
            var li = new Fields(item, errors, p);
            String description = li.requiredText("description", 500);
            BigDecimal quantity = li.decimalString("quantity", BigDecimal.ZERO, true, MAX_QUANTITY, 6, true);
            Long unitAmount = li.integer("unitAmount", 0, MAX_UNIT_AMOUNT, true);
            BigDecimal taxRate = li.decimalString("taxRate", BigDecimal.ZERO, false, HUNDRED, 4, false);
            if (quantity != null && unitAmount != null && quantity.multiply(BigDecimal.valueOf(unitAmount))
                    .compareTo(BigDecimal.valueOf(MoneyMath.MAX_AMOUNT)) > 0) {
                errors.add(new FieldError(p + "unitAmount", "quantity × unitAmount exceeds the largest supported amount"));
                unitAmount = null;
            }
            if (description != null && quantity != null && unitAmount != null) {
                lines.add(new Line(description, quantity.stripTrailingZeros(), unitAmount,
                        taxRate == null ? BigDecimal.ZERO : taxRate));
            }
        }
        return lines;
    }

    private static EarlyDiscount earlyDiscount(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get("earlyPaymentDiscount");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(new FieldError("earlyPaymentDiscount", "must be an object {\"percent\", \"withinDays\"}"));
            return null;
        }
        var f = new Fields(node, errors, "earlyPaymentDiscount.");
        BigDecimal percent = f.decimalString("percent", BigDecimal.ZERO, true, new BigDecimal("99.99"), 4, true);
        Long within = f.integer("withinDays", 1, 365, true);
        return percent == null || within == null ? null : new EarlyDiscount(percent, within.intValue());
    }

    private static boolean isWebUrl(String s) {
        try {
            URI uri = new URI(s);
            return uri.isAbsolute() && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
