package dev.maas4j.store.jdbc.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.SecretHash;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectType;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** API keys in {@code maas_api_key}. Thread-safe. */
public final class KeyRepository {
    private static final String COLUMNS = "id, name, description, owner_type, owner_name, secret_hash, display_prefix,"
            + " created_at, expires_at, last_used_at, revoked_at, subscription, scope_json, limits_json, metadata_json";
    private static final String ORDER = " ORDER BY created_at DESC, id DESC";

    private final Database db;

    /** Keys in {@code db}. */
    public KeyRepository(Database db) {
        this.db = db;
    }

    /** Stores a new key. */
    public void create(ApiKey key) {
        Objects.requireNonNull(key, "key");
        try {
            db.transaction("create key", h -> {
                h.createUpdate("INSERT INTO maas_api_key (" + COLUMNS + ") VALUES (:id, :name, :description,"
                                + " :ownerType, :ownerName, :hash, :prefix, :created, :expires, :lastUsed, :revoked,"
                                + " :subscription, :scope, :limits, :metadata)")
                        .bind("id", key.id())
                        .bind("name", key.name())
                        .bind("description", key.description())
                        .bind("ownerType", key.owner().type().name())
                        .bind("ownerName", key.owner().name())
                        .bind("hash", key.secretHash().toHex())
                        .bind("prefix", key.displayPrefix())
                        .bind("created", Database.timestamp(key.createdAt()))
                        .bind("expires", key.expiresAt().map(Database::timestamp).orElse(null))
                        .bind("lastUsed", key.lastUsedAt().map(Database::timestamp).orElse(null))
                        .bind("revoked", key.revokedAt().map(Database::timestamp).orElse(null))
                        .bind("subscription", key.subscription().orElse(null))
                        .bind("scope", Json.scope(key.scope()))
                        .bind("limits", Json.limits(key.limits()))
                        .bind("metadata", Json.map(key.metadata()))
                        .execute();
                db.recordChange(h, "key", key.id());
                return null;
            });
        } catch (RuntimeException e) {
            if (StoreErrors.isUniqueViolation(e)) {
                throw new IllegalStateException("a key with id '" + key.id() + "' already exists");
            }
            throw e;
        }
        db.changed();
    }

    /** The key with this id: one primary-key lookup. */
    public Optional<ApiKey> findById(String id) {
        Objects.requireNonNull(id, "id");
        return db.call("find key", h -> h.createQuery("SELECT " + COLUMNS + " FROM maas_api_key WHERE id = ?")
                .bind(0, id).map((rs, ctx) -> key(rs)).findOne());
    }

    /** The keys of {@code owner}, newest first. */
    public List<ApiKey> findByOwner(Subject owner) {
        Objects.requireNonNull(owner, "owner");
        return db.call("list keys", h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM maas_api_key WHERE owner_type = ? AND owner_name = ?" + ORDER)
                .bind(0, owner.type().name()).bind(1, owner.name()).map((rs, ctx) -> key(rs)).list());
    }

    /** Every key, newest first. */
    public List<ApiKey> findAll() {
        return db.call("list keys", h -> h.createQuery("SELECT " + COLUMNS + " FROM maas_api_key" + ORDER)
                .map((rs, ctx) -> key(rs)).list());
    }

    /** Revokes a key once. */
    public boolean revoke(String id, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        boolean revoked = db.transaction("revoke key", h -> {
            int n = h.createUpdate("UPDATE maas_api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                    .bind(0, Database.timestamp(at)).bind(1, id).execute();
            if (n > 0) {
                db.recordChange(h, "key", id);
            }
            return n > 0;
        });
        if (revoked) {
            db.changed();
        }
        return revoked;
    }

    /** Keeps the latest last-used time per key; one batch, in id order so concurrent batches never deadlock. */
    public void recordLastUsed(Map<String, Instant> lastUsed) {
        Objects.requireNonNull(lastUsed, "lastUsedByKeyId");
        if (lastUsed.isEmpty()) {
            return;
        }
        db.transaction("record last use of keys", h -> {
            PreparedBatch batch = h.prepareBatch("UPDATE maas_api_key SET last_used_at = :at WHERE id = :id"
                    + " AND (last_used_at IS NULL OR last_used_at < :at)");
            new TreeMap<>(lastUsed).forEach((id, at) -> batch.bind("id", id).bind("at", Database.timestamp(at)).add());
            batch.execute();
            return null;
        });
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        String subscription = rs.getString("subscription");
        return new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("description"),
                new Subject(SubjectType.valueOf(rs.getString("owner_type")), rs.getString("owner_name")),
                SecretHash.fromHex(rs.getString("secret_hash")), rs.getString("display_prefix"),
                Database.instant(rs, "created_at"), Database.optionalInstant(rs, "expires_at"),
                Database.optionalInstant(rs, "last_used_at"), Database.optionalInstant(rs, "revoked_at"),
                Optional.ofNullable(subscription), Json.scope(rs.getString("scope_json")),
                Json.limits(rs.getString("limits_json")), Json.map(rs.getString("metadata_json")));
    }
}
