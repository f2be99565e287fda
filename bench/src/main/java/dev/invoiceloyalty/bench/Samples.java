package dev.invoiceloyalty.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Which {@code events/<function>/} sample each function handles in the benchmark, and which sample (if any) has to
 * run before it on the same fresh table, untimed, so the timed one takes its main path.
 */
final class Samples {
    /** The benchmark's choice per events folder: the function's main write path where a sample has one. */
    private static final Map<String, String> TIMED = Map.of(
            "invoice-api", "create-invoice.json",
            "payment-webhook", "stripe-payment-intent-succeeded.json",
            "reward-crediting", "payment-recorded.json",
            "mailer", "welcome.json",
            "reminder-sweep", "daily-sweep.json",
            "statements", "weekly.json");
    /** create-invoice.json is for customer cust-acme, which put-customer.json creates. */
    private static final Map<String, String> SETUP = Map.of("invoice-api", "put-customer.json");

    /** The local-stack default of SPEC §10, which the stored Stripe samples are signed with. */
    static final String STRIPE_SECRET = "whsec_local";
    private static final Pattern STRIPE_SIGNATURE = Pattern.compile("\"stripe-signature\"\\s*:\\s*\"[^\"]*\"");
    private static final Pattern BODY = Pattern.compile("\"body\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*\")");

    private Samples() {
    }

    static Path timed(Path eventsDir) throws IOException {
        String chosen = TIMED.get(eventsDir.getFileName().toString());
        if (chosen != null && Files.exists(eventsDir.resolve(chosen))) {
            return eventsDir.resolve(chosen);
        }
        try (var files = Files.list(eventsDir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().findFirst()
                    .orElseThrow(() -> new IllegalStateException("no sample event in " + eventsDir));
        }
    }

    static Path setup(Path eventsDir) {
        String chosen = SETUP.get(eventsDir.getFileName().toString());
        return chosen == null ? null : eventsDir.resolve(chosen);
    }

    /**
     * The sample as the function should receive it now. A Stripe signature carries its time and Stripe's tolerance
     * is 300 s, so a stored sample is stale; it is signed again with the current time, as Stripe would sign a live
     * delivery (HMAC-SHA256 of {@code t.body} with the endpoint secret). https://docs.stripe.com/webhooks#verify-manually
     */
    static Path fresh(Path sample, Path workDir) throws Exception {
        String json = Files.readString(sample);
        Matcher signature = STRIPE_SIGNATURE.matcher(json);
        if (!signature.find()) {
            return sample;
        }
        Matcher body = BODY.matcher(json);
        if (!body.find() || json.contains("\"isBase64Encoded\": true") || json.contains("\"isBase64Encoded\":true")) {
            return sample;
        }
        String rawBody = new com.fasterxml.jackson.databind.ObjectMapper().readValue(body.group(1), String.class);
        long t = Instant.now().getEpochSecond();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(STRIPE_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String v1 = HexFormat.of().formatHex(mac.doFinal((t + "." + rawBody).getBytes(StandardCharsets.UTF_8)));
        String signed = signature.replaceFirst(Matcher.quoteReplacement("\"stripe-signature\": \"t=" + t + ",v1=" + v1 + "\""));
        Path out = workDir.resolve(sample.getFileName().toString());
        Files.writeString(out, signed);
        return out;
    }
}
