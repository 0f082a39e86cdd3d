package dev.maas4j.management.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.Identity;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.KeyQuery;
import dev.maas4j.api.KeyScope;
import dev.maas4j.api.KeyStatus;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.ModelReference;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectType;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.core.CreatedKey;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.core.KeyRequestException;
import dev.maas4j.core.CatalogService;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.core.ModelAccess;
import dev.maas4j.management.Caller;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code /api-keys}: create, list, search, details, revoke, bulk revoke. Thread-safe (stateless
 * apart from its collaborators).
 */
final class KeyResource {
    /** Labels under this prefix are the library's own (e.g. the ephemeral marker) and refused from clients. */
    static final String RESERVED_LABEL_PREFIX = "maas4j.dev/";
    static final String EPHEMERAL_LABEL = RESERVED_LABEL_PREFIX + "ephemeral";
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");
    private static final int MAX_LABELS = 32;
    private static final Set<String> STATUSES = Set.of("active", "revoked", "expired");
    private static final Set<String> SORT_FIELDS = Set.of("created_at", "expires_at", "last_used_at", "name");
    private static final int MAX_BULK_IDS_IN_AUDIT = 50;
    /** The owner's groups at creation (Open Data Hub's {@code groups}), kept as an informational snapshot. */
    static final String GROUPS_LABEL = RESERVED_LABEL_PREFIX + "groups";
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
                .add("DELETE", "/api-keys/{id}", this::revoke);
    }

    // ------------------------------------------------------------------ create

    private void create(Call call) throws IOException {
        Map<String, String> details = new LinkedHashMap<>();
        try {
            KeyJson.CreateRequest body = call.body(KeyJson.CreateRequest.class);
            Subject owner = owner(call.caller, body.owner());
            details.put("owner", describe(owner));
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
                throw ApiException.badRequest(e.code(), e.field(), e.getMessage());
            }
            ApiKey key = created.key();
            details.put("name", key.name());
            key.subscription().ifPresent(s -> details.put("subscription", s));
            key.expiresAt().ifPresent(t -> details.put("expiresAt", t.toString()));
            audit.record(call, "api_key.create", "api_key/" + key.id(), Audit.SUCCESS, details);
            KeyJson.Key v = view(key, call.now);
            call.json(201, new KeyJson.Created(created.secret().reveal(), keyPrefix(key), key.id(), key.name(),
                    key.subscription().orElse(null), Text.instant(key.createdAt()), Text.instant(key.expiresAt()),
                    ephemeral(key), key.description().isEmpty() ? null : key.description(), v.models(), v.limits(),
                    v.labels()));
        } catch (ApiException e) {
            audit.record(call, "api_key.create", "api_key/", outcomeOf(e), withReason(details, e));
            throw e;
        }
    }

    private static Subject owner(Caller caller, KeyJson.Owner owner) {
        if (owner == null) {
            return Access.self(caller);
        }
        if (owner.name() == null || owner.name().isBlank()) {
            throw ApiException.invalid("owner.name", "owner.name is required");
        }
        Text.bounded(owner.name(), 253, "owner.name");
        String type = owner.type() == null ? "user" : owner.type();
        return switch (type) {
            case "user" -> Subject.user(owner.name());
            case "group" -> Subject.group(owner.name());
            case "serviceAccount" -> Subject.serviceAccount(owner.name());
            default -> throw ApiException.invalid("owner.type", "owner.type must be one of user, group, serviceAccount");
        };
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
        KeyRequest.Builder b = KeyRequest.builder(owner, Text.bounded(name.trim(), 256, "name"));
        if (body.description() != null) {
            b.description(Text.bounded(body.description(), 2048, "description"));
        }
        expiry(body, ephemeral, b);
        Identity identity = engine.identityOf(owner);
        b.subscription(body.subscription() != null ? nonBlank(body.subscription(), "subscription")
                : engine.keys().defaultSubscription(owner).orElseThrow(() -> ApiException.badRequest(
                        KeyRequestException.INVALID_SUBSCRIPTION, "subscription",
                        "no subscription is available to the key's owner")));
        if (!identity.groups().isEmpty()) {
            // JSON, because group names may contain any separator
            b.putMetadata(GROUPS_LABEL, Json.toString(new java.util.TreeSet<>(identity.groups())));
        }
        if (body.models() != null) {
            b.scope(scope(body.models()));
        }
        if (body.limits() != null) {
            b.limits(limits(body.limits()));
        }
        labels(body.labels(), "labels").forEach(b::putMetadata);
        if (ephemeral) {
            b.putMetadata(EPHEMERAL_LABEL, "true");
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

    private static String nonBlank(String value, String field) {
        if (value.isBlank()) {
            throw ApiException.invalid(field, field + " must not be blank");
        }
        return value;
    }

    /** The models asked for; the key service checks that each exists. */
    private static KeyScope scope(List<String> models) {
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < models.size(); i++) {
            String model = models.get(i);
            String field = "models[" + i + "]";
            if (model == null || model.isBlank()) {
                throw ApiException.invalid(field, field + " must be a model name");
            }
            names.add(model);
        }
        return KeyScope.models(names);
    }

    static KeyLimits limits(KeyJson.Limits limits) {
        KeyLimits.Builder b = KeyLimits.builder();
        if (limits.requestsPerMinute() != null) {
            b.requestsPerMinute(positive(limits.requestsPerMinute(), "limits.requestsPerMinute"));
        }
        if (limits.tokensPerMinute() != null) {
            b.tokensPerMinute(positive(limits.tokensPerMinute(), "limits.tokensPerMinute"));
        }
        if (limits.maxParallelRequests() != null) {
            b.maxParallelRequests((int) positive(limits.maxParallelRequests(), "limits.maxParallelRequests"));
        }
        if (limits.budget() != null) {
            if (limits.budget().signum() <= 0) {
                throw ApiException.invalid("limits.budget", "limits.budget must be positive");
            }
            if (limits.budgetPeriod() == null) {
                throw ApiException.invalid("limits.budgetPeriod", "limits.budgetPeriod is required with limits.budget");
            }
            b.budget(new Budget(limits.budget(), period(limits.budgetPeriod(), "limits.budgetPeriod")));
        } else if (limits.budgetPeriod() != null) {
            throw ApiException.invalid("limits.budget", "limits.budget is required with limits.budgetPeriod");
        }
        return b.build();
    }

    /** A budget period named by a field: {@link BudgetPeriod#parse}'s grammar, its error naming the field. */
    static BudgetPeriod period(String text, String field) {
        if (text == null) {
            return BudgetPeriod.MONTH;
        }
        try {
            return BudgetPeriod.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, field + " must be one of day, week, month");
        }
    }

    private static long positive(long value, String field) {
        if (value <= 0) {
            throw ApiException.invalid(field, field + " must be a positive integer");
        }
        return value;
    }

    static Map<String, String> labels(Map<String, String> labels, String field) {
        if (labels == null) {
            return Map.of();
        }
        if (labels.size() > MAX_LABELS) {
            throw ApiException.invalid(field, field + " may hold at most " + MAX_LABELS + " entries");
        }
        Map<String, String> result = new TreeMap<>();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String key = e.getKey();
            String name = field + "." + key;
            if (!LABEL_KEY.matcher(key).matches()) {
                throw ApiException.invalid(name, field + " key '" + key
                        + "' must be 1 to 63 letters, digits, '.', '_', '-' or '/', starting and ending with a letter or digit");
            }
            if (key.startsWith(RESERVED_LABEL_PREFIX)) {
                throw ApiException.invalid(name, field + " key '" + key + "' uses the reserved prefix "
                        + RESERVED_LABEL_PREFIX);
            }
            if (e.getValue() == null) {
                throw ApiException.invalid(name, name + " must be a string");
            }
            result.put(key, Text.bounded(e.getValue(), 256, name));
        }
        return result;
    }

    // ------------------------------------------------------------------ read

    private void config(Call call) throws IOException {
        call.json(200, new KeyJson.Config(settings.maxKeyLifetime().toDays(),
                Text.relative(settings.ephemeralKeyLifetime())));
    }

    private void list(Call call) throws IOException {
        int limit = intQuery(call, "limit", settings.maxPageSize(), 1, settings.maxPageSize());
        int offset = intQuery(call, "offset", 0, 0, Integer.MAX_VALUE);
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
        Set<KeyStatus> statuses = statuses(filters.status());
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
        String order = sort.order() == null ? "desc" : sort.order();
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ApiException.invalid("sort.order", "sort.order must be asc or desc");
        }
        KeyJson.Pagination pagination = body.pagination() != null ? body.pagination()
                : new KeyJson.Pagination(null, null);
        int limit = pagination.limit() == null ? Math.min(50, settings.maxPageSize()) : pagination.limit();
        if (limit < 1 || limit > settings.maxPageSize()) {
            throw ApiException.invalid("pagination.limit", "pagination.limit must be between 1 and "
                    + settings.maxPageSize());
        }
        int offset = pagination.offset() == null ? 0 : pagination.offset();
        if (offset < 0) {
            throw ApiException.invalid("pagination.offset", "pagination.offset must not be negative");
        }
        KeyQuery query = new KeyQuery(owner, statuses, Optional.ofNullable(filters.subscription()), labels,
                includeEphemeral ? Map.of() : Map.of(EPHEMERAL_LABEL, "true"),
                KeyQuery.Sort.valueOf(by.toUpperCase(Locale.ROOT)), order.equals("asc"), offset, limit);
        call.json(200, page(engine.keys().search(query), call.now));
    }

    private static Set<KeyStatus> statuses(List<String> status) {
        if (status == null || status.isEmpty()) {
            return Set.of(KeyStatus.ACTIVE);
        }
        Set<KeyStatus> result = new LinkedHashSet<>();
        for (int i = 0; i < status.size(); i++) {
            String s = status.get(i);
            if (s == null || !STATUSES.contains(s)) {
                throw ApiException.invalid("filters.status[" + i + "]",
                        "filters.status[" + i + "] must be one of active, revoked, expired");
            }
            result.add(KeyStatus.valueOf(s.toUpperCase(Locale.ROOT)));
        }
        return result;
    }

    private KeyJson.KeyList page(KeyQuery.Page page, Instant now) {
        return new KeyJson.KeyList(page.keys().stream().map(k -> view(k, now)).toList(), page.hasMore());
    }

    private void details(Call call) throws IOException {
        ApiKey key = visibleKey(call, call.variable("id"));
        Instant now = call.now;
        Identity identity = engine.identityOf(key.owner());
        String base = gatewayBase(call, settings);
        List<KeyJson.ModelAsset> models = new ArrayList<>();
        for (ModelAccess access : engine.catalog().accessibleModels(key, identity)) {
            ModelRef model = access.model();
            models.add(new KeyJson.ModelAsset(model.name(), model.name(), model.displayName(), model.namespace(),
                    base + "/" + model.namespace() + "/" + model.name() + "/v1", access.subscriptions()));
        }
        call.json(200, new KeyJson.Details(view(key, now), new KeyJson.Assets(models), policies(key, identity)));
    }

    /** The auth policies that grant the key's owner a model the key may reach, its subscriptions and its own limits. */
    private List<KeyJson.Policy> policies(ApiKey key, Identity identity) {
        CatalogService catalog = engine.catalog();
        List<KeyJson.Policy> result = new ArrayList<>();
        for (AuthPolicy policy : catalog.policies()) {
            if (!policy.subjects().includes(identity)) {
                continue;
            }
            List<String> granted = policy.modelRefs().stream().map(ModelReference::name)
                    .filter(key.scope()::allowsModel).distinct().toList();
            if (!granted.isEmpty()) {
                result.add(new KeyJson.Policy(policy.name(), policy.name(), "authPolicy",
                        "Grants access to " + String.join(", ", granted)));
            }
        }
        for (Subscription subscription : catalog.subscriptionsOf(key, identity)) {
            result.add(new KeyJson.Policy(subscription.name(), subscription.name(), "subscription",
                    describe(subscription, key.scope())));
        }
        if (!key.limits().isEmpty()) {
            result.add(new KeyJson.Policy("key-limits", "Key limits", "keyLimits", describe(key.limits())));
        }
        return result;
    }

    private static String describe(Subscription subscription, KeyScope scope) {
        List<String> parts = new ArrayList<>();
        parts.add("Priority " + subscription.priority());
        for (SubscriptionModel model : subscription.modelRefs()) {
            if (!scope.allowsModel(model.name())) {
                continue;
            }
            List<String> limits = new ArrayList<>();
            for (RateLimit limit : model.tokenRateLimits()) {
                limits.add(limit.limit() + " tokens per " + limit.windowText());
            }
            for (RateLimit limit : model.requestRateLimits()) {
                limits.add(limit.limit() + " requests per " + limit.windowText());
            }
            parts.add(model.name() + ": " + (limits.isEmpty() ? "no rate limit" : String.join(", ", limits)));
        }
        subscription.budget().ifPresent(b -> parts.add("budget " + b.amount().toPlainString() + " per "
                + b.period().name().toLowerCase(Locale.ROOT)));
        return String.join("; ", parts);
    }

    private static String describe(KeyLimits limits) {
        List<String> parts = new ArrayList<>();
        limits.requestsPerMinute().ifPresent(v -> parts.add(v + " requests per minute"));
        limits.tokensPerMinute().ifPresent(v -> parts.add(v + " tokens per minute"));
        limits.maxParallelRequests().ifPresent(v -> parts.add(v + " parallel requests"));
        limits.budget().ifPresent(b -> parts.add("budget " + b.amount().toPlainString() + " per "
                + b.period().name().toLowerCase(Locale.ROOT)));
        return String.join("; ", parts);
    }

    /** The base URL clients call models at: the configured one, else this request's scheme, host and port. */
    static String gatewayBase(Call call, Settings settings) {
        String base = settings.gatewayBaseUrl().map(Object::toString).orElseGet(() -> {
            var r = call.request;
            boolean defaultPort = (r.getScheme().equals("http") && r.getServerPort() == 80)
                    || (r.getScheme().equals("https") && r.getServerPort() == 443);
            return r.getScheme() + "://" + r.getServerName() + (defaultPort ? "" : ":" + r.getServerPort());
        });
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    // ------------------------------------------------------------------ revoke

    private void revoke(Call call) throws IOException {
        String id = call.variable("id");
        String resource = "api_key/" + id;
        Map<String, String> details = new LinkedHashMap<>();
        try {
            Optional<ApiKey> found = engine.keys().find(id);
            if (found.isEmpty() || !Access.visible(call.caller, found.get())) {
                details.put("reason", found.isEmpty() ? "no such key" : "key of another owner");
                audit.record(call, "api_key.revoke", resource, found.isEmpty() ? Audit.FAILED : Audit.DENIED, details);
                throw notFound(id);
            }
            ApiKey key = found.get();
            details.put("owner", describe(key.owner()));
            details.put("name", key.name());
            if (!Access.changeable(call.caller, key)) {
                throw ApiException.forbidden(Access.owns(call.caller, key)
                        ? "your roles do not allow revoking API keys"
                        : "revoking another user's API key requires the admin role");
            }
            boolean revoked = engine.revokeKey(id);
            if (!revoked) {
                details.put("alreadyRevoked", "true");
            }
            audit.record(call, "api_key.revoke", resource, Audit.SUCCESS, details);
            call.json(200, view(engine.keys().find(id).orElse(key), call.now));
        } catch (ApiException e) {
            if (e.status() != 404) {
                audit.record(call, "api_key.revoke", resource, outcomeOf(e), withReason(details, e));
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
                audit.record(call, "api_key.bulk_revoke", bulkResource(details), outcomeOf(e), withReason(details, e));
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

    private static ApiException notFound(String id) {
        return ApiException.notFound("key_not_found", "API key not found: '" + id + "'");
    }

    static KeyJson.Key view(ApiKey key, Instant now) {
        Map<String, String> labels = new TreeMap<>(key.metadata());
        labels.keySet().removeIf(k -> k.startsWith(RESERVED_LABEL_PREFIX));
        List<String> models = key.scope().models().stream().sorted().toList();
        return new KeyJson.Key(key.id(), key.name(), key.description().isEmpty() ? null : key.description(),
                key.owner().name(), ownerType(key.owner().type()), key.subscription().orElse(null), groups(key),
                Text.instant(key.createdAt()), Text.instant(key.expiresAt()),
                key.status(now).name().toLowerCase(Locale.ROOT), Text.instant(key.lastUsedAt()), ephemeral(key),
                keyPrefix(key), key.limits().isEmpty() ? null : limitsView(key.limits()),
                labels.isEmpty() ? null : labels, Text.instant(key.revokedAt()), models.isEmpty() ? null : models);
    }

    /**
     * {@code keyPrefix}: the start of the key itself ({@code sk-oai-Ab3x}, as in ODH), so that a UI can
     * match it against a key; the stored display prefix ends with an ellipsis for logs.
     */
    static String keyPrefix(ApiKey key) {
        String prefix = key.displayPrefix();
        return prefix.endsWith("\u2026") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** The owner's groups when the key was created, from the snapshot taken then; empty without one. */
    static List<String> groups(ApiKey key) {
        String snapshot = key.metadata().get(GROUPS_LABEL);
        if (snapshot == null) {
            return List.of();
        }
        try {
            return List.of(Json.mapper().readValue(snapshot, String[].class));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    static KeyJson.Limits limitsView(KeyLimits limits) {
        return new KeyJson.Limits(
                limits.requestsPerMinute().isPresent() ? limits.requestsPerMinute().getAsLong() : null,
                limits.tokensPerMinute().isPresent() ? limits.tokensPerMinute().getAsLong() : null,
                limits.maxParallelRequests().isPresent() ? limits.maxParallelRequests().getAsInt() : null,
                limits.budget().map(Budget::amount).orElse(null),
                limits.budget().map(b -> b.period().name().toLowerCase(Locale.ROOT)).orElse(null));
    }

    static String ownerType(SubjectType type) {
        return switch (type) {
            case USER -> "user";
            case GROUP -> "group";
            case SERVICE_ACCOUNT -> "serviceAccount";
        };
    }

    static boolean ephemeral(ApiKey key) {
        return "true".equals(key.metadata().get(EPHEMERAL_LABEL));
    }

    private static String describe(Subject subject) {
        return ownerType(subject.type()) + ":" + subject.name();
    }

    /** {@code denied} for 401 and 403, {@code failed} for any other error. */
    static String outcomeOf(ApiException e) {
        return e.status() == 401 || e.status() == 403 ? Audit.DENIED : Audit.FAILED;
    }

    static Map<String, String> withReason(Map<String, String> details, ApiException e) {
        Map<String, String> copy = new LinkedHashMap<>(details);
        copy.put("status", Integer.toString(e.status()));
        copy.put("reason", e.getMessage());
        return copy;
    }

    static int intQuery(Call call, String name, int fallback, int min, int max) {
        Optional<String> text = call.query(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid(name, name + " must be an integer between " + min + " and " + max);
    }
}
