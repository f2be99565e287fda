package dev.invoiceloyalty.adapters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per meaningful event, with ids only (no names, no addresses), as CONVENTIONS asks. Lambda sends
 * stdout to CloudWatch Logs, where each line is one queryable record.
 */
public final class Log {
    private Log() {
    }

    /** {@code Log.event("invoice_created", "invoiceId", id, "customerId", c)}: pairs of key and value. */
    public static void event(String event, Object... pairs) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            line.put(String.valueOf(pairs[i]), pairs[i + 1]);
        }
        System.out.println(Json.write(line));
    }
}
