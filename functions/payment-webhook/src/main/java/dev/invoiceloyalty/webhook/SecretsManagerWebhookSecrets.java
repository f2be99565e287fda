package dev.invoiceloyalty.webhook;

import dev.invoiceloyalty.config.Env;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Webhook secrets from the environment or, in AWS, from AWS Secrets Manager, read once per container.
 *
 * <p>Each value is resolved on its first use and then kept for the life of the container (a Stripe delivery
 * never causes a read of the Square key):
 * <ol>
 *   <li>the environment variable ({@code STRIPE_WEBHOOK_SECRET}, {@code SQUARE_SIGNATURE_KEY},
 *       {@code SQUARE_NOTIFICATION_URL}) when it is set and not blank: the local stack and tests;</li>
 *   <li>else the secret whose name or ARN is in {@code STRIPE_WEBHOOK_SECRET_ID} or
 *       {@code SQUARE_SIGNATURE_KEY_ID}: its current version's plain-text {@code SecretString}
 *       (<a href="https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html">GetSecretValue</a>),
 *       so the template holds only the secret's name and the value stays encrypted at rest;
 *       the notification URL is not secret and comes from the environment only;</li>
 *   <li>else an {@link IllegalStateException} that names both variables.</li>
 * </ol>
 * Stripe secrets are a comma-separated list (in the variable or in the secret's value), because during a
 * rotation Stripe signs with the old and the new secret and we accept either.
 *
 * <p>Why Secrets Manager rather than SSM Parameter Store: it is the service made for secrets (every
 * {@code put-secret-value} is a new version, staged {@code AWSCURRENT} / {@code AWSPREVIOUS}, so a rotation can be
 * rolled back), and its SDK module is small: the {@code ssm} module alone was about 6 MB of this function's jar,
 * {@code secretsmanager} is about 0.75 MB (issue 8: each jar holds only the SDK modules it calls, within 16 MB).
 *
 * <p>The Secrets Manager client comes from a supplier and is built only when a value has to be read from
 * Secrets Manager: when the environment holds every value no client is built, which keeps it off the cold
 * start. A failed read (a missing secret, a throttled call) is not cached: the next request tries again.
 */
public final class SecretsManagerWebhookSecrets implements WebhookSecrets {
    static final String STRIPE_SECRET = "STRIPE_WEBHOOK_SECRET";
    static final String STRIPE_SECRET_ID = "STRIPE_WEBHOOK_SECRET_ID";
    static final String SQUARE_KEY = "SQUARE_SIGNATURE_KEY";
    static final String SQUARE_KEY_ID = "SQUARE_SIGNATURE_KEY_ID";
    static final String SQUARE_URL = "SQUARE_NOTIFICATION_URL";

    private final Once<SecretsManagerClient> secretsManager;
    private final Once<List<String>> stripeSecrets = new Once<>(this::resolveStripeSecrets);
    private final Once<String> squareSignatureKey = new Once<>(this::resolveSquareSignatureKey);
    private final Once<String> squareNotificationUrl =
            new Once<>(SecretsManagerWebhookSecrets::resolveSquareNotificationUrl);

    /**
     * @param secretsManagerClient builds the container's Secrets Manager client; called at most once, and only if
     *                             a secret has to be read from Secrets Manager
     */
    public SecretsManagerWebhookSecrets(Supplier<SecretsManagerClient> secretsManagerClient) {
        this.secretsManager = new Once<>(Objects.requireNonNull(secretsManagerClient, "secretsManagerClient"));
    }

    @Override
    public List<String> stripeSecrets() {
        return stripeSecrets.get();
    }

    @Override
    public String squareSignatureKey() {
        return squareSignatureKey.get();
    }

    @Override
    public String squareNotificationUrl() {
        return squareNotificationUrl.get();
    }

    private List<String> resolveStripeSecrets() {
        String direct = Env.get(STRIPE_SECRET);
        if (!isBlank(direct)) {
            return list(direct, STRIPE_SECRET);
        }
        String secretId = Env.get(STRIPE_SECRET_ID);
        if (!isBlank(secretId)) {
            return list(read(secretId.trim(), STRIPE_SECRET_ID), "Secrets Manager secret " + secretId.trim());
        }
        throw new IllegalStateException("No Stripe webhook secret configured: set " + STRIPE_SECRET
                + " (the endpoint's whsec_ secret; comma-separated during a rotation) or " + STRIPE_SECRET_ID
                + " (the name or ARN of the Secrets Manager secret that holds it)");
    }

    private String resolveSquareSignatureKey() {
        String direct = Env.get(SQUARE_KEY);
        if (!isBlank(direct)) {
            return direct.trim();
        }
        String secretId = Env.get(SQUARE_KEY_ID);
        if (!isBlank(secretId)) {
            return read(secretId.trim(), SQUARE_KEY_ID).trim();
        }
        throw new IllegalStateException("No Square signature key configured: set " + SQUARE_KEY
                + " (the webhook subscription's signature key) or " + SQUARE_KEY_ID
                + " (the name or ARN of the Secrets Manager secret that holds it)");
    }

    private static String resolveSquareNotificationUrl() {
        String url = Env.get(SQUARE_URL);
        if (isBlank(url)) {
            throw new IllegalStateException("No Square notification URL configured: set " + SQUARE_URL
                    + " to the URL exactly as registered in the Square webhook subscription (Square signs it)");
        }
        return url.trim();
    }

    /**
     * The current {@code SecretString} of one secret. Errors other than a missing secret (throttling, access
     * denied, a secret scheduled for deletion) reach the caller as they are.
     */
    private String read(String secretId, String variable) {
        String value;
        try {
            value = secretsManager.get().getSecretValue(r -> r.secretId(secretId)).secretString();
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException(
                    "Secrets Manager secret " + secretId + " (named by " + variable + ") does not exist", e);
        }
        if (isBlank(value)) {
            // A binary secret has no SecretString; the webhook secrets are text.
            throw new IllegalStateException("Secrets Manager secret " + secretId + " (named by " + variable
                    + ") has an empty SecretString; store the value as plain text");
        }
        if (value.trim().startsWith("{")) {
            // The console's default "key/value" secret is a JSON object; used as is, it would match no signature.
            throw new IllegalStateException("Secrets Manager secret " + secretId + " (named by " + variable
                    + ") holds a JSON object; store the value itself as plain text");
        }
        return value;
    }

    private static List<String> list(String commaSeparated, String source) {
        List<String> values = Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        if (values.isEmpty()) {
            throw new IllegalStateException(source + " holds no Stripe webhook secret");
        }
        return values;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** A value computed on first use, by one thread, and kept; a failure is thrown and not kept. */
    private static final class Once<T> {
        private final Supplier<T> supplier;
        private volatile T value;

        Once(Supplier<T> supplier) {
            this.supplier = supplier;
        }

        T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = Objects.requireNonNull(supplier.get());
                        value = v;
                    }
                }
            }
            return v;
        }
    }
}
