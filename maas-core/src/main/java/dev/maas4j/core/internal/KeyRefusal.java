package dev.maas4j.core.internal;

import dev.maas4j.api.Denial;

import java.util.Objects;

/**
 * A presented key refused (401, or 503 when the store is unavailable). The refusals of each kind
 * are shared instances, so refusing allocates nothing.
 *
 * @param denial why
 */
public record KeyRefusal(Denial denial) implements KeyCheck {
    /** Validates the component. */
    public KeyRefusal {
        Objects.requireNonNull(denial, "denial");
    }
}
