package dev.maas4j.store.k8s.internal;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Secret;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.api.TokenMetadata;
import dev.maas4j.store.k8s.MaasAnnotations;
import dev.maas4j.store.k8s.crd.GroupReference;
import dev.maas4j.store.k8s.crd.MaaSAuthPolicySpec;
import dev.maas4j.store.k8s.crd.MaaSModelRefSpec;
import dev.maas4j.store.k8s.crd.MaaSModelRefStatus;
import dev.maas4j.store.k8s.crd.MaaSSubscriptionSpec;
import dev.maas4j.store.k8s.crd.ModelReference;
import dev.maas4j.store.k8s.crd.Subjects;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a custom resource as its CRD does and maps it to the catalog value. Validation covers
 * what the CRDs' OpenAPI schemas and CEL rules say (required fields, lengths, the window pattern,
 * the limit range, the backend kind enum, at least one subject), so a cluster whose API server did
 * not enforce the schema (an older CRD, a test server) gets the same answer; on top of it, the
 * values maas4j must interpret ({@code billingRate.perToken} as a decimal, endpoint URLs, the
 * {@code maas4j.dev/} annotations) must be readable.
 *
 * <p>Thread-safe if its {@link SecretSource} is.
 */
public final class ResourceMapper {
    private static final Pattern TENANT_REF = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final List<String> BACKEND_KINDS =
            List.of(MaaSModelRefSpec.LLM_INFERENCE_SERVICE, MaaSModelRefSpec.EXTERNAL_MODEL);
    private static final long MAX_LIMIT = 1_000_000_000L;

    private final SecretSource secrets;
    private final boolean requireReadyPhase;

    /**
     * A mapper.
     *
     * @param secrets           where upstream credentials are read
     * @param requireReadyPhase whether a model needs {@code status.phase: Ready} to be enabled, rather
     *                          than only no phase that says otherwise
     */
    public ResourceMapper(SecretSource secrets, boolean requireReadyPhase) {
        this.secrets = secrets;
        this.requireReadyPhase = requireReadyPhase;
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

    // ------------------------------------------------------------------------------ models

    /** A {@code MaaSModelRef}. */
    public Outcome<ModelRef> model(GenericKubernetesResource resource) throws Retry {
        MaaSModelRefSpec spec;
        MaaSModelRefStatus status;
        try {
            spec = SpecReader.read(resource, "spec", MaaSModelRefSpec.class);
            status = SpecReader.read(resource, "status", MaaSModelRefStatus.class);
        } catch (SpecReader.Malformed e) {
            return Outcome.rejected(Reasons.INVALID_SPEC, e.getMessage());
        }
        Validator v = new Validator();
        if (v.required("spec", spec) && v.required("spec.modelRef", spec.modelRef())) {
            v.required("spec.modelRef.kind", spec.modelRef().kind());
            v.oneOf("spec.modelRef.kind", spec.modelRef().kind(), BACKEND_KINDS);
            v.length("spec.modelRef.name", spec.modelRef().name(), 1, 253);
            if (spec.tenantRef() != null) {
                v.length("spec.tenantRef", spec.tenantRef(), 0, 253);
                v.pattern("spec.tenantRef", spec.tenantRef(), TENANT_REF, "");
            }
        }
        if (!v.ok()) {
            return Outcome.rejected(Reasons.INVALID_SPEC, v.message());
        }

        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        Map<String, String> annotations = annotations(resource);
        ModelRef.Builder model = ModelRef.builder(name).namespace(namespace);
        String displayName = annotations.get(MaasAnnotations.DISPLAY_NAME);
        if (displayName != null && !displayName.isBlank()) {
            model.displayName(displayName);
        }

        // the endpoint: maas4j's own annotation, then the override, then what the controller found
        String endpointText;
        String endpointField;
        if (annotations.containsKey(MaasAnnotations.ENDPOINTS)) {
            endpointText = annotations.get(MaasAnnotations.ENDPOINTS);
            endpointField = "metadata.annotations[" + MaasAnnotations.ENDPOINTS + "]";
        } else if (spec.endpointOverride() != null && !spec.endpointOverride().isBlank()) {
            endpointText = spec.endpointOverride();
            endpointField = "spec.endpointOverride";
        } else if (status != null && status.endpoint() != null && !status.endpoint().isBlank()) {
            endpointText = status.endpoint();
            endpointField = "status.endpoint";
        } else {
            endpointText = "";
            endpointField = "";
        }
        for (String part : endpointText.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Optional<URI> uri = httpUri(part.strip());
            if (uri.isEmpty()) {
                return Outcome.rejected(Reasons.INVALID_ENDPOINT, endpointField + ": Invalid value: "
                        + Validator.quote(part.strip()) + ": must be an absolute http or https URL");
            }
            model.endpoint(uri.get());
        }

        Validator a = new Validator();
        String phase = status == null ? null : status.phase();
        boolean phaseAllows = phase == null ? !requireReadyPhase : MaaSModelRefStatus.READY.equals(phase);
        boolean annotationAllows = bool(a, annotations, MaasAnnotations.ENABLED, true);
        model.enabled(phaseAllows && annotationAllows);
        price(a, annotations).ifPresent(model::price);
        if (!a.ok()) {
            return Outcome.rejected(Reasons.INVALID_ANNOTATION, a.message());
        }

        String secretName = annotations.get(MaasAnnotations.UPSTREAM_CREDENTIAL_SECRET);
        if (secretName != null && !secretName.isBlank()) {
            String key = annotations.getOrDefault(MaasAnnotations.UPSTREAM_CREDENTIAL_KEY,
                    MaasAnnotations.DEFAULT_CREDENTIAL_KEY);
            try {
                model.upstreamCredential(Secret.of(secrets.read(namespace, secretName.strip(), key)));
            } catch (SecretSource.Problem p) {
                if (p.isTransient()) {
                    throw new Retry(p.reason(), p.getMessage());
                }
                return Outcome.rejected(p.reason(), "metadata.annotations[" + MaasAnnotations.UPSTREAM_CREDENTIAL_SECRET
                        + "]: " + p.getMessage());
            }
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("modelRef.kind", spec.modelRef().kind());
        metadata.put("modelRef.name", spec.modelRef().name());
        putIfPresent(metadata, "tenantRef", spec.tenantRef());
        putIfPresent(metadata, "description", annotations.get(MaasAnnotations.DESCRIPTION));
        if (status != null) {
            putIfPresent(metadata, "phase", status.phase());
            putIfPresent(metadata, ModelRef.UPSTREAM_MODEL, status.resolvedModelAlias());
        }
        putIfPresent(metadata, ModelRef.MAX_RESPONSE_DURATION, annotations.get(MaasAnnotations.MAX_RESPONSE_DURATION));
        putIfPresent(metadata, ModelRef.MAX_RESPONSE_BYTES, annotations.get(MaasAnnotations.MAX_RESPONSE_BYTES));
        model.metadata(metadata);
        return Outcome.accepted(model.build());
    }

    private static Optional<ModelPrice> price(Validator a, Map<String, String> annotations) {
        String prompt = annotations.get(MaasAnnotations.PRICE_PROMPT_PER_MILLION);
        String completion = annotations.get(MaasAnnotations.PRICE_COMPLETION_PER_MILLION);
        if (prompt == null && completion == null) {
            return Optional.empty();
        }
        if (prompt == null || completion == null) {
            a.error("metadata.annotations", "set both " + MaasAnnotations.PRICE_PROMPT_PER_MILLION + " and "
                    + MaasAnnotations.PRICE_COMPLETION_PER_MILLION + ", or neither");
            return Optional.empty();
        }
        BigDecimal p = decimal(a, "metadata.annotations[" + MaasAnnotations.PRICE_PROMPT_PER_MILLION + "]", prompt);
        BigDecimal c = decimal(a, "metadata.annotations[" + MaasAnnotations.PRICE_COMPLETION_PER_MILLION + "]",
                completion);
        String currency = annotations.getOrDefault(MaasAnnotations.PRICE_CURRENCY, MaasAnnotations.DEFAULT_CURRENCY);
        if (currency.isBlank()) {
            a.error("metadata.annotations[" + MaasAnnotations.PRICE_CURRENCY + "]", "Required value");
            return Optional.empty();
        }
        return p == null || c == null ? Optional.empty() : Optional.of(new ModelPrice(p, c, currency.strip()));
    }

    // ----------------------------------------------------------------------- subscriptions

    /** A {@code MaaSSubscription}. */
    public Outcome<Subscription> subscription(GenericKubernetesResource resource) {
        MaaSSubscriptionSpec spec;
        try {
            spec = SpecReader.read(resource, "spec", MaaSSubscriptionSpec.class);
        } catch (SpecReader.Malformed e) {
            return Outcome.rejected(Reasons.INVALID_SPEC, e.getMessage());
        }
        Validator v = new Validator();
        List<SubscriptionModel> models = new ArrayList<>();
        SubjectSet owner = SubjectSet.NONE;
        if (v.required("spec", spec)) {
            if (v.required("spec.owner", spec.owner())) {
                owner = subjects(v, "spec.owner", spec.owner());
            }
            if (v.minItems("spec.modelRefs", spec.modelRefs(), 1)) {
                for (int i = 0; i < spec.modelRefs().size(); i++) {
                    SubscriptionModel model = subscriptionModel(v, "spec.modelRefs[" + i + "]",
                            spec.modelRefs().get(i));
                    if (model != null) {
                        models.add(model);
                    }
                }
            }
        }
        if (!v.ok()) {
            return Outcome.rejected(Reasons.INVALID_SPEC, v.message());
        }
        Subscription.Builder subscription = Subscription.builder(resource.getMetadata().getName())
                .namespace(resource.getMetadata().getNamespace())
                .priority(spec.priority() == null ? 0 : spec.priority())
                .owner(owner);
        models.forEach(subscription::model);
        MaaSSubscriptionSpec.TokenMetadata meta = spec.tokenMetadata();
        if (meta != null) {
            subscription.tokenMetadata(new TokenMetadata(nullToEmpty(meta.organizationId()),
                    nullToEmpty(meta.costCenter()), stringMap(meta.labels())));
        }
        Validator a = new Validator();
        Map<String, String> annotations = annotations(resource);
        String budget = annotations.get(MaasAnnotations.BUDGET);
        if (budget != null) {
            String field = "metadata.annotations[" + MaasAnnotations.BUDGET + "]";
            BigDecimal amount = decimal(a, field, budget);
            BudgetPeriod period = budgetPeriod(a, annotations.getOrDefault(MaasAnnotations.BUDGET_PERIOD, "month"));
            if (amount != null && amount.signum() == 0) {
                a.error(field, "Invalid value: " + Validator.quote(budget) + ": must be positive");
            } else if (amount != null && period != null) {
                subscription.budget(new Budget(amount, period));
            }
        }
        if (!a.ok()) {
            return Outcome.rejected(Reasons.INVALID_ANNOTATION, a.message());
        }
        return Outcome.accepted(subscription.build());
    }

    private static SubscriptionModel subscriptionModel(Validator v, String path,
                                                       MaaSSubscriptionSpec.ModelSubscriptionRef ref) {
        if (!v.required(path, ref)) {
            return null;
        }
        boolean ok = v.length(path + ".name", ref.name(), 1, 63);
        ok &= v.length(path + ".namespace", ref.namespace(), 1, 63);
        List<RateLimit> limits = new ArrayList<>();
        if (v.minItems(path + ".tokenRateLimits", ref.tokenRateLimits(), 1)) {
            for (int j = 0; j < ref.tokenRateLimits().size(); j++) {
                String lp = path + ".tokenRateLimits[" + j + "]";
                MaaSSubscriptionSpec.TokenRateLimit limit = ref.tokenRateLimits().get(j);
                if (!v.required(lp, limit)) {
                    ok = false;
                    continue;
                }
                boolean limitOk = v.required(lp + ".limit", limit.limit())
                        && v.range(lp + ".limit", limit.limit(), 1, MAX_LIMIT);
                boolean windowOk = v.required(lp + ".window", limit.window())
                        && v.pattern(lp + ".window", limit.window(), RateLimit.WINDOW_PATTERN,
                        "1 to 9999 seconds, minutes or hours, e.g. 30s, 1m, 24h; days are not supported");
                if (limitOk && windowOk) {
                    limits.add(RateLimit.of(limit.limit(), limit.window()));
                } else {
                    ok = false;
                }
            }
        } else {
            ok = false;
        }
        Optional<BigDecimal> perToken = Optional.empty();
        if (ref.billingRate() != null) {
            String bp = path + ".billingRate.perToken";
            if (v.required(bp, ref.billingRate().perToken())) {
                BigDecimal rate = decimal(v, bp, ref.billingRate().perToken());
                if (rate == null) {
                    ok = false;
                } else {
                    perToken = Optional.of(rate);
                }
            } else {
                ok = false;
            }
        }
        return ok ? new SubscriptionModel(ref.name(), ref.namespace(), limits, List.of(), perToken) : null;
    }

    // ---------------------------------------------------------------------------- policies

    /** A {@code MaaSAuthPolicy}. */
    public Outcome<AuthPolicy> policy(GenericKubernetesResource resource) {
        MaaSAuthPolicySpec spec;
        try {
            spec = SpecReader.read(resource, "spec", MaaSAuthPolicySpec.class);
        } catch (SpecReader.Malformed e) {
            return Outcome.rejected(Reasons.INVALID_SPEC, e.getMessage());
        }
        Validator v = new Validator();
        List<dev.maas4j.api.ModelReference> refs = new ArrayList<>();
        SubjectSet subjects = SubjectSet.NONE;
        if (v.required("spec", spec)) {
            if (v.minItems("spec.modelRefs", spec.modelRefs(), 1)) {
                for (int i = 0; i < spec.modelRefs().size(); i++) {
                    String path = "spec.modelRefs[" + i + "]";
                    ModelReference ref = spec.modelRefs().get(i);
                    if (!v.required(path, ref)) {
                        continue;
                    }
                    // both checked, so that one log line names every bad field
                    boolean nameOk = v.length(path + ".name", ref.name(), 1, 63);
                    boolean namespaceOk = v.length(path + ".namespace", ref.namespace(), 1, 63);
                    if (nameOk && namespaceOk) {
                        refs.add(new dev.maas4j.api.ModelReference(ref.name(), ref.namespace()));
                    }
                }
            }
            if (v.required("spec.subjects", spec.subjects())) {
                subjects = subjects(v, "spec.subjects", spec.subjects());
                // the CRD's CEL rule: size(self.groups) > 0 || size(self.users) > 0
                if (isEmpty(spec.subjects().groups()) && isEmpty(spec.subjects().users())) {
                    v.error("spec.subjects", "Invalid value: \"object\": at least one group or user must be "
                            + "specified in subjects");
                }
            }
        }
        if (!v.ok()) {
            return Outcome.rejected(Reasons.INVALID_SPEC, v.message());
        }
        Map<String, String> metering = new LinkedHashMap<>();
        MaaSAuthPolicySpec.MeteringMetadata meta = spec.meteringMetadata();
        if (meta != null) {
            metering.putAll(stringMap(meta.labels()));
            // the named fields win over a label of the same name
            putIfPresent(metering, "organizationId", meta.organizationId());
            putIfPresent(metering, "costCenter", meta.costCenter());
        }
        return Outcome.accepted(new AuthPolicy(resource.getMetadata().getName(),
                resource.getMetadata().getNamespace(), subjects, refs, metering));
    }

    // ----------------------------------------------------------------------------- helpers

    private static SubjectSet subjects(Validator v, String path, Subjects subjects) {
        Set<String> groups = new LinkedHashSet<>();
        if (subjects.groups() != null) {
            for (int i = 0; i < subjects.groups().size(); i++) {
                GroupReference group = subjects.groups().get(i);
                String gp = path + ".groups[" + i + "]";
                if (v.required(gp, group) && v.required(gp + ".name", group.name()) && !group.name().isBlank()) {
                    groups.add(group.name());
                }
            }
        }
        Set<String> users = new LinkedHashSet<>();
        if (subjects.users() != null) {
            for (int i = 0; i < subjects.users().size(); i++) {
                String user = subjects.users().get(i);
                if (v.required(path + ".users[" + i + "]", user) && !user.isBlank()) {
                    users.add(user);
                }
            }
        }
        return SubjectSet.of(groups, users);
    }

    private static BigDecimal decimal(Validator v, String path, String text) {
        try {
            BigDecimal value = new BigDecimal(text.strip());
            if (value.signum() < 0) {
                v.error(path, "Invalid value: " + Validator.quote(text) + ": must not be negative");
                return null;
            }
            return value;
        } catch (NumberFormatException e) {
            v.error(path, "Invalid value: " + Validator.quote(text) + ": must be a decimal number, e.g. \"0.15\"");
            return null;
        }
    }

    private static boolean bool(Validator v, Map<String, String> annotations, String key, boolean absent) {
        String text = annotations.get(key);
        if (text == null) {
            return absent;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                v.error("metadata.annotations[" + key + "]", "Invalid value: " + Validator.quote(text)
                        + ": must be \"true\" or \"false\"");
                yield absent;
            }
        };
    }

    private static BudgetPeriod budgetPeriod(Validator v, String text) {
        try {
            return BudgetPeriod.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.error("metadata.annotations[" + MaasAnnotations.BUDGET_PERIOD + "]", "Unsupported value: "
                    + Validator.quote(text) + ": supported values: \"day\", \"week\", \"month\"");
            return null;
        }
    }

    private static Optional<URI> httpUri(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            if (uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported by the caller with the field's name
        }
        return Optional.empty();
    }

    private static Map<String, String> annotations(GenericKubernetesResource resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    private static Map<String, String> stringMap(Map<String, String> map) {
        if (map == null) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, val) -> {
            if (k != null && val != null) {
                copy.put(k, val);
            }
        });
        return copy;
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }

    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
