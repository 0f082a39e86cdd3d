package dev.maas4j.core;

import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;

import java.util.Comparator;

/**
 * The one order of subscriptions: higher priority first, then the larger token limit, then by
 * name. Admission chooses a model's subscription by it (comparing their limits for that model),
 * {@link KeyService#defaultSubscription} binds new keys by it, and every view lists subscriptions
 * in it; here, for no model in particular, a subscription's token limit is its largest over its
 * models. Stateless.
 */
public final class SubscriptionOrder {
    /** Best first. */
    public static final Comparator<Subscription> BEST_FIRST = Comparator
            .comparingInt(Subscription::priority).reversed()
            .thenComparing(Comparator.comparingLong(SubscriptionOrder::largestTokenLimit).reversed())
            .thenComparing(Subscription::name);

    private SubscriptionOrder() {
    }

    /** The largest token limit of any of the subscription's models (0 for none). */
    public static long largestTokenLimit(Subscription subscription) {
        long largest = 0;
        for (SubscriptionModel model : subscription.modelRefs()) {
            largest = Math.max(largest, model.largestTokenLimit());
        }
        return largest;
    }
}
