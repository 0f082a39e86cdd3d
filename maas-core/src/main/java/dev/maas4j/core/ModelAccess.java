package dev.maas4j.core;

import dev.maas4j.api.ModelRef;

import java.util.List;
import java.util.Objects;

/**
 * A model a key may call, with the subscriptions that cover it for the key's owner, best first.
 *
 * @param model         the model
 * @param subscriptions names of the eligible subscriptions; the first is charged by default
 */
public record ModelAccess(ModelRef model, List<String> subscriptions) {

    /** Validates and copies the components. */
    public ModelAccess {
        Objects.requireNonNull(model, "model");
        subscriptions = List.copyOf(subscriptions);
    }
}
