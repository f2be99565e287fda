package dev.invoiceloyalty.mailer;

import dev.invoiceloyalty.adapters.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One JSON line per email, to stdout (CloudWatch Logs in Lambda). Ids and outcome only: the recipients,
 * names and the rendered text never reach the log.
 */
public final class MailerLog {
    private final Consumer<String> out;

    private MailerLog(Consumer<String> out) {
        this.out = out;
    }

    public static MailerLog toStdout() {
        return new MailerLog(System.out::println);
    }

    /** Lines go to {@code out}; tests collect them. */
    public static MailerLog to(Consumer<String> out) {
        return new MailerLog(out);
    }

    /**
     * @param ids ids of the email ({@code emailId}, {@code template}, {@code customerId}, {@code invoiceId},
     *            {@code sqsMessageId}, {@code requestId}); null values are left out
     */
    public void email(Map<String, String> ids, Delivery delivery) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "mail");
        ids.forEach((name, value) -> {
            if (value != null) {
                line.put(name, value);
            }
        });
        line.put("outcome", delivery.outcome().logName());
        if (delivery.sesMessageId() != null) {
            line.put("sesMessageId", delivery.sesMessageId());
        }
        if (delivery.reason() != null) {
            line.put("reason", delivery.reason());
        }
        out.accept(Json.write(line));
    }
}
