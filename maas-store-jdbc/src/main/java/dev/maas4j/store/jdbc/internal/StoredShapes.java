package dev.maas4j.store.jdbc.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.maas4j.api.AssetKind;
import dev.maas4j.api.AssetRef;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.ModelReference;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Secret;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.api.TokenMetadata;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The shapes of the JSON documents in the {@code *_json} columns, bound by Jackson databind. Each
 * record converts from and to its API value ({@code of}, {@code toApi}); the JSON is the one the
 * store has always written, so rows of earlier versions read unchanged ({@code
 * StoredJsonCompatibilityTest} holds such rows). Decimals are strings, so that they come back
 * exact; windows are ISO-8601 durations; sets and maps are written sorted, so that equal values
 * give equal text. Absent optional values are left out. Immutable.
 */
final class StoredShapes {
    private StoredShapes() {
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }

    private static Set<String> orEmpty(Set<String> set) {
        return set == null ? Set.of() : set;
    }

    static SortedMap<String, String> sorted(Map<String, String> map) {
        return new TreeMap<>(map);
    }

    static SortedSet<String> sorted(Collection<String> values) {
        return new TreeSet<>(values);
    }

    /** A model; the upstream credential is kept as given (protect the table as a secret store). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Model(String name, String namespace, String displayName, List<String> endpoints, boolean enabled,
                 Price price, String upstreamCredential, SortedMap<String, String> metadata) {
        static Model of(ModelRef model) {
            return new Model(model.name(), model.namespace(), model.displayName(),
                    model.endpoints().stream().map(URI::toString).toList(), model.enabled(),
                    model.price().map(Price::of).orElse(null),
                    model.upstreamCredential().map(Secret::reveal).orElse(null), sorted(model.metadata()));
        }

        ModelRef toApi() {
            return new ModelRef(name, namespace, displayName, orEmpty(endpoints).stream().map(URI::create).toList(),
                    enabled, Optional.ofNullable(price).map(Price::toApi),
                    Optional.ofNullable(upstreamCredential).map(Secret::of), orEmpty(metadata));
        }
    }

    record Price(String promptPerMillion, String completionPerMillion, String currency) {
        static Price of(ModelPrice price) {
            return new Price(price.promptPerMillion().toPlainString(), price.completionPerMillion().toPlainString(),
                    price.currency());
        }

        ModelPrice toApi() {
            return new ModelPrice(new BigDecimal(promptPerMillion), new BigDecimal(completionPerMillion), currency);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Subscription(String name, String namespace, int priority, Subjects owner, List<ModelQuota> modelRefs,
                        StoredBudget budget, Metadata tokenMetadata) {
        static Subscription of(dev.maas4j.api.Subscription s) {
            return new Subscription(s.name(), s.namespace(), s.priority(), Subjects.of(s.owner()),
                    s.modelRefs().stream().map(ModelQuota::of).toList(), s.budget().map(StoredBudget::of).orElse(null),
                    Metadata.of(s.tokenMetadata()));
        }

        dev.maas4j.api.Subscription toApi() {
            return new dev.maas4j.api.Subscription(name, namespace, priority, Subjects.toApi(owner),
                    orEmpty(modelRefs).stream().map(ModelQuota::toApi).toList(), StoredBudget.toApi(budget),
                    Metadata.toApi(tokenMetadata));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ModelQuota(String name, String namespace, List<Window> tokenRateLimits, List<Window> requestRateLimits,
                      String billingRatePerToken) {
        static ModelQuota of(SubscriptionModel m) {
            return new ModelQuota(m.name(), m.namespace(), Window.of(m.tokenRateLimits()),
                    Window.of(m.requestRateLimits()), m.billingRatePerToken().map(BigDecimal::toPlainString).orElse(null));
        }

        SubscriptionModel toApi() {
            return new SubscriptionModel(name, namespace, Window.toApi(tokenRateLimits), Window.toApi(requestRateLimits),
                    Optional.ofNullable(billingRatePerToken).map(BigDecimal::new));
        }
    }

    record Window(long limit, String window) {
        static List<Window> of(List<RateLimit> limits) {
            return limits.stream().map(l -> new Window(l.limit(), l.window().toString())).toList();
        }

        static List<RateLimit> toApi(List<Window> windows) {
            return orEmpty(windows).stream().map(w -> new RateLimit(w.limit, Duration.parse(w.window))).toList();
        }
    }

    record Policy(String name, String namespace, Subjects subjects, List<Reference> modelRefs,
                  SortedMap<String, String> meteringMetadata) {
        static Policy of(AuthPolicy p) {
            return new Policy(p.name(), p.namespace(), Subjects.of(p.subjects()),
                    p.modelRefs().stream().map(r -> new Reference(r.name(), r.namespace())).toList(),
                    sorted(p.meteringMetadata()));
        }

        AuthPolicy toApi() {
            return new AuthPolicy(name, namespace, Subjects.toApi(subjects),
                    orEmpty(modelRefs).stream().map(r -> new ModelReference(r.name, r.namespace)).toList(),
                    orEmpty(meteringMetadata));
        }
    }

    record Reference(String name, String namespace) {
    }

    record Subjects(SortedSet<String> groups, SortedSet<String> users) {
        static Subjects of(SubjectSet set) {
            return new Subjects(sorted(set.groups()), sorted(set.users()));
        }

        static SubjectSet toApi(Subjects subjects) {
            return subjects == null ? SubjectSet.NONE
                    : new SubjectSet(orEmpty(subjects.groups), orEmpty(subjects.users));
        }
    }

    record StoredBudget(String amount, String period) {
        static StoredBudget of(Budget budget) {
            return new StoredBudget(budget.amount().toPlainString(), budget.period().name());
        }

        static Optional<Budget> toApi(StoredBudget budget) {
            return budget == null ? Optional.empty()
                    : Optional.of(new Budget(new BigDecimal(budget.amount), BudgetPeriod.valueOf(budget.period)));
        }
    }

    record Metadata(String organizationId, String costCenter, SortedMap<String, String> labels) {
        static Metadata of(TokenMetadata metadata) {
            return new Metadata(metadata.organizationId(), metadata.costCenter(), sorted(metadata.labels()));
        }

        static TokenMetadata toApi(Metadata metadata) {
            return metadata == null ? TokenMetadata.NONE
                    : new TokenMetadata(Objects.requireNonNullElse(metadata.organizationId, ""),
                    Objects.requireNonNullElse(metadata.costCenter, ""), orEmpty(metadata.labels));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Limits(Long requestsPerMinute, Long tokensPerMinute, Integer maxParallelRequests, StoredBudget budget) {
        static Limits of(KeyLimits limits) {
            return new Limits(boxed(limits.requestsPerMinute()), boxed(limits.tokensPerMinute()),
                    limits.maxParallelRequests().isPresent() ? limits.maxParallelRequests().getAsInt() : null,
                    limits.budget().map(StoredBudget::of).orElse(null));
        }

        KeyLimits toApi() {
            return new KeyLimits(unboxed(requestsPerMinute), unboxed(tokensPerMinute),
                    maxParallelRequests == null ? OptionalInt.empty() : OptionalInt.of(maxParallelRequests),
                    StoredBudget.toApi(budget));
        }

        private static Long boxed(OptionalLong value) {
            return value.isPresent() ? value.getAsLong() : null;
        }

        private static OptionalLong unboxed(Long value) {
            return value == null ? OptionalLong.empty() : OptionalLong.of(value);
        }
    }

    record Asset(String kind, String name) {
        static final Comparator<Asset> ORDER = Comparator.comparing(a -> a.kind + "/" + a.name);

        static Asset of(AssetRef asset) {
            return new Asset(asset.kind().name(), asset.name());
        }

        AssetRef toApi() {
            return new AssetRef(AssetKind.valueOf(kind), name);
        }
    }
}
