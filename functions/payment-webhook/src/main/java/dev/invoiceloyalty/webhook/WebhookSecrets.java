package dev.invoiceloyalty.webhook;

import java.util.List;

/**
 * The values that webhook signatures are checked with. Implementations resolve them once per container; every
 * method either returns a usable value (never null, never blank) or throws {@link IllegalStateException} naming
 * the configuration that is missing.
 */
public interface WebhookSecrets {
    /** Stripe endpoint secrets ({@code whsec_…}); more than one while a secret is being rolled. Never empty. */
    List<String> stripeSecrets();

    /** The signature key of the Square webhook subscription. */
    String squareSignatureKey();

    /** The notification URL exactly as registered with Square: it is part of what Square signs. */
    String squareNotificationUrl();
}
