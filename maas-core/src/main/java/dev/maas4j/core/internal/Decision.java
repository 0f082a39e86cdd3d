package dev.maas4j.core.internal;

import dev.maas4j.api.Denial;

import java.util.Objects;

/**
 * What one stage of the request path decided: go on with a value, or refuse with a denial.
 * Used off the hot path (a stage's result is cached in the request's {@link Plan}); the hot-path
 * stages return sealed types their results implement directly, so that deciding allocates nothing.
 *
 * @param <T> what the stage hands on
 */
public sealed interface Decision<T> permits Decision.Granted, Decision.Refused {

    /** Go on with {@code value}. */
    static <T> Decision<T> granted(T value) {
        return new Granted<>(value);
    }

    /** Refuse with {@code denial}. */
    static <T> Decision<T> refused(Denial denial) {
        return new Refused<>(denial);
    }

    /** The stage let the request on. */
    record Granted<T>(T value) implements Decision<T> {
        public Granted {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The stage refused the request. */
    record Refused<T>(Denial denial) implements Decision<T> {
        public Refused {
            Objects.requireNonNull(denial, "denial");
        }
    }
}
