package dev.maas4j.store.k8s.internal;

import static dev.maas4j.store.k8s.internal.SpecValues.annotations;
import static dev.maas4j.store.k8s.internal.SpecValues.decimal;
import static dev.maas4j.store.k8s.internal.SpecValues.stringMap;
import static dev.maas4j.store.k8s.internal.SpecValues.subjects;

import dev.maas4j.api.Budget;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.api.TokenMetadata;
import dev.maas4j.store.k8s.MaasAnnotations;
import dev.maas4j.store.k8s.crd.MaaSSubscriptionSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a {@code MaaSSubscription}: the owner, each model with its token rate limits (the CRD's
 * window pattern and limit range) and billing rate, the token metadata, and the budget that
 * maas4j reads from annotations. Stateless.
 */
final class SubscriptionMapper {
    private static final long MAX_LIMIT = 1_000_000_000L;

    private SubscriptionMapper() {
    }

    static Outcome<Subscription> map(GenericKubernetesResource resource) {
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

    private static BudgetPeriod budgetPeriod(Validator v, String text) {
        try {
            return BudgetPeriod.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            v.error("metadata.annotations[" + MaasAnnotations.BUDGET_PERIOD + "]", "Unsupported value: "
                    + Validator.quote(text) + ": supported values: \"day\", \"week\", \"month\"");
            return null;
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
