package dev.maas4j.api;

import java.util.Objects;

/**
 * What an admitted request was granted: who it acts as, the model and the subscription charged.
 * The same for every request of a key to a model until the catalog or the owner's groups change.
 *
 * @param key            the API key used
 * @param identity       the key owner's identity at admission
 * @param model          the model
 * @param subscription   the subscription charged
 */
public record Grant(ApiKey key, Identity identity, ModelRef model, Subscription subscription) {

    /** Validates the components. */
    public Grant {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(subscription, "subscription");
    }
}
