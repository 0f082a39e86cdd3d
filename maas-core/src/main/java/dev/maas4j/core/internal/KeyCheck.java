package dev.maas4j.core.internal;

/**
 * The result of checking a presented key: the verified {@link KeyEntry} itself, or a
 * {@link KeyRefusal}. The entry implements this type, so a successful check allocates nothing.
 */
public sealed interface KeyCheck permits KeyEntry, KeyRefusal {
}
