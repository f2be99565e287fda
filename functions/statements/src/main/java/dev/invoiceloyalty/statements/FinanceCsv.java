package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.domain.MoneyMath;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The weekly statement's CSV attachments (RFC 4180, CRLF, header row). Amounts are exact decimals in major units
 * of the row's currency ({@code 1234.56}, JPY {@code 1500}), never floating point, so a spreadsheet sums them
 * to the statement's totals.
 */
public final class FinanceCsv {
    public static final String[] AGING_HEADER = {"currency", "customerId", "current", "1-30", "31-60", "61-90", "90+", "total"};
    public static final String[] MOVEMENTS_HEADER = {"at", "kind", "customerId", "invoiceId", "currency", "amount", "points", "reference"};

    private FinanceCsv() {
    }

    /** One row per customer and currency, then a {@code TOTAL} row per currency. */
    public static String agingByCustomer(FinanceReport report) {
        return write(AGING_HEADER, p -> {
            for (var section : report.currencies()) {
                String cur = section.currency();
                for (AgingRow row : section.aging().customers()) {
                    p.printRecord(row(cur, row.customerId(), row));
                }
                p.printRecord(row(cur, "TOTAL", section.aging().totals()));
            }
        });
    }

    public static String movements(FinanceReport report) {
        return write(MOVEMENTS_HEADER, p -> {
            for (var m : report.movements()) {
                p.printRecord(m.at(), m.kind(), m.customerId(), m.invoiceId(), m.currency(),
                        m.currency() == null ? "" : MoneyMath.toMajor(m.amount(), m.currency()).toPlainString(),
                        m.points(), m.reference());
            }
        });
    }

    private static Object[] row(String currency, String customerId, AgingRow r) {
        return new Object[]{currency, customerId, major(r.current(), currency), major(r.days1to30(), currency),
                major(r.days31to60(), currency), major(r.days61to90(), currency), major(r.days90plus(), currency),
                major(r.total(), currency)};
    }

    private static String major(long minor, String currency) {
        return MoneyMath.toMajor(minor, currency).toPlainString();
    }

    private interface Rows {
        void print(CSVPrinter printer) throws IOException;
    }

    private static String write(String[] header, Rows rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(header).get())) {
            rows.print(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
