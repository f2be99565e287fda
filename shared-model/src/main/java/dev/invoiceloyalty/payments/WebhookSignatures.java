package dev.invoiceloyalty.payments;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Verifies (and, for tests and local tooling, produces) the signatures that Stripe and Square put on webhook
 * deliveries. Everything works on the raw body bytes as received: the body is never decoded to a String and
 * re-encoded, because a single changed byte (a re-serialised number, {@code \r\n} turned into {@code \n}, a
 * non-ASCII character re-encoded) changes the HMAC. API Gateway's base64 body must be decoded to bytes first.
 *
 * <p>Comparisons are constant-time ({@link MessageDigest#isEqual}) so that response timing does not reveal how
 * many leading bytes of a forged signature were right.
 *
 * <ul>
 *   <li>Stripe: <a href="https://docs.stripe.com/webhooks#verify-manually">docs.stripe.com/webhooks#verify-manually</a></li>
 *   <li>Square: <a href="https://developer.squareup.com/docs/webhooks/step3validate">developer.squareup.com/docs/webhooks/step3validate</a></li>
 * </ul>
 */
public final class WebhookSignatures {
    /** Stripe's recommended (and its libraries' default) tolerance between the signed timestamp and now. */
    public static final Duration STRIPE_DEFAULT_TOLERANCE = Duration.ofSeconds(300);

    /** The outcome of a verification. Only {@link #VALID} may be acted on; every other verdict is a 401. */
    public enum Verdict {
        VALID,
        /** No signature header, or a blank one. */
        MISSING,
        /** A header that cannot be read: Stripe without exactly one numeric {@code t} or without any {@code v1};
         *  Square that is not base64 of 32 bytes. */
        MALFORMED,
        /** Stripe only: the signature is correct for one of the secrets, but its timestamp is outside the
         *  tolerance (a replay, or a clock far off). */
        STALE,
        /** A well-formed header whose signature matches none of the secrets. */
        MISMATCH
    }

    private static final String HMAC_SHA256 = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();
    /** Unix seconds. Twelve digits reach the year 33658, and keep {@link Instant#ofEpochSecond} in range. */
    private static final Pattern UNIX_SECONDS = Pattern.compile("[0-9]{1,12}");

    private WebhookSignatures() {
    }

    /**
     * Verifies a {@code Stripe-Signature} header, {@code t=<unix seconds>,v1=<hex>[,v1=<hex>…]}.
     *
     * <p>The expected signature is the lowercase hex HMAC-SHA256, keyed with the endpoint secret (the whole
     * {@code whsec_…} string), of {@code t + "." + rawBody}. Elements of other schemes ({@code v0}, which Stripe
     * adds in test mode, or future ones) are ignored, as Stripe tells receivers to do. Several {@code v1} elements
     * appear while Stripe rolls a secret; several {@code secrets} are accepted while we roll ours. Any match passes.
     *
     * <p>Decisions:
     * <ul>
     *   <li>The signature is checked before the timestamp, as Stripe's own libraries do: {@link Verdict#STALE} is
     *       reported only for a delivery that Stripe really signed (worth telling apart in logs: a replay or a
     *       clock problem), and a forged header is {@link Verdict#MISMATCH} whatever its {@code t}.</li>
     *   <li>{@code |now − t| ≤ tolerance} passes, so exactly 300 s either way is valid; timestamps in the
     *       future are held to the same window.</li>
     *   <li>A header with no {@code v1} at all (for example {@code v0} only) is {@link Verdict#MALFORMED}: it
     *       carries no signature of the one scheme we can check. A {@code t} that is absent, repeated, signed,
     *       or longer than twelve digits is {@link Verdict#MALFORMED} too.</li>
     * </ul>
     *
     * @param rawBody   the request body exactly as received (after base64 decoding); an empty array for no body
     * @param header    the header value; null or blank gives {@link Verdict#MISSING}
     * @param secrets   one or more endpoint secrets, none blank; more than one during a rotation
     * @param now       the time to check {@code t} against
     * @param tolerance the largest accepted distance between {@code t} and {@code now}
     * @throws IllegalArgumentException when {@code secrets} is empty or holds a blank secret (a configuration
     *                                  error, not a bad request)
     */
    public static Verdict verifyStripe(byte[] rawBody, String header, List<String> secrets, Instant now,
                                       Duration tolerance) {
        Objects.requireNonNull(rawBody, "rawBody");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(tolerance, "tolerance");
        requireSecrets(secrets);
        if (header == null || header.isBlank()) {
            return Verdict.MISSING;
        }
        String timestamp = null;
        List<byte[]> candidates = new ArrayList<>();
        for (String element : header.split(",")) {
            int eq = element.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = element.substring(0, eq).trim();
            String value = element.substring(eq + 1).trim();
            if (key.equals("t")) {
                if (timestamp != null) {
                    return Verdict.MALFORMED;
                }
                timestamp = value;
            } else if (key.equals("v1")) {
                candidates.add(value.getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (timestamp == null || !UNIX_SECONDS.matcher(timestamp).matches() || candidates.isEmpty()) {
            return Verdict.MALFORMED;
        }
        long t = Long.parseLong(timestamp);

        boolean matched = false;
        for (String secret : secrets) {
            byte[] expected = stripeHex(rawBody, secret, t).getBytes(StandardCharsets.US_ASCII);
            for (byte[] candidate : candidates) {
                // No early exit: the time taken does not depend on which candidate (if any) matched.
                matched |= MessageDigest.isEqual(expected, candidate);
            }
        }
        if (!matched) {
            return Verdict.MISMATCH;
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(t), now).abs();
        return skew.compareTo(tolerance) > 0 ? Verdict.STALE : Verdict.VALID;
    }

    /**
     * Verifies an {@code x-square-hmacsha256-signature} header: base64 of HMAC-SHA256, keyed with the
     * subscription's signature key, of the notification URL (exactly as registered with Square, UTF-8) followed
     * by the raw body. Square signs no timestamp, so there is no staleness check; replays are caught by the
     * event-id dedup.
     *
     * @param rawBody         the request body exactly as received (after base64 decoding)
     * @param header          the header value; null or blank gives {@link Verdict#MISSING}; anything that is
     *                        not base64 of 32 bytes gives {@link Verdict#MALFORMED}
     * @param signatureKey    the subscription's signature key, not blank
     * @param notificationUrl the subscription's notification URL, not blank
     */
    public static Verdict verifySquare(byte[] rawBody, String header, String signatureKey, String notificationUrl) {
        Objects.requireNonNull(rawBody, "rawBody");
        requireNotBlank(signatureKey, "signatureKey");
        requireNotBlank(notificationUrl, "notificationUrl");
        if (header == null || header.isBlank()) {
            return Verdict.MISSING;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.trim());
        } catch (IllegalArgumentException notBase64) {
            return Verdict.MALFORMED;
        }
        if (given.length != 32) {
            return Verdict.MALFORMED;
        }
        byte[] expected = squareMac(rawBody, signatureKey, notificationUrl);
        return MessageDigest.isEqual(expected, given) ? Verdict.VALID : Verdict.MISMATCH;
    }

    /** A {@code Stripe-Signature} header value, {@code t=<unixSeconds>,v1=<hex>}, as Stripe would send it. */
    public static String signStripe(byte[] rawBody, String secret, long unixSeconds) {
        Objects.requireNonNull(rawBody, "rawBody");
        requireNotBlank(secret, "secret");
        if (unixSeconds < 0) {
            throw new IllegalArgumentException("unixSeconds must not be negative: " + unixSeconds);
        }
        return "t=" + unixSeconds + ",v1=" + stripeHex(rawBody, secret, unixSeconds);
    }

    /** An {@code x-square-hmacsha256-signature} header value, as Square would send it. */
    public static String signSquare(byte[] rawBody, String signatureKey, String notificationUrl) {
        Objects.requireNonNull(rawBody, "rawBody");
        requireNotBlank(signatureKey, "signatureKey");
        requireNotBlank(notificationUrl, "notificationUrl");
        return Base64.getEncoder().encodeToString(squareMac(rawBody, signatureKey, notificationUrl));
    }

    private static String stripeHex(byte[] rawBody, String secret, long unixSeconds) {
        // Stripe's signed payload is the decimal timestamp, a dot, then the body: fed to the MAC piece by piece,
        // so the body bytes are never copied or re-encoded.
        Mac mac = hmac(secret);
        mac.update(Long.toString(unixSeconds).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '.');
        mac.update(rawBody);
        return HEX.formatHex(mac.doFinal());
    }

    private static byte[] squareMac(byte[] rawBody, String signatureKey, String notificationUrl) {
        Mac mac = hmac(signatureKey);
        mac.update(notificationUrl.getBytes(StandardCharsets.UTF_8));
        mac.update(rawBody);
        return mac.doFinal();
    }

    private static Mac hmac(String key) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), HMAC_SHA256));
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA256 (javax.crypto.Mac Javadoc), so this cannot happen.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static void requireSecrets(List<String> secrets) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one Stripe webhook secret is required");
        }
        for (String secret : secrets) {
            requireNotBlank(secret, "Stripe webhook secret");
        }
    }

    private static void requireNotBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
