package dev.maas4j.management.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The management API's settings, validated by {@code ManagementServlet.Builder}.
 *
 * @param gatewayBaseUrl       the base URL clients call models at, for the endpoints shown with a
 *                             key's assets; empty to derive it from each request
 * @param maxBodyBytes         the largest request body accepted
 * @param maxPageSize          the largest page of a list or search
 * @param maxKeyLifetime       the longest life of a regular key, and the life of one created without an expiry
 * @param ephemeralKeyLifetime the default and maximum life of an ephemeral key
 * @param maxActiveKeysPerSubscription the most active keys an owner may hold per subscription ({@code 0}: no limit)
 */
public record Settings(Optional<URI> gatewayBaseUrl, int maxBodyBytes, int maxPageSize,
                       Duration maxKeyLifetime, Duration ephemeralKeyLifetime, int maxActiveKeysPerSubscription) {
}
