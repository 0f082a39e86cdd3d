package dev.maas4j.api;

import java.util.Map;
import java.util.Objects;

/**
 * Chargeback metadata that a {@link Subscription} puts on every {@link UsageEvent}
 * ({@code MaaSSubscription.spec.tokenMetadata}).
 *
 * @param organizationId the organization billed, possibly empty
 * @param costCenter     the cost center billed, possibly empty
 * @param labels         free-form labels
 */
public record TokenMetadata(String organizationId, String costCenter, Map<String, String> labels) {

    /** No metadata. */
    public static final TokenMetadata NONE = new TokenMetadata("", "", Map.of());

    /** Validates and copies the components. */
    public TokenMetadata {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(costCenter, "costCenter");
        labels = Checks.map(labels, "labels");
    }
}
