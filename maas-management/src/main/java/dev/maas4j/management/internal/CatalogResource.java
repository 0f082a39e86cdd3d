package dev.maas4j.management.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Identity;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.ModelReference;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.api.TokenMetadata;
import dev.maas4j.core.Authentication;
import dev.maas4j.core.CatalogService;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.core.ModelAccess;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The catalog: {@code GET /models}, {@code GET /subscriptions} and {@code GET /model/{id}/subscriptions}
 * (Open Data Hub's views: what the caller may use; everything, with the administrators' properties,
 * for readers of everything), and administrators' create/read/update/delete of models,
 * subscriptions and auth policies through the engine's {@link CatalogStore}. A read-only catalog
 * (Kubernetes resources, a configuration file) answers changes with 409. Thread-safe.
 */
final class CatalogResource {
    /**
     * {@code subscription_description}, which Open Data Hub always sends (from an annotation, empty
     * without one); subscriptions here have no description.
     */
    private static final String NO_DESCRIPTION = "";
    private final MaasEngine engine;
    private final Audit audit;
    private final Settings settings;
    private final long defaultCreated;

    CatalogResource(MaasEngine engine, Audit audit, Settings settings, long defaultCreated) {
        this.engine = engine;
        this.audit = audit;
        this.settings = settings;
        this.defaultCreated = defaultCreated;
    }

    void routes(Router router) {
        router.add("GET", "/models", this::models)
                .add("GET", "/subscriptions", this::subscriptions)
                .add("GET", "/model/{model}/subscriptions", this::subscriptionsOfModel)
                .add("GET", "/policies", call -> {
                    Access.requireReadAll(call.caller, "listing auth policies");
                    call.json(200, new CatalogJson.Listing<>(engine.catalog().policies().stream()
                            .map(CatalogResource::policyView).toList()));
                });
        crud(router, new Kind<>("model", "/models", CatalogJson.ModelInput.class, CatalogJson.ModelInput::name,
                CatalogInputs::model, (call, m) -> modelView(call, m, true), CatalogService::findModel,
                CatalogService::putModel, CatalogService::removeModel));
        crud(router, new Kind<>("subscription", "/subscriptions", CatalogJson.SubscriptionInput.class,
                CatalogJson.SubscriptionInput::name, (in, existing) -> CatalogInputs.subscription(in, this::exists),
                (call, s) -> subscriptionView(s, true), CatalogService::findSubscription,
                CatalogService::putSubscription, CatalogService::removeSubscription));
        crud(router, new Kind<>("policy", "/policies", CatalogJson.Policy.class, CatalogJson.Policy::name,
                (in, existing) -> CatalogInputs.policy(in, this::exists), (call, p) -> policyView(p),
                CatalogService::findPolicy, CatalogService::putPolicy, CatalogService::removePolicy));
    }

    // ------------------------------------------------------------------ Open Data Hub views

    private Identity identity(Call call) {
        return call.apiKey.flatMap(Authentication::identity)
                .orElseGet(() -> engine.identityOf(Access.self(call.caller)));
    }

    /**
     * The models the caller may use, each with the subscriptions it could be charged to, best first:
     * the engine's one rule ({@link CatalogService#accessibleModels}), for the caller's key (its
     * bound subscription) or, with a management credential, for any key of the caller's.
     *
     * @throws ApiException 403 when the key's bound subscription no longer exists or no longer
     *                      includes its owner (Open Data Hub's answers)
     */
    private List<ModelAccess> usable(Call call) {
        CatalogService catalog = engine.catalog();
        Identity identity = identity(call);
        if (call.apiKey.isEmpty()) {
            return catalog.accessibleModels(identity);
        }
        ApiKey key = call.apiKey.get().key().orElseThrow();
        if (key.subscription().isPresent()) {
            Subscription bound = catalog.findSubscription(key.subscription().get())
                    .orElseThrow(() -> ApiException.forbidden("subscription not found"));
            if (!bound.owner().includes(identity)) {
                throw ApiException.forbidden("access denied to subscription");
            }
        }
        return catalog.accessibleModels(key, identity);
    }

    /** The subscriptions the caller may be charged to, best first: the key's, or the caller's. */
    private List<Subscription> candidates(Call call) {
        Identity identity = identity(call);
        return call.apiKey.isEmpty() ? engine.catalog().subscriptionsOf(identity)
                : engine.catalog().subscriptionsOf(call.apiKey.get().key().orElseThrow(), identity);
    }

    private void models(Call call) throws IOException {
        CatalogService catalog = engine.catalog();
        if (call.caller.canReadAll() && call.apiKey.isEmpty()) {
            call.json(200, new CatalogJson.Listing<>(catalog.models().stream()
                    .map(m -> modelView(call, m, true)).toList()));
            return;
        }
        List<ModelAccess> usable = usable(call);
        // a key is scoped by its own subscription: the header (which the gateway sets from it) changes nothing
        String wanted = call.apiKey.isPresent() ? null : call.request.getHeader("X-MaaS-Subscription");
        Optional<String> only = wanted == null || wanted.isBlank() ? Optional.empty() : Optional.of(wanted.strip());
        if (only.isPresent() && candidates(call).stream().noneMatch(s -> s.name().equals(only.get()))) {
            throw ApiException.forbidden("access denied to subscription");
        }
        // the models a key of the caller's could call: the engine's rules, as on GET /v1/models
        List<CatalogJson.Model> data = new ArrayList<>();
        for (ModelAccess access : usable) {
            List<String> covering = only.isEmpty() ? access.subscriptions()
                    : access.subscriptions().stream().filter(only.get()::equals).toList();
            if (!covering.isEmpty()) {
                data.add(odhModel(call, access.model(), covering));
            }
        }
        call.json(200, new CatalogJson.Listing<>(data));
    }

    /** A model as Open Data Hub shows it, plus the administrators' properties when {@code admin}. */
    private CatalogJson.Model modelView(Call call, ModelRef model, boolean admin) {
        List<String> covering = engine.catalog().subscriptionsCovering(model.name()).stream()
                .map(Subscription::name).toList();
        CatalogJson.Model odh = odhModel(call, model, covering);
        if (!admin) {
            return odh;
        }
        return new CatalogJson.Model(odh.id(), odh.object(), odh.created(), odh.ownedBy(), odh.ready(), odh.url(),
                odh.kind(), odh.modelDetails(), odh.subscriptions(), model.name(), model.namespace(),
                model.displayName(), model.endpoints().stream().map(URI::toString).toList(), model.enabled(),
                model.price().map(p -> new CatalogJson.Price(p.promptPerMillion(), p.completionPerMillion(),
                        p.currency())).orElse(null),
                model.upstreamCredential().isPresent(), model.metadata().get(ModelRef.UPSTREAM_MODEL),
                model.metadata().get(ModelRef.MAX_RESPONSE_DURATION), bytes(model.metadata()),
                model.metadata().isEmpty() ? null : new TreeMap<>(model.metadata()));
    }

    /** The model's {@link ModelRef#MAX_RESPONSE_BYTES}, if it is a number. */
    private static Long bytes(Map<String, String> metadata) {
        String value = metadata.get(ModelRef.MAX_RESPONSE_BYTES);
        try {
            return value == null ? null : Long.valueOf(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private CatalogJson.Model odhModel(Call call, ModelRef model, List<String> subscriptions) {
        Map<String, String> meta = model.metadata();
        String capabilities = meta.get("modelCapabilities");
        CatalogJson.ModelDetails details = new CatalogJson.ModelDetails(model.displayName(),
                meta.get("description"), meta.get("genaiUseCase"), meta.get("contextWindow"),
                capabilities == null ? null : Arrays.stream(capabilities.split(",")).map(String::strip)
                        .filter(c -> !c.isEmpty()).toList());
        return new CatalogJson.Model(model.name(), "model", created(meta), model.namespace() + "/" + model.name(),
                model.enabled(), call.modelUrl(settings, model), meta.get("kind"), details,
                subscriptions.stream().map(s -> new CatalogJson.SubscriptionInfo(s, null, null)).toList(),
                null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The model's {@code created} metadata (epoch seconds), else when this API started. */
    private long created(Map<String, String> metadata) {
        String value = metadata.get("created");
        if (value != null) {
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                // not epoch seconds: fall back
            }
        }
        return defaultCreated;
    }

    private void subscriptions(Call call) throws IOException {
        if (call.caller.canReadAll() && call.apiKey.isEmpty()) {
            call.json(200, engine.catalog().subscriptions().stream().map(s -> subscriptionView(s, true)).toList());
            return;
        }
        call.json(200, usableSubscriptions(call, candidates(call)));
    }

    private void subscriptionsOfModel(Call call) throws IOException {
        String model = call.variable("model");
        // best first for this model, the order admission chooses in
        List<Subscription> covering = engine.catalog().subscriptionsCovering(model);
        List<String> mine = candidates(call).stream().map(Subscription::name).toList();
        call.json(200, usableSubscriptions(call, covering.stream().filter(s -> mine.contains(s.name())).toList())
                .stream().filter(s -> s.modelRefsInfo().stream().anyMatch(r -> r.name().equals(model))).toList());
    }

    /**
     * {@code subscriptions} as Open Data Hub shows them to a user: each with only the models the
     * caller may use through it (the engine's rule, {@link #usable}), and none that leaves no model.
     */
    private List<CatalogJson.Subscription> usableSubscriptions(Call call, List<Subscription> subscriptions) {
        List<ModelAccess> usable = usable(call);
        List<CatalogJson.Subscription> result = new ArrayList<>();
        for (Subscription s : subscriptions) {
            CatalogJson.Subscription view = subscriptionView(s, false, m -> usable.stream().anyMatch(a ->
                    a.model().name().equals(m.name()) && a.model().namespace().equals(m.namespace())
                            && a.subscriptions().contains(s.name())));
            if (!view.modelRefsInfo().isEmpty()) {
                result.add(view);
            }
        }
        return result;
    }

    /** A subscription as Open Data Hub lists it, plus the administrators' properties when {@code admin}. */
    private CatalogJson.Subscription subscriptionView(Subscription s, boolean admin) {
        return subscriptionView(s, admin, m -> true);
    }

    /** As above, with only the models {@code shown} in Open Data Hub's {@code model_refs}. */
    private CatalogJson.Subscription subscriptionView(Subscription s, boolean admin,
                                                      Predicate<SubscriptionModel> shown) {
        CatalogService catalog = engine.catalog();
        List<CatalogJson.ModelRefInfo> refs = new ArrayList<>();
        for (SubscriptionModel m : s.modelRefs()) {
            if (!shown.test(m)) {
                continue;
            }
            Optional<ModelRef> model = catalog.findModel(m.name()).filter(r -> r.namespace().equals(m.namespace()));
            refs.add(new CatalogJson.ModelRefInfo(m.name(), model.map(ModelRef::displayName).orElse(null),
                    model.map(r -> r.metadata().get("description")).orElse(null),
                    model.map(r -> r.metadata().getOrDefault("source",
                            r.upstreamCredential().isPresent() ? "external" : "internal")).orElse(null),
                    windowsView(m.tokenRateLimits()),
                    m.billingRatePerToken().map(r -> new CatalogJson.BillingRateInfo(r.toPlainString())).orElse(null)));
        }
        TokenMetadata t = s.tokenMetadata();
        Map<String, String> labels = t.labels().isEmpty() ? null : new TreeMap<>(t.labels());
        if (!admin) {
            return new CatalogJson.Subscription(s.name(), NO_DESCRIPTION, null, s.priority(), refs,
                    blankToNull(t.organizationId()), blankToNull(t.costCenter()), labels, null, null, null, null, null,
                    null);
        }
        return new CatalogJson.Subscription(s.name(), NO_DESCRIPTION, null, s.priority(), refs, blankToNull(t.organizationId()),
                blankToNull(t.costCenter()), labels, s.name(), s.namespace(), subjectsView(s.owner()),
                s.modelRefs().stream().map(m -> new CatalogJson.SubscriptionModel(m.name(), m.namespace(),
                        windowsView(m.tokenRateLimits()),
                        m.requestRateLimits().isEmpty() ? null : windowsView(m.requestRateLimits()),
                        m.billingRatePerToken().map(CatalogJson.BillingRate::new).orElse(null))).toList(),
                t.equals(TokenMetadata.NONE) ? null : new CatalogJson.TokenMetadata(blankToNull(t.organizationId()),
                        blankToNull(t.costCenter()), labels),
                s.budget().map(b -> new CatalogJson.BudgetJson(b.amount(), b.period().name().toLowerCase(Locale.ROOT)))
                        .orElse(null));
    }

    private static List<CatalogJson.Window> windowsView(List<RateLimit> limits) {
        return limits.stream().map(l -> new CatalogJson.Window(l.limit(), l.windowText())).toList();
    }

    private static CatalogJson.Subjects subjectsView(SubjectSet subjects) {
        return new CatalogJson.Subjects(subjects.groups().stream().sorted().map(CatalogJson.GroupRef::new).toList(),
                subjects.users().stream().sorted().toList());
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    // ------------------------------------------------------------------ create, read, update, delete

    /** One kind of catalog entry: how to read, write, find and show it. */
    private record Kind<I, D>(String name, String path, Class<I> input, Function<I, String> nameOf,
                              BiFunction<I, Optional<D>, D> toDomain, BiFunction<Call, D, Object> view,
                              BiFunction<CatalogService, String, Optional<D>> find, BiConsumer<CatalogService, D> put,
                              BiFunction<CatalogService, String, Boolean> remove) {
    }

    private <I, D> void crud(Router router, Kind<I, D> kind) {
        router.add("POST", kind.path, call -> write(call, kind, null))
                .add("GET", kind.path + "/{name}", call -> {
                    Access.requireReadAll(call.caller, "reading a " + kind.name);
                    String name = call.variable("name");
                    D found = kind.find.apply(engine.catalog(), name).orElseThrow(() -> notFound(kind, name));
                    call.json(200, kind.view.apply(call, found));
                })
                .add("PUT", kind.path + "/{name}", call -> write(call, kind, call.variable("name")))
                .add("DELETE", kind.path + "/{name}", call -> delete(call, kind));
    }

    private <I, D> void write(Call call, Kind<I, D> kind, String pathName) throws IOException {
        String action = kind.name + (pathName == null ? ".create" : ".update");
        String resource = kind.name + "/" + (pathName == null ? "" : pathName);
        Map<String, String> details = new LinkedHashMap<>();
        byte[] body = null;
        try {
            body = call.body();
            Access.requireAdmin(call.caller, (pathName == null ? "creating" : "updating") + " a " + kind.name);
            writable();
            I input = Json.read(body, kind.input);
            String bodyName = kind.nameOf.apply(input);
            if (pathName != null && bodyName != null && !bodyName.equals(pathName)) {
                throw ApiException.conflict("name_mismatch", "name '" + bodyName + "' differs from the path ('"
                        + pathName + "'): a " + kind.name + " cannot be renamed");
            }
            String name = CatalogInputs.checkName(pathName != null ? pathName : bodyName, "name");
            resource = kind.name + "/" + name;
            CatalogService catalog = engine.catalog();
            Optional<D> existing = kind.find.apply(catalog, name);
            if (pathName == null && existing.isPresent()) {
                throw ApiException.conflict("already_exists", "a " + kind.name + " named '" + name
                        + "' already exists: use PUT " + kind.path + "/" + name + " to replace it");
            }
            if (pathName != null && existing.isEmpty()) {
                throw notFound(kind, name);
            }
            D value = kind.toDomain.apply(withName(input, name), existing);
            try {
                kind.put.accept(catalog, value);
            } catch (UnsupportedOperationException e) {
                throw readOnly();
            }
            audit.record(call, action, resource, Audit.SUCCESS, details);
            call.json(pathName == null ? 201 : 200, kind.view.apply(call, value));
        } catch (ApiException e) {
            if (pathName == null && resource.endsWith("/") && body != null) {
                // refused before the body was read as a model: name the attempt in the audit if the body says
                resource += peekName(body);
            }
            audit.record(call, action, resource, Audit.outcomeOf(e), Audit.withReason(details, e));
            throw e;
        }
    }

    /** The body's {@code name}, if it is JSON with one, for the audit trail; never fails. */
    private static String peekName(byte[] body) {
        try {
            var name = Json.mapper().readTree(body).path("name");
            return name.isTextual() && name.asText().length() <= 63 ? name.asText() : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private <I, D> void delete(Call call, Kind<I, D> kind) {
        String name = call.variable("name");
        String resource = kind.name + "/" + name;
        try {
            Access.requireAdmin(call.caller, "deleting a " + kind.name);
            writable();
            boolean removed;
            try {
                removed = kind.remove.apply(engine.catalog(), name);
            } catch (UnsupportedOperationException e) {
                throw readOnly();
            }
            if (!removed) {
                throw notFound(kind, name);
            }
            audit.record(call, kind.name + ".delete", resource, Audit.SUCCESS, Map.of());
            call.response.setStatus(204);
        } catch (ApiException e) {
            audit.record(call, kind.name + ".delete", resource, Audit.outcomeOf(e),
                    Audit.withReason(Map.of(), e));
            throw e;
        }
    }

    private void writable() {
        if (engine.catalog().readOnly()) {
            throw readOnly();
        }
    }

    private static ApiException readOnly() {
        return ApiException.conflict("catalog_read_only", "the catalog is read-only in this deployment (it is managed"
                + " elsewhere, e.g. as Kubernetes resources or in the gateway's configuration file): change it there");
    }

    private static ApiException notFound(Kind<?, ?> kind, String name) {
        return ApiException.notFound(kind.name + "_not_found", "no " + kind.name + " named '" + name + "'");
    }

    /** The input with the name from the path, which the converters read. */
    @SuppressWarnings("unchecked")
    private static <I> I withName(I input, String name) {
        if (input instanceof CatalogJson.ModelInput m) {
            return (I) new CatalogJson.ModelInput(name, m.namespace(), m.displayName(), m.endpoints(), m.enabled(),
                    m.price(), m.upstreamCredential(), m.upstreamModel(), m.maxResponseDuration(),
                    m.maxResponseBytes(), m.metadata());
        }
        if (input instanceof CatalogJson.SubscriptionInput s) {
            return (I) new CatalogJson.SubscriptionInput(name, s.namespace(), s.priority(), s.owner(), s.modelRefs(),
                    s.tokenMetadata(), s.budget());
        }
        CatalogJson.Policy p = (CatalogJson.Policy) input;
        return (I) new CatalogJson.Policy(name, p.namespace(), p.subjects(), p.modelRefs(), p.meteringMetadata());
    }

    /** Whether the catalog holds {@code reference}'s model (a subscription or policy may name only those). */
    private boolean exists(ModelReference reference) {
        return engine.catalog().findModel(reference.name())
                .map(m -> m.namespace().equals(reference.namespace())).orElse(false);
    }

    static CatalogJson.Policy policyView(AuthPolicy p) {
        return new CatalogJson.Policy(p.name(), p.namespace(), subjectsView(p.subjects()),
                p.modelRefs().stream().map(r -> new CatalogJson.ModelRefJson(r.name(), r.namespace())).toList(),
                p.meteringMetadata().isEmpty() ? null : new TreeMap<>(p.meteringMetadata()));
    }
}
