package dev.invoiceloyalty.webhook;

import dev.invoiceloyalty.config.Env;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Webhook secrets from the environment or, in AWS, from SSM Parameter Store, read once per container.
 *
 * <p>Each value is resolved on its first use and then kept for the life of the container (a Stripe delivery
 * never causes a read of the Square key):
 * <ol>
 *   <li>the environment variable ({@code STRIPE_WEBHOOK_SECRET}, {@code SQUARE_SIGNATURE_KEY},
 *       {@code SQUARE_NOTIFICATION_URL}) when it is set and not blank: the local stack and tests;</li>
 *   <li>else the SSM parameter whose name is in {@code STRIPE_WEBHOOK_SECRET_PARAMETER} or
 *       {@code SQUARE_SIGNATURE_KEY_PARAMETER}, read with decryption, so the template holds only the parameter's
 *       name and the secret itself stays a SecureString
 *       (<a href="https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html">GetParameter</a>);
 *       the notification URL is not secret and comes from the environment only;</li>
 *   <li>else an {@link IllegalStateException} that names both variables.</li>
 * </ol>
 * Stripe secrets are a comma-separated list (in the variable, or in the parameter's value, which may be a
 * StringList or a SecureString holding commas), because during a rotation Stripe signs with the old and the new
 * secret and we accept either.
 *
 * <p>The SSM client comes from a supplier and is built only when a value has to be read from SSM: when the
 * environment holds every value no client is built, which keeps it off the cold start. A failed read (a missing
 * parameter, a throttled call) is not cached: the next request tries again.
 */
public final class SsmWebhookSecrets implements WebhookSecrets {
    static final String STRIPE_SECRET = "STRIPE_WEBHOOK_SECRET";
    static final String STRIPE_SECRET_PARAMETER = "STRIPE_WEBHOOK_SECRET_PARAMETER";
    static final String SQUARE_KEY = "SQUARE_SIGNATURE_KEY";
    static final String SQUARE_KEY_PARAMETER = "SQUARE_SIGNATURE_KEY_PARAMETER";
    static final String SQUARE_URL = "SQUARE_NOTIFICATION_URL";

    private final Once<SsmClient> ssm;
    private final Once<List<String>> stripeSecrets = new Once<>(this::resolveStripeSecrets);
    private final Once<String> squareSignatureKey = new Once<>(this::resolveSquareSignatureKey);
    private final Once<String> squareNotificationUrl = new Once<>(SsmWebhookSecrets::resolveSquareNotificationUrl);

    /** @param ssmClient builds the container's SSM client; called at most once, and only if SSM has to be read */
    public SsmWebhookSecrets(Supplier<SsmClient> ssmClient) {
        this.ssm = new Once<>(Objects.requireNonNull(ssmClient, "ssmClient"));
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
        String parameter = Env.get(STRIPE_SECRET_PARAMETER);
        if (!isBlank(parameter)) {
            return list(read(parameter.trim(), STRIPE_SECRET_PARAMETER), "SSM parameter " + parameter.trim());
        }
        throw new IllegalStateException("No Stripe webhook secret configured: set " + STRIPE_SECRET
                + " (the endpoint's whsec_ secret; comma-separated during a rotation) or " + STRIPE_SECRET_PARAMETER
                + " (the name of the SSM SecureString parameter that holds it)");
    }

    private String resolveSquareSignatureKey() {
        String direct = Env.get(SQUARE_KEY);
        if (!isBlank(direct)) {
            return direct.trim();
        }
        String parameter = Env.get(SQUARE_KEY_PARAMETER);
        if (!isBlank(parameter)) {
            return read(parameter.trim(), SQUARE_KEY_PARAMETER).trim();
        }
        throw new IllegalStateException("No Square signature key configured: set " + SQUARE_KEY
                + " (the webhook subscription's signature key) or " + SQUARE_KEY_PARAMETER
                + " (the name of the SSM SecureString parameter that holds it)");
    }

    private static String resolveSquareNotificationUrl() {
        String url = Env.get(SQUARE_URL);
        if (isBlank(url)) {
            throw new IllegalStateException("No Square notification URL configured: set " + SQUARE_URL
                    + " to the URL exactly as registered in the Square webhook subscription (Square signs it)");
        }
        return url.trim();
    }

    /** The decrypted value of one parameter. Errors other than a missing parameter reach the caller as they are. */
    private String read(String name, String variable) {
        String value;
        try {
            value = ssm.get().getParameter(r -> r.name(name).withDecryption(true)).parameter().value();
        } catch (ParameterNotFoundException e) {
            throw new IllegalStateException("SSM parameter " + name + " (named by " + variable + ") does not exist", e);
        }
        if (isBlank(value)) {
            throw new IllegalStateException("SSM parameter " + name + " (named by " + variable + ") is empty");
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
