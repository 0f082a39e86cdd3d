package dev.maas4j.store.jdbc.internal;

import dev.maas4j.api.AssetKind;
import dev.maas4j.api.AssetRef;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.KeyScope;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.ModelReference;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Secret;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.api.TokenMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON columns stay readable across versions: rows written before the documents were bound by
 * databind (literal below) read to the same values, and values are written to the same JSON.
 */
class StoredJsonCompatibilityTest {
    static final ModelRef FULL_MODEL = new ModelRef("granite", "llm", "Granite 8B",
            List.of(URI.create("http://a:8000/v1"), URI.create("http://b:8000/v1")), false,
            Optional.of(new ModelPrice(new BigDecimal("0.150"), new BigDecimal("0.60"), "EUR")),
            Optional.of(Secret.of("upstream-token")), Map.of("maas4j.dev/max-response-duration", "30s", "a", "b"));
    static final ModelRef MINIMAL_MODEL = new ModelRef("m", "default", "m", List.of(), true, Optional.empty(),
            Optional.empty(), Map.of());
    static final Subscription FULL_SUBSCRIPTION = new Subscription("gold", "llm", 7,
            new SubjectSet(Set.of("team-b", "team-a"), Set.of("alice")),
            List.of(new SubscriptionModel("granite", "llm",
                            List.of(new RateLimit(50_000, Duration.ofHours(1)), new RateLimit(1_000, Duration.ofMinutes(1))),
                            List.of(new RateLimit(10, Duration.ofSeconds(1))), Optional.of(new BigDecimal("0.0010"))),
                    new SubscriptionModel("m", "default", List.of(), List.of(), Optional.empty())),
            Optional.of(new Budget(new BigDecimal("25.00"), BudgetPeriod.MONTH)),
            new TokenMetadata("org-1", "cc-7", Map.of("team", "x", "env", "prod")));
    static final Subscription MINIMAL_SUBSCRIPTION = new Subscription("s", "default", 0, SubjectSet.NONE, List.of(),
            Optional.empty(), TokenMetadata.NONE);
    static final AuthPolicy FULL_POLICY = new AuthPolicy("p", "llm", new SubjectSet(Set.of("g2", "g1"), Set.of("bob")),
            List.of(new ModelReference("granite", "llm"), new ModelReference("m", "default")), Map.of("k", "v"));
    static final AuthPolicy MINIMAL_POLICY = new AuthPolicy("q", "default", SubjectSet.NONE, List.of(), Map.of());
    static final KeyLimits FULL_LIMITS = new KeyLimits(OptionalLong.of(60), OptionalLong.of(100_000), OptionalInt.of(4),
            Optional.of(new Budget(new BigDecimal("12.5"), BudgetPeriod.DAY)));
    static final KeyLimits NO_LIMITS = new KeyLimits(OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty(),
            Optional.empty());
    static final KeyScope SCOPE = new KeyScope(Set.of(new AssetRef(AssetKind.VECTOR_STORE, "docs"),
            new AssetRef(AssetKind.MODEL, "granite")));

    /** Rows as the store wrote them before the documents were bound by databind (2026-12-02, e716136). */
    private static final String MODEL = "{\"name\":\"granite\",\"namespace\":\"llm\",\"displayName\":\"Granite 8B\",\"endpoints\":[\"http://a:8000/v1\",\"http://b:8000/v1\"],\"enabled\":false,\"price\":{\"promptPerMillion\":\"0.15\",\"completionPerMillion\":\"0.6\",\"currency\":\"EUR\"},\"upstreamCredential\":\"upstream-token\",\"metadata\":{\"a\":\"b\",\"maas4j.dev/max-response-duration\":\"30s\"}}";
    private static final String MINMODEL = "{\"name\":\"m\",\"namespace\":\"default\",\"displayName\":\"m\",\"endpoints\":[],\"enabled\":true,\"metadata\":{}}";
    private static final String SUB = "{\"name\":\"gold\",\"namespace\":\"llm\",\"priority\":7,\"owner\":{\"groups\":[\"team-a\",\"team-b\"],\"users\":[\"alice\"]},\"modelRefs\":[{\"name\":\"granite\",\"namespace\":\"llm\",\"tokenRateLimits\":[{\"limit\":50000,\"window\":\"PT1H\"},{\"limit\":1000,\"window\":\"PT1M\"}],\"requestRateLimits\":[{\"limit\":10,\"window\":\"PT1S\"}],\"billingRatePerToken\":\"0.0010\"},{\"name\":\"m\",\"namespace\":\"default\",\"tokenRateLimits\":[],\"requestRateLimits\":[]}],\"budget\":{\"amount\":\"25.00\",\"period\":\"MONTH\"},\"tokenMetadata\":{\"organizationId\":\"org-1\",\"costCenter\":\"cc-7\",\"labels\":{\"env\":\"prod\",\"team\":\"x\"}}}";
    private static final String MINSUB = "{\"name\":\"s\",\"namespace\":\"default\",\"priority\":0,\"owner\":{\"groups\":[],\"users\":[]},\"modelRefs\":[],\"tokenMetadata\":{\"organizationId\":\"\",\"costCenter\":\"\",\"labels\":{}}}";
    private static final String POL = "{\"name\":\"p\",\"namespace\":\"llm\",\"subjects\":{\"groups\":[\"g1\",\"g2\"],\"users\":[\"bob\"]},\"modelRefs\":[{\"name\":\"granite\",\"namespace\":\"llm\"},{\"name\":\"m\",\"namespace\":\"default\"}],\"meteringMetadata\":{\"k\":\"v\"}}";
    private static final String MINPOL = "{\"name\":\"q\",\"namespace\":\"default\",\"subjects\":{\"groups\":[],\"users\":[]},\"modelRefs\":[],\"meteringMetadata\":{}}";
    private static final String LIM = "{\"requestsPerMinute\":60,\"tokensPerMinute\":100000,\"maxParallelRequests\":4,\"budget\":{\"amount\":\"12.5\",\"period\":\"DAY\"}}";
    private static final String NOLIM = "{}";
    private static final String SCOPE_ROW = "[{\"kind\":\"MODEL\",\"name\":\"granite\"},{\"kind\":\"VECTOR_STORE\",\"name\":\"docs\"}]";
    private static final String UNSCOPE = "[]";
    private static final String META = "{\"organizationId\":\"org-1\",\"costCenter\":\"cc-7\",\"labels\":{\"env\":\"prod\",\"team\":\"x\"}}";
    private static final String NOMETA = "{\"organizationId\":\"\",\"costCenter\":\"\",\"labels\":{}}";
    private static final String MAP = "{\"a\":\"1\",\"b\":\"2\"}";
    private static final String SET = "[\"a\",\"b\"]";

    @Test
    void rowsOfEarlierVersionsReadToTheSameValues() {
        assertEquals(FULL_MODEL, Json.model(MODEL));
        assertEquals(MINIMAL_MODEL, Json.model(MINMODEL));
        assertEquals(FULL_SUBSCRIPTION, Json.subscription(SUB));
        assertEquals(MINIMAL_SUBSCRIPTION, Json.subscription(MINSUB));
        assertEquals(FULL_POLICY, Json.policy(POL));
        assertEquals(MINIMAL_POLICY, Json.policy(MINPOL));
        assertEquals(FULL_LIMITS, Json.limits(LIM));
        assertEquals(NO_LIMITS, Json.limits(NOLIM));
        assertEquals(SCOPE, Json.scope(SCOPE_ROW));
        assertEquals(KeyScope.UNRESTRICTED, Json.scope(UNSCOPE));
        assertEquals(FULL_SUBSCRIPTION.tokenMetadata(), Json.tokenMetadata(META));
        assertEquals(TokenMetadata.NONE, Json.tokenMetadata(NOMETA));
        assertEquals(Map.of("a", "1", "b", "2"), Json.map(MAP));
        assertEquals(Set.of("a", "b"), Json.strings(SET));
    }

    @Test
    void valuesAreWrittenAsEarlierVersionsWroteThem() throws Exception {
        assertSameJson(MODEL, Json.model(FULL_MODEL));
        assertSameJson(MINMODEL, Json.model(MINIMAL_MODEL));
        assertSameJson(SUB, Json.subscription(FULL_SUBSCRIPTION));
        assertSameJson(MINSUB, Json.subscription(MINIMAL_SUBSCRIPTION));
        assertSameJson(POL, Json.policy(FULL_POLICY));
        assertSameJson(MINPOL, Json.policy(MINIMAL_POLICY));
        assertSameJson(LIM, Json.limits(FULL_LIMITS));
        assertSameJson(NOLIM, Json.limits(NO_LIMITS));
        assertSameJson(SCOPE_ROW, Json.scope(SCOPE));
        assertSameJson(UNSCOPE, Json.scope(KeyScope.UNRESTRICTED));
        assertSameJson(META, Json.tokenMetadata(FULL_SUBSCRIPTION.tokenMetadata()));
        assertSameJson(NOMETA, Json.tokenMetadata(TokenMetadata.NONE));
        // sorted, so that equal values are equal text (the ledger caches and compares it)
        assertEquals(MAP, Json.map(Map.of("b", "2", "a", "1")));
        assertEquals(SET, Json.strings(Set.of("b", "a")));
    }

    @Test
    void propertiesALaterVersionAddsAreIgnored() {
        String later = MINPOL.substring(0, MINPOL.length() - 1) + ",\"addedLater\":{\"x\":[1,2]}}";
        assertEquals(MINIMAL_POLICY, Json.policy(later));
    }

    @Test
    void anUnreadableRowSaysSoWithoutItsContent() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Json.model("{\"name\": "));
        assertTrue(e.getMessage().startsWith("stored JSON is not readable"), e.getMessage());
    }

    private static void assertSameJson(String expected, String actual) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode want = mapper.readTree(expected);
        JsonNode got = mapper.readTree(actual);
        assertEquals(want, got, () -> "expected " + expected + "\n but was " + actual);
    }
}
