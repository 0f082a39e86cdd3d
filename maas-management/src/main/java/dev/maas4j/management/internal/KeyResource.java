package dev.maas4j.management.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.Identity;
import dev.maas4j.api.KeyQuery;
import dev.maas4j.api.KeyStatus;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subject;
import dev.maas4j.core.CreatedKey;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.core.KeyRequestException;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.core.ModelAccess;
import dev.maas4j.management.Caller;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /api-keys}: create, list, search, details, rotate, revoke, bulk revoke. Thread-safe (stateless
 * apart from its collaborators).
 */
final class KeyResource {
    private static final Set<String> SORT_FIELDS = Set.of("created_at", "expires_at", "last_used_at", "name");
    private static final int MAX_BULK_IDS_IN_AUDIT = 50;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final MaasEngine engine;
    private final Audit audit;
    private final Settings settings;

    KeyResource(MaasEngine engine, Audit audit, Settings settings) {
        this.engine = engine;
        this.audit = audit;
        this.settings = settings;
    }

    void routes(Router router) {
        router.add("POST", "/api-keys", this::create)
                .add("GET", "/api-keys", this::list)
                .add("POST", "/api-keys/search", this::search)
                .add("POST", "/api-keys/bulk-revoke", this::bulkRevoke)
                .add("GET", "/api-keys/config", this::config)
                .add("GET", "/api-keys/{id}", this::details)
                .add("DELETE", "/api-keys/{id}", this::revoke)
                .add("POST", "/api-keys/{id}/rotate", this::rotate);
    }

    // ------------------------------------------------------------------ create

    private void create(Call call) throws IOException {
        Map<String, String> details = new LinkedHashMap<>();
        try {
            KeyJson.CreateRequest body = call.body(KeyJson.CreateRequest.class);
            Subject owner = KeyInputs.owner(call.caller, body.owner());
            details.put("owner", KeyViews.describe(owner));
            if (body.name() != null) {
                details.put("name", body.name());
            }
            if (owner.equals(Access.self(call.caller)) ? !call.caller.canManageOwnKeys() : !call.caller.isAdmin()) {
                throw ApiException.forbidden(owner.equals(Access.self(call.caller))
                        ? "your roles do not allow creating API keys"
                        : "creating API keys for another owner requires the admin role");
            }
            KeyRequest request = keyRequest(body, owner, call.now);
            CreatedKey created;
            try {
                created = engine.keys().create(request);
            } catch (KeyRequestException e) {
                throw refusal(e);
            }
            ApiKey key = created.key();
            details.put("name", key.name());
            key.subscription().ifPresent(s -> details.put("subscription", s));
            key.expiresAt().ifPresent(t -> details.put("expiresAt", t.toString()));
            audit.record(call, "api_key.create", "api_key/" + key.id(), Audit.SUCCESS, details);
            KeyJson.Key v = KeyViews.view(key, call.now);
            call.json(201, new KeyJson.Created(created.secret().reveal(), KeyViews.keyPrefix(key), key.id(), key.name(),
                    key.subscription().orElse(null), Text.instant(key.createdAt()), Text.instant(key.expiresAt()),
                    KeyViews.ephemeral(key), key.description().isEmpty() ? null : key.description(), v.models(), v.limits(),
                    v.labels()));
        } catch (ApiException e) {
            audit.record(call, "api_key.create", "api_key/", Audit.outcomeOf(e), Audit.withReason(details, e));
            throw e;
        }
    }


    private KeyRequest keyRequest(KeyJson.CreateRequest body, Subject owner, Instant now) {
        boolean ephemeral = Boolean.TRUE.equals(body.ephemeral());
        String name = body.name();
        if (name == null || name.isBlank()) {
            if (!ephemeral) {
                throw ApiException.invalid("name", "name is required");
            }
            name = "ephemeral-" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        }
        KeyRequest.Builder b = KeyRequest.builder(owner, Text.bounded(name.trim(), 256, "name"))
                .maxActiveKeysPerSubscription(settings.maxActiveKeysPerSubscription());
        if (body.description() != null) {
            b.description(Text.bounded(body.description(), 2048, "description"));
        }
        expiry(body, ephemeral, b);
        Identity identity = engine.identityOf(owner);
        b.subscription(body.subscription() != null ? KeyInputs.nonBlank(body.subscription(), "subscription")
                : engine.keys().defaultSubscription(owner).orElseThrow(() -> ApiException.badRequest(
                        KeyRequestException.INVALID_SUBSCRIPTION, "subscription",
                        "no subscription is available to the key's owner")));
        if (!identity.groups().isEmpty()) {
            // JSON, because group names may contain any separator
            b.putMetadata(KeyInputs.GROUPS_LABEL, Json.toString(new java.util.TreeSet<>(identity.groups())));
        }
        if (body.models() != null) {
            b.scope(KeyInputs.scope(body.models()));
        }
        if (body.limits() != null) {
            b.limits(KeyInputs.limits(body.limits()));
        }
        KeyInputs.labels(body.labels(), "labels").forEach(b::putMetadata);
        if (ephemeral) {
            b.putMetadata(KeyInputs.EPHEMERAL_LABEL, "true");
        }
        return b.build();
    }

    /** The expiry asked for; the key service checks it against the key's longest life. */
    private void expiry(KeyJson.CreateRequest body, boolean ephemeral, KeyRequest.Builder b) {
        if (body.expiresAt() != null && body.expiresIn() != null) {
            throw ApiException.invalid("expiresIn", "expiresAt and expiresIn are mutually exclusive: give one of them");
        }
        b.maxLifetime(ephemeral ? settings.ephemeralKeyLifetime() : settings.maxKeyLifetime());
        if (body.expiresAt() != null) {
            b.expiresAt(Text.parseInstant(body.expiresAt(), "expiresAt"));
        } else if (body.expiresIn() != null) {
            b.expiresIn(Text.parseRelative(body.expiresIn(), "expiresIn"));
        }
    }







    // ------------------------------------------------------------------ read

    private void config(Call call) throws IOException {
        call.json(200, new KeyJson.Config(settings.maxKeyLifetime().toDays(),
                Text.relative(settings.ephemeralKeyLifetime())));
    }

    private void list(Call call) throws IOException {
        // capped like the search's pagination.limit
        int limit = Math.min(call.intQuery("limit", settings.maxPageSize(), 1, Integer.MAX_VALUE),
                settings.maxPageSize());
        int offset = call.intQuery("offset", 0, 0, Integer.MAX_VALUE);
        Optional<Subject> owner = owner(call, call.query("username"), "listing another user's keys");
        call.json(200, page(engine.keys().search(new KeyQuery(owner, EnumSet.allOf(KeyStatus.class), Optional.empty(),
                Map.of(), Map.of(), KeyQuery.Sort.CREATED_AT, false, offset, limit)), call.now));
    }

    /**
     * Whose keys a listing shows: another user's (which needs a reading role), everybody's (for a
     * reading role that names nobody), else the caller's own.
     */
    private static Optional<Subject> owner(Call call, Optional<String> username, String what) {
        if (username.isPresent() && !username.get().equals(call.caller.user())) {
            Access.requireReadAll(call.caller, what);
            return Optional.of(Subject.user(username.get()));
        }
        if (username.isEmpty() && call.caller.canReadAll()) {
            return Optional.empty();
        }
        return Optional.of(Access.self(call.caller));
    }

    private void search(Call call) throws IOException {
        byte[] raw = call.body();
        KeyJson.SearchRequest body = raw.length == 0 || new String(raw, java.nio.charset.StandardCharsets.UTF_8).isBlank()
                ? new KeyJson.SearchRequest(null, null, null) : Json.read(raw, KeyJson.SearchRequest.class);
        KeyJson.SearchFilters filters = body.filters() != null ? body.filters()
                : new KeyJson.SearchFilters(null, null, null, null, null);
        Set<KeyStatus> statuses = KeyInputs.statuses(filters.status());
        Map<String, String> labels = filters.labels() == null ? Map.of() : filters.labels();
        boolean includeEphemeral = Boolean.TRUE.equals(filters.includeEphemeral());
        if (filters.username() != null && !filters.username().equals(call.caller.user()) && !call.caller.canReadAll()) {
            throw ApiException.forbidden(
                    "filters.username: only the admin and adminReadonly roles may search other users' keys");
        }
        Optional<Subject> owner = owner(call, Optional.ofNullable(filters.username()), "searching other users' keys");

        KeyJson.Sort sort = body.sort() != null ? body.sort() : new KeyJson.Sort(null, null);
        String by = sort.by() == null ? "created_at" : sort.by();
        if (!SORT_FIELDS.contains(by)) {
            throw ApiException.invalid("sort.by", "sort.by must be one of created_at, expires_at, last_used_at, name");
        }
        // any case, as Open Data Hub reads it ("DESC")
        String order = sort.order() == null ? "desc" : sort.order().toLowerCase(Locale.ROOT);
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ApiException.invalid("sort.order", "sort.order must be asc or desc");
        }
        KeyJson.Pagination pagination = body.pagination() != null ? body.pagination()
                : new KeyJson.Pagination(null, null);
        int limit = pagination.limit() == null ? Math.min(50, settings.maxPageSize()) : pagination.limit();
        if (limit < 1) {
            throw ApiException.invalid("pagination.limit", "pagination.limit must be at least 1");
        }
        // a larger page than the server gives is capped, as Open Data Hub does: has_more says the rest
        limit = Math.min(limit, settings.maxPageSize());
        int offset = pagination.offset() == null ? 0 : pagination.offset();
        if (offset < 0) {
            throw ApiException.invalid("pagination.offset", "pagination.offset must not be negative");
        }
        KeyQuery query = new KeyQuery(owner, statuses, Optional.ofNullable(filters.subscription()), labels,
                includeEphemeral ? Map.of() : Map.of(KeyInputs.EPHEMERAL_LABEL, "true"),
                KeyQuery.Sort.valueOf(by.toUpperCase(Locale.ROOT)), order.equals("asc"), offset, limit);
        call.json(200, page(engine.keys().search(query), call.now));
    }


    private KeyJson.KeyList page(KeyQuery.Page page, Instant now) {
        return new KeyJson.KeyList(page.keys().stream().map(k -> KeyViews.view(k, now)).toList(), page.hasMore());
    }

    private void details(Call call) throws IOException {
        ApiKey key = visibleKey(call, call.variable("id"));
        Instant now = call.now;
        Identity identity = engine.identityOf(key.owner());
        List<KeyJson.ModelAsset> models = new ArrayList<>();
        for (ModelAccess access : engine.catalog().accessibleModels(key, identity)) {
            ModelRef model = access.model();
            models.add(new KeyJson.ModelAsset(model.name(), model.name(), model.displayName(), model.namespace(),
                    call.modelUrl(settings, model), access.subscriptions()));
        }
        call.json(200, new KeyJson.Details(KeyViews.view(key, now), new KeyJson.Assets(models), KeyViews.policies(engine.catalog(), key, identity)));
    }





    // ------------------------------------------------------------------ revoke

    private void revoke(Call call) throws IOException {
        String id = call.variable("id");
        String resource = "api_key/" + id;
        Map<String, String> details = new LinkedHashMap<>();
        try {
            ApiKey key = changeableKey(call, id, "api_key.revoke", "revoking", details);
            if (!engine.revokeKey(id)) {
                // as Open Data Hub answers: only an active key can be revoked, a revoked one is not found
                details.put("reason", "already revoked");
                audit.record(call, "api_key.revoke", resource, Audit.FAILED, details);
                throw ApiException.notFound("key_not_found", "API key not found or already revoked: '" + id + "'");
            }
            audit.record(call, "api_key.revoke", resource, Audit.SUCCESS, details);
            call.json(200, KeyViews.view(engine.keys().find(id).orElse(key), call.now));
        } catch (ApiException e) {
            if (e.status() != 404) {
                audit.record(call, "api_key.revoke", resource, Audit.outcomeOf(e), Audit.withReason(details, e));
            }
            throw e;
        }
    }

    /**
     * The key {@code id} if the caller may change it (revoke, rotate): 404 if it does not exist or
     * is another's the caller may not see (audited as {@code action}), 403 if the caller sees it but
     * may not change it. Notes the key's owner and name in {@code details}.
     */
    private ApiKey changeableKey(Call call, String id, String action, String verbing, Map<String, String> details) {
        String resource = "api_key/" + id;
        Optional<ApiKey> found = engine.keys().find(id);
        if (found.isEmpty() || !Access.visible(call.caller, found.get())) {
            details.put("reason", found.isEmpty() ? "no such key" : "key of another owner");
            audit.record(call, action, resource, found.isEmpty() ? Audit.FAILED : Audit.DENIED, details);
            throw notFound(id);
        }
        ApiKey key = found.get();
        details.put("owner", KeyViews.describe(key.owner()));
        details.put("name", key.name());
        if (!Access.changeable(call.caller, key)) {
            throw ApiException.forbidden(Access.owns(call.caller, key)
                    ? "your roles do not allow " + verbing + " API keys"
                    : verbing + " another user's API key requires the admin role");
        }
        return key;
    }

    // ------------------------------------------------------------------ rotate

    /**
     * {@code POST /api-keys/{id}/rotate}: a new secret for the same key (maas4j's; Open Data Hub has
     * no rotation). Who may revoke a key may rotate it; a key that is not active is not found, as
     * for a revocation.
     */
    private void rotate(Call call) throws IOException {
        String id = call.variable("id");
        String resource = "api_key/" + id;
        Map<String, String> details = new LinkedHashMap<>();
        try {
            byte[] raw = call.body();
            KeyJson.RotateRequest body = raw.length == 0
                    || new String(raw, java.nio.charset.StandardCharsets.UTF_8).isBlank()
                    ? new KeyJson.RotateRequest(null) : Json.read(raw, KeyJson.RotateRequest.class);
            ApiKey key = changeableKey(call, id, "api_key.rotate", "rotating", details);
            java.time.Duration overlap = body.overlap() == null ? java.time.Duration.ZERO
                    : Text.parseDuration(body.overlap(), "overlap");
            details.put("overlap", Text.relative(overlap));
            Optional<CreatedKey> rotated;
            try {
                rotated = engine.keys().rotate(id, overlap);
            } catch (KeyRequestException e) {
                throw refusal(e);
            } catch (UnsupportedOperationException e) {
                throw ApiException.of(501, "rotation_unsupported", "this deployment's key store cannot rotate"
                        + " API keys: create a new key and revoke this one");
            } catch (java.util.ConcurrentModificationException e) {
                throw ApiException.conflict("concurrent_rotation", "the key was rotated concurrently, try again");
            }
            if (rotated.isEmpty()) {
                details.put("reason", "not active");
                audit.record(call, "api_key.rotate", resource, Audit.FAILED, details);
                throw ApiException.notFound("key_not_found", "API key not found or not active: '" + id + "'");
            }
            ApiKey now = rotated.get().key();
            audit.record(call, "api_key.rotate", resource, Audit.SUCCESS, details);
            KeyJson.Key v = KeyViews.view(now, call.now);
            call.json(200, new KeyJson.Rotated(new KeyJson.Created(rotated.get().secret().reveal(),
                    KeyViews.keyPrefix(now), now.id(), now.name(), now.subscription().orElse(null),
                    Text.instant(now.createdAt()), Text.instant(now.expiresAt()), KeyViews.ephemeral(now),
                    now.description().isEmpty() ? null : now.description(), v.models(), v.limits(), v.labels()),
                    now.previousSecret().map(p -> p.validUntil().toString()).orElse(null)));
        } catch (ApiException e) {
            if (e.status() != 404) {
                audit.record(call, "api_key.rotate", resource, Audit.outcomeOf(e), Audit.withReason(details, e));
            }
            throw e;
        }
    }

    private void bulkRevoke(Call call) throws IOException {
        Map<String, String> details = new LinkedHashMap<>();
        boolean dryRun = false;
        try {
            KeyJson.BulkRevokeRequest body = call.body(KeyJson.BulkRevokeRequest.class);
            dryRun = Boolean.TRUE.equals(body.dryRun());
            String username = body.username();
            String subscription = body.subscription();
            if (username != null && username.isBlank()) {
                throw ApiException.invalid("username", "username must not be blank");
            }
            if (subscription != null && subscription.isBlank()) {
                throw ApiException.invalid("subscription", "subscription must not be blank");
            }
            if (username == null && subscription == null) {
                throw ApiException.invalid("username", "username or subscription is required");
            }
            if (username != null) {
                details.put("username", username);
            }
            if (subscription != null) {
                details.put("subscription", subscription);
            }
            boolean own = username != null && username.equals(call.caller.user()) && subscription == null;
            Caller caller = call.caller;
            if (dryRun) {
                // a preview changes nothing: reading the keys concerned is enough
                if (!own && !caller.canReadAll()) {
                    throw ApiException.forbidden("previewing a revocation of other users' keys or of a subscription"
                            + " requires the admin or adminReadonly role");
                }
            } else if (own ? !caller.canManageOwnKeys() : !caller.isAdmin()) {
                throw ApiException.forbidden(own ? "your roles do not allow revoking API keys"
                        : "revoking other users' keys or a subscription's keys requires the admin role");
            }
            Optional<Subject> owner = Optional.ofNullable(username).map(Subject::user);
            List<ApiKey> matching = engine.keys().active(owner, Optional.ofNullable(subscription));
            String scope = (username != null ? "for user " + username : "")
                    + (username != null && subscription != null ? " in " : "")
                    + (subscription != null ? "for subscription " + subscription : "");
            if (dryRun) {
                call.json(200, new KeyJson.BulkRevokeResult(matching.size(),
                        "Dry run: " + matching.size() + " active key(s) would be revoked " + scope, true));
                return;
            }
            List<String> ids = engine.keys().revokeAll(owner, Optional.ofNullable(subscription));
            details.put("revokedCount", Integer.toString(ids.size()));
            details.put("keyIds", ids.stream().limit(MAX_BULK_IDS_IN_AUDIT).collect(Collectors.joining(","))
                    + (ids.size() > MAX_BULK_IDS_IN_AUDIT ? ",..." : ""));
            audit.record(call, "api_key.bulk_revoke", bulkResource(details), Audit.SUCCESS, details);
            call.json(200, new KeyJson.BulkRevokeResult(ids.size(),
                    "Successfully revoked " + ids.size() + " active API key(s) " + scope, false));
        } catch (ApiException e) {
            if (!dryRun) {
                audit.record(call, "api_key.bulk_revoke", bulkResource(details), Audit.outcomeOf(e), Audit.withReason(details, e));
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ shared

    /** A bulk revocation's resource id: the username, else the subscription. */
    private static String bulkResource(Map<String, String> details) {
        return "api_key/" + details.getOrDefault("username", details.getOrDefault("subscription", ""));
    }

    /** The key if the caller may see it; 404 otherwise, whether it exists or not. */
    ApiKey visibleKey(Call call, String id) {
        return engine.keys().find(id).filter(k -> Access.visible(call.caller, k)).orElseThrow(() -> notFound(id));
    }

    /**
     * The answer to a key the key service refused: 409 for the owner's key limit (the state of
     * their keys, not the request, is at fault), else 400 naming the field.
     */
    private static ApiException refusal(KeyRequestException e) {
        if (e.code().equals(KeyRequestException.KEY_LIMIT_REACHED)) {
            return ApiException.conflict(e.code(), e.getMessage());
        }
        return ApiException.badRequest(e.code(), e.field(), e.getMessage());
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("key_not_found", "API key not found: '" + id + "'");
    }










}
