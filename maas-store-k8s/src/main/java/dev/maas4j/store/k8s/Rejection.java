package dev.maas4j.store.k8s;

import java.util.Objects;

/**
 * A custom resource the store skipped, and why: the same words as its log line and, when status
 * write-back is on, its status condition.
 *
 * @param kind      {@code MaaSModelRef}, {@code MaaSSubscription} or {@code MaaSAuthPolicy}
 * @param namespace the resource's namespace
 * @param name      the resource's name
 * @param reason    a CamelCase reason: {@code InvalidSpec}, {@code InvalidAnnotation},
 *                  {@code InvalidEndpoint}, {@code SecretNotFound}, {@code SecretKeyNotFound},
 *                  {@code SecretForbidden}, {@code SecretUnavailable} or {@code DuplicateName}
 * @param message   what is wrong, naming the field, e.g.
 *                  {@code spec.modelRefs[0].tokenRateLimits[0].window: Invalid value: "1d": ...}
 */
public record Rejection(String kind, String namespace, String name, String reason, String message) {

    /** Validates the components. */
    public Rejection {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
