package dev.maas4j.store.jdbc.internal;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** Models, subscriptions and auth policies in {@code maas_catalog_entry}, as JSON documents. Thread-safe. */
public final class CatalogRepository {
    private static final String MODEL = "model";
    private static final String SUBSCRIPTION = "subscription";
    private static final String POLICY = "policy";

    private final Database db;

    /** The catalog in {@code db}. */
    public CatalogRepository(Database db) {
        this.db = db;
    }

    /** Every model, by name. */
    public List<ModelRef> models() {
        return list(MODEL, Json::model);
    }

    /** Every subscription, by name. */
    public List<Subscription> subscriptions() {
        return list(SUBSCRIPTION, Json::subscription);
    }

    /** Every policy, by name. */
    public List<AuthPolicy> policies() {
        return list(POLICY, Json::policy);
    }

    /** One model. */
    public Optional<ModelRef> findModel(String name) {
        return find(MODEL, name, Json::model);
    }

    /** One subscription. */
    public Optional<Subscription> findSubscription(String name) {
        return find(SUBSCRIPTION, name, Json::subscription);
    }

    /** One policy. */
    public Optional<AuthPolicy> findPolicy(String name) {
        return find(POLICY, name, Json::policy);
    }

    /** Creates or replaces a model. */
    public void putModel(ModelRef model) {
        Objects.requireNonNull(model, "model");
        put(MODEL, model.name(), model.namespace(), Json.model(model));
    }

    /** Creates or replaces a subscription. */
    public void putSubscription(Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        put(SUBSCRIPTION, subscription.name(), subscription.namespace(), Json.subscription(subscription));
    }

    /** Creates or replaces a policy. */
    public void putPolicy(AuthPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        put(POLICY, policy.name(), policy.namespace(), Json.policy(policy));
    }

    /** Removes a model. */
    public boolean removeModel(String name) {
        return remove(MODEL, name);
    }

    /** Removes a subscription. */
    public boolean removeSubscription(String name) {
        return remove(SUBSCRIPTION, name);
    }

    /** Removes a policy. */
    public boolean removePolicy(String name) {
        return remove(POLICY, name);
    }

    private <T> List<T> list(String kind, Function<String, T> parse) {
        return db.call("read the catalog", h -> h.createQuery(
                        "SELECT spec_json FROM maas_catalog_entry WHERE kind = ? ORDER BY name")
                .bind(0, kind).mapTo(String.class).map(parse::apply).list());
    }

    private <T> Optional<T> find(String kind, String name, Function<String, T> parse) {
        Objects.requireNonNull(name, "name");
        return db.call("read the catalog", h -> h.createQuery(
                        "SELECT spec_json FROM maas_catalog_entry WHERE kind = ? AND name = ?")
                .bind(0, kind).bind(1, name).mapTo(String.class).findOne().map(parse));
    }

    private void put(String kind, String name, String namespace, String spec) {
        String sql = db.dialect() == Dialect.POSTGRESQL
                ? "INSERT INTO maas_catalog_entry (kind, name, namespace, spec_json, updated_at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (kind, name) DO UPDATE SET namespace = EXCLUDED.namespace,"
                + " spec_json = EXCLUDED.spec_json, updated_at = EXCLUDED.updated_at"
                : "MERGE INTO maas_catalog_entry (kind, name, namespace, spec_json, updated_at) KEY (kind, name)"
                + " VALUES (?, ?, ?, ?, ?)";
        db.transaction("write " + kind + " '" + name + "'", h -> {
            h.createUpdate(sql).bind(0, kind).bind(1, name).bind(2, namespace).bind(3, spec)
                    .bind(4, Database.timestamp(Instant.now())).execute();
            db.recordChange(h, "catalog", null);
            return null;
        });
        db.changed();
    }

    private boolean remove(String kind, String name) {
        Objects.requireNonNull(name, "name");
        boolean removed = db.transaction("remove " + kind + " '" + name + "'", h -> {
            int n = h.createUpdate("DELETE FROM maas_catalog_entry WHERE kind = ? AND name = ?")
                    .bind(0, kind).bind(1, name).execute();
            if (n > 0) {
                db.recordChange(h, "catalog", null);
            }
            return n > 0;
        });
        if (removed) {
            db.changed();
        }
        return removed;
    }
}
