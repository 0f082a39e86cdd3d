package dev.maas4j.api;

/** The state of an {@link ApiKey} at a given instant. */
public enum KeyStatus {
    /** Usable. */
    ACTIVE,
    /** Revoked by its owner or an administrator; never usable again. */
    REVOKED,
    /** Past its expiry. */
    EXPIRED
}
