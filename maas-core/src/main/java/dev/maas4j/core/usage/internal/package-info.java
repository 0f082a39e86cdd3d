/**
 * Implementation of {@link dev.maas4j.core.usage}: unsupported, may change in any release.
 * Only the types of {@code dev.maas4j.core.usage} are meant to be used.
 */
package dev.maas4j.core.usage.internal;
