package dev.maas4j.store.k8s.internal;

import java.util.Objects;

/** What became of one resource: a catalog value, or a rejection with its reason. */
public sealed interface Outcome<T> {

    /** An accepted resource. */
    static <T> Outcome<T> accepted(T value) {
        return new Accepted<>(value);
    }

    /** A rejected resource. */
    static <T> Outcome<T> rejected(String reason, String message) {
        return new Rejected<>(reason, message);
    }

    /**
     * The resource maps to {@code value}.
     *
     * @param value the catalog value
     */
    record Accepted<T>(T value) implements Outcome<T> {
        /** Validates the value. */
        public Accepted {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * The resource is skipped.
     *
     * @param reason  a CamelCase reason, as in a status condition
     * @param message what is wrong, naming the field; never a secret value
     */
    record Rejected<T>(String reason, String message) implements Outcome<T> {
        /** Validates the components. */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
