package dev.maas4j.core.internal;

import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.Identity;
import dev.maas4j.api.KeyScope;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;
import dev.maas4j.core.ModelAccess;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's view of the catalog: a {@link CatalogIndex} rebuilt from the store whenever it
 * changes, read by the request path without a lock. Thread-safe: one rebuild at a time, each with
 * a newer version, so a slow rebuild never overwrites a newer one.
 */
public final class CatalogView {
    private final CatalogStore store;
    private final Authorizer authorizer;
    private final SubscriptionChooser chooser;
    private final AtomicLong version = new AtomicLong();
    private final Object rebuildLock = new Object();
    private volatile CatalogIndex index = CatalogIndex.empty();

    public CatalogView(CatalogStore store, Authorizer authorizer, SubscriptionChooser chooser) {
        this.store = store;
        this.authorizer = authorizer;
        this.chooser = chooser;
    }

    /** The current index. */
    public CatalogIndex index() {
        return index;
    }

    /** Re-reads models, subscriptions and policies from the store. */
    public void refresh() {
        synchronized (rebuildLock) {
            index = CatalogIndex.build(version.incrementAndGet(), store.models(), store.subscriptions(),
                    store.policies());
        }
    }

    /** Every subscription that covers the model named {@code name}, best first for it; empty if there is none. */
    public List<Subscription> covering(String name) {
        CatalogIndex.ModelEntry entry = index.model(name);
        return entry == null ? List.of() : entry.covering();
    }

    /** The model with this name. */
    public Optional<ModelRef> model(String name) {
        CatalogIndex.ModelEntry entry = index.model(name);
        return entry == null ? Optional.empty() : Optional.of(entry.model());
    }

    /**
     * The models a key of {@code scope}, bound to {@code bound} if it is, may call acting as
     * {@code identity}, each with the subscriptions it could be charged to, best first: the same
     * rules as admission ({@link Authorizer}, {@link SubscriptionChooser}).
     */
    public List<ModelAccess> accessibleModels(KeyScope scope, Optional<String> bound, Identity identity) {
        CatalogIndex current = index;
        List<ModelAccess> result = new ArrayList<>();
        for (ModelRef model : current.models()) {
            CatalogIndex.ModelEntry entry = current.model(model.name());
            if (!authorizer.mayCall(entry, scope, identity)) {
                continue;
            }
            List<String> subscriptions = chooser.chargeable(entry, bound, identity);
            if (!subscriptions.isEmpty()) {
                result.add(new ModelAccess(model, subscriptions));
            }
        }
        return result;
    }
}
