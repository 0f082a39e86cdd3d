package dev.maas4j.store.k8s.internal;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * Validates a custom resource as its CRD does and maps it to the catalog value. Validation covers
 * what the CRDs' OpenAPI schemas and CEL rules say (required fields, lengths, the window pattern,
 * the limit range, the backend kind enum, at least one subject), so a cluster whose API server did
 * not enforce the schema (an older CRD, a test server) gets the same answer; on top of it, the
 * values maas4j must interpret ({@code billingRate.perToken} as a decimal, endpoint URLs, the
 * {@code maas4j.dev/} annotations) must be readable.
 *
 * <p>Each kind has its own mapper ({@link ModelMapper}, {@link SubscriptionMapper},
 * {@link PolicyMapper}) over the readings they share ({@link SpecValues}); this class is the one
 * entry point the watcher and the store hold.
 *
 * <p>Thread-safe if its {@link SecretSource} is.
 */
public final class ResourceMapper {
    private final ModelMapper models;

    /**
     * A mapper.
     *
     * @param secrets           where upstream credentials are read
     * @param requireReadyPhase whether a model needs {@code status.phase: Ready} to be enabled, rather
     *                          than only no phase that says otherwise
     */
    public ResourceMapper(SecretSource secrets, boolean requireReadyPhase) {
        this.models = new ModelMapper(secrets, requireReadyPhase);
    }

    /** Thrown when a resource could not be judged now (a Secret unreadable for a while). */
    public static final class Retry extends Exception {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Retry(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        /** The reason code. */
        public String reason() {
            return reason;
        }
    }

    /** A {@code MaaSModelRef}. */
    public Outcome<ModelRef> model(GenericKubernetesResource resource) throws Retry {
        return models.map(resource);
    }

    /** A {@code MaaSSubscription}. */
    public Outcome<Subscription> subscription(GenericKubernetesResource resource) {
        return SubscriptionMapper.map(resource);
    }

    /** A {@code MaaSAuthPolicy}. */
    public Outcome<AuthPolicy> policy(GenericKubernetesResource resource) {
        return PolicyMapper.map(resource);
    }

    /** A resource of {@code kind}, by that kind's mapper. */
    public Outcome<?> map(ResourceKind kind, GenericKubernetesResource resource) throws Retry {
        return switch (kind) {
            case MODEL -> model(resource);
            case SUBSCRIPTION -> subscription(resource);
            case POLICY -> policy(resource);
        };
    }
}
