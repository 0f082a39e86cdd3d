package dev.maas4j.core.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.Identity;
import dev.maas4j.api.Subscription;
import dev.maas4j.core.SubscriptionOrder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Stage 3, choose the subscription: the key's bound one, else the one the client asked for
 * ({@code X-MaaS-Subscription}), else the best that covers the model for the identity; each must
 * cover it, else 403. "Best" is {@link #ORDER}: {@link SubscriptionOrder}, the one order of
 * subscriptions everywhere, comparing the subscriptions' limits for this model. Stateless and
 * thread-safe.
 */
public final class SubscriptionChooser {
    /**
     * The order subscriptions are chosen in: higher priority first, then the larger token limit for
     * the model (for no model in particular: the larger over its models), then by name.
     */
    public static final Comparator<CatalogIndex.Coverage> ORDER = Comparator
            .comparingInt((CatalogIndex.Coverage c) -> c.subscription().priority()).reversed()
            .thenComparing(Comparator.comparingLong((CatalogIndex.Coverage c) -> c.entry().largestTokenLimit())
                    .reversed())
            .thenComparing(c -> c.subscription().name());


    /** The subscription charged for this model, or why none may be. */
    public Decision<CatalogIndex.Coverage> choose(CatalogIndex.ModelEntry entry, ApiKey key, Identity identity,
                                                   Optional<String> requested) {
        String modelName = entry.model().name();
        if (key.subscription().isPresent()) {
            String bound = key.subscription().get();
            if (requested.isPresent() && !requested.get().equals(bound)) {
                return Decision.refused(Denial.of(DenialReason.SUBSCRIPTION_NOT_ELIGIBLE,
                        "This API key is bound to the subscription '" + bound + "'"));
            }
            return entry.eligible(identity, bound).<Decision<CatalogIndex.Coverage>>map(Decision::granted)
                    .orElseGet(() -> Decision.refused(Denial.of(DenialReason.SUBSCRIPTION_NOT_ELIGIBLE,
                            "This API key is bound to the subscription '" + bound + "', which does not cover the "
                                    + "model '" + modelName + "' for '" + identity.user() + "'")));
        }
        if (requested.isPresent()) {
            return entry.eligible(identity, requested.get()).<Decision<CatalogIndex.Coverage>>map(Decision::granted)
                    .orElseGet(() -> Decision.refused(Denial.of(DenialReason.SUBSCRIPTION_NOT_ELIGIBLE,
                            "The subscription '" + requested.get() + "' does not cover the model '" + modelName
                                    + "' for '" + identity.user() + "'")));
        }
        return entry.choose(identity).<Decision<CatalogIndex.Coverage>>map(Decision::granted)
                .orElseGet(() -> Decision.refused(Denial.of(DenialReason.NO_SUBSCRIPTION,
                        "No subscription covers the model '" + modelName + "' for '" + identity.user() + "'")));
    }

    /**
     * The subscriptions that cover the model for the identity and that a key bound to
     * {@code bound} (if it is bound) may be charged to, best first.
     */
    public List<String> chargeable(CatalogIndex.ModelEntry entry, Optional<String> bound, Identity identity) {
        List<String> names = new ArrayList<>();
        for (CatalogIndex.Coverage coverage : entry.eligible(identity)) {
            String name = coverage.subscription().name();
            if (bound.isEmpty() || bound.get().equals(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The identity's subscriptions, best first ({@link SubscriptionOrder#BEST_FIRST}). */
    public static List<Subscription> best(List<Subscription> subscriptions, Identity identity) {
        return subscriptions.stream().filter(s -> s.owner().includes(identity)).sorted(SubscriptionOrder.BEST_FIRST)
                .toList();
    }
}
