package dev.maas4j.store.k8s.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.api.TokenMetadata;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Mapping and validation of single resources, without a server. */
class ResourceMapperTest {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final String CREDENTIAL = "sk-upstream-do-not-log-1234";

    /** Knows one Secret, llm/openai with key api-key; any other read fails as the API server would. */
    private static final SecretSource SECRETS = (ns, name, key) -> {
        if (name.equals("unreachable")) {
            throw new SecretSource.Problem(Reasons.SECRET_UNAVAILABLE, "secret " + ns + "/" + name
                    + " could not be read", true);
        }
        if (!ns.equals("llm") || !name.equals("openai")) {
            throw new SecretSource.Problem(Reasons.SECRET_NOT_FOUND, "secret " + ns + "/" + name + " does not exist",
                    false);
        }
        if (!key.equals("api-key")) {
            throw new SecretSource.Problem(Reasons.SECRET_KEY_NOT_FOUND, "secret " + ns + "/" + name
                    + " has no non-empty key '" + key + "'", false);
        }
        return CREDENTIAL;
    };

    private final ResourceMapper mapper = new ResourceMapper(SECRETS, false);

    private static GenericKubernetesResource yaml(String text) {
        return YAML.unmarshal(text, GenericKubernetesResource.class);
    }

    @SuppressWarnings("unchecked")
    private static <T> T accepted(Outcome<T> outcome) {
        return ((Outcome.Accepted<T>) assertInstanceOf(Outcome.Accepted.class, outcome, outcome::toString)).value();
    }

    private static Outcome.Rejected<?> rejected(Outcome<?> outcome) {
        return assertInstanceOf(Outcome.Rejected.class, outcome, outcome::toString);
    }

    private static String model(String annotations, String spec, String status) {
        return """
                apiVersion: maas.opendatahub.io/v1alpha1
                kind: MaaSModelRef
                metadata:
                  name: gpt-4o-mini
                  namespace: llm
                  annotations: {%s}
                spec: %s
                status: %s
                """.formatted(annotations, spec, status);
    }

    private ModelRef mapModel(String annotations, String spec, String status) throws ResourceMapper.Retry {
        return accepted(mapper.model(yaml(model(annotations, spec, status))));
    }

    // -------------------------------------------------------------------------------- models

    @Test
    void sampleModelMapsWithDisplayNameDescriptionAndNoEndpoint() throws Exception {
        ModelRef model = mapModel("openshift.io/display-name: Granite, openshift.io/description: A model",
                "{modelRef: {kind: LLMInferenceService, name: granite}}", "null");
        assertEquals("gpt-4o-mini", model.name());
        assertEquals("llm", model.namespace());
        assertEquals("Granite", model.displayName());
        assertEquals(List.of(), model.endpoints());
        assertTrue(model.enabled(), "no phase: no controller runs, the model is served");
        assertEquals(Optional.empty(), model.price());
        assertEquals(Map.of("modelRef.kind", "LLMInferenceService", "modelRef.name", "granite",
                "description", "A model"), model.metadata());
    }

    @Test
    void endpointComesFromTheAnnotationThenTheOverrideThenTheStatus() throws Exception {
        String spec = "{modelRef: {kind: LLMInferenceService, name: g}, endpointOverride: 'https://override/v1'}";
        String status = "{phase: Ready, endpoint: 'https://status/v1'}";
        assertEquals(List.of(URI.create("http://vllm-a:8000/v1"), URI.create("http://vllm-b:8000/v1")),
                mapModel("maas4j.dev/endpoints: 'http://vllm-a:8000/v1, http://vllm-b:8000/v1'", spec, status)
                        .endpoints());
        assertEquals(List.of(URI.create("https://override/v1")), mapModel("", spec, status).endpoints());
        assertEquals(List.of(URI.create("https://status/v1")),
                mapModel("", "{modelRef: {kind: LLMInferenceService, name: g}}", status).endpoints());
    }

    @Test
    void onlyTheReadyPhaseEnablesAModelThatHasOne() throws Exception {
        String spec = "{modelRef: {kind: LLMInferenceService, name: g}}";
        assertTrue(mapModel("", spec, "{phase: Ready}").enabled());
        for (String phase : List.of("Pending", "Unhealthy", "Failed", "Invalid")) {
            assertFalse(mapModel("", spec, "{phase: " + phase + "}").enabled(), phase);
        }
        assertFalse(mapModel("maas4j.dev/enabled: 'false'", spec, "{phase: Ready}").enabled());
        ResourceMapper strict = new ResourceMapper(SECRETS, true);
        assertFalse(accepted(strict.model(yaml(model("", spec, "null")))).enabled(),
                "requireReadyPhase: no phase is not ready");
    }

    @Test
    void pricesAndCredentialComeFromAnnotationsAndTheNamedSecret() throws Exception {
        ModelRef model = mapModel("""
                maas4j.dev/price-prompt-per-million: '0.15', maas4j.dev/price-completion-per-million: '0.60',
                maas4j.dev/price-currency: EUR, maas4j.dev/upstream-credential-secret: openai""",
                "{modelRef: {kind: ExternalModel, name: gpt-4o-mini}}", "null");
        assertEquals(new ModelPrice(new BigDecimal("0.15"), new BigDecimal("0.6"), "EUR"), model.price().orElseThrow());
        assertEquals(CREDENTIAL, model.upstreamCredential().orElseThrow().reveal());
        assertFalse(model.toString().contains(CREDENTIAL), "the credential never shows in toString");
    }

    @Test
    void unusableAnnotationsRejectTheModelWithoutRevealingTheCredential() throws Exception {
        String spec = "{modelRef: {kind: ExternalModel, name: g}}";
        Outcome.Rejected<?> half = rejected(mapper.model(yaml(model(
                "maas4j.dev/price-prompt-per-million: '0.15'", spec, "null"))));
        assertEquals(Reasons.INVALID_ANNOTATION, half.reason());
        assertTrue(half.message().contains("set both"), half.message());

        Outcome.Rejected<?> nan = rejected(mapper.model(yaml(model("maas4j.dev/price-prompt-per-million: cheap, "
                + "maas4j.dev/price-completion-per-million: '1'", spec, "null"))));
        assertTrue(nan.message().contains("price-prompt-per-million]: Invalid value: \"cheap\""), nan.message());

        Outcome.Rejected<?> missing = rejected(mapper.model(yaml(model(
                "maas4j.dev/upstream-credential-secret: nope", spec, "null"))));
        assertEquals(Reasons.SECRET_NOT_FOUND, missing.reason());
        Outcome.Rejected<?> wrongKey = rejected(mapper.model(yaml(model(
                "maas4j.dev/upstream-credential-secret: openai, maas4j.dev/upstream-credential-key: token", spec,
                "null"))));
        assertEquals(Reasons.SECRET_KEY_NOT_FOUND, wrongKey.reason());
        assertFalse(wrongKey.message().contains(CREDENTIAL));

        Outcome.Rejected<?> endpoint = rejected(mapper.model(yaml(model("", "{modelRef: {kind: ExternalModel, "
                + "name: g}, endpointOverride: 'not a url'}", "null"))));
        assertEquals(Reasons.INVALID_ENDPOINT, endpoint.reason());
        assertTrue(endpoint.message().startsWith("spec.endpointOverride: Invalid value: \"not a url\""));
    }

    @Test
    void anUnreachableSecretIsRetriedNotRejected() {
        assertThrows(ResourceMapper.Retry.class, () -> mapper.model(yaml(model(
                "maas4j.dev/upstream-credential-secret: unreachable", "{modelRef: {kind: ExternalModel, name: g}}",
                "null"))));
    }

    @Test
    void modelSpecIsValidatedAsTheCrdDoes() throws Exception {
        assertEquals("spec: Required value", rejected(mapper.model(yaml("""
                apiVersion: maas.opendatahub.io/v1alpha1
                kind: MaaSModelRef
                metadata: {name: m, namespace: llm}
                """))).message());
        assertEquals("spec.modelRef: Required value",
                rejected(mapper.model(yaml(model("", "{endpointOverride: 'http://x'}", "null")))).message());
        assertEquals("spec.modelRef.kind: Unsupported value: \"InferenceService\": supported values: "
                        + "\"LLMInferenceService\", \"ExternalModel\"",
                rejected(mapper.model(yaml(model("", "{modelRef: {kind: InferenceService, name: g}}", "null"))))
                        .message());
        assertEquals("spec.modelRef.name: Invalid value: \"\": should be at least 1 chars long",
                rejected(mapper.model(yaml(model("", "{modelRef: {kind: ExternalModel, name: ''}}", "null"))))
                        .message());
        assertTrue(rejected(mapper.model(yaml(model("", "{modelRef: {kind: ExternalModel, name: g}, "
                + "tenantRef: Not_Valid}", "null")))).message().startsWith("spec.tenantRef: Invalid value"));
    }

    // ------------------------------------------------------------------------- subscriptions

    private static String subscription(String spec) {
        return """
                apiVersion: maas.opendatahub.io/v1alpha1
                kind: MaaSSubscription
                metadata: {name: gold, namespace: models-as-a-service}
                spec:
                %s
                """.formatted(spec.indent(2));
    }

    @Test
    void everySubscriptionFieldMaps() {
        Subscription s = accepted(mapper.subscription(yaml(subscription("""
                owner:
                  groups: [{name: data-science}, {name: staff}]
                  users: [alice]
                priority: 7
                modelRefs:
                  - name: granite
                    namespace: llm
                    tokenRateLimits: [{limit: 50000, window: 1h}, {limit: 2000, window: 30s}]
                    billingRate: {perToken: '0.000002'}
                tokenMetadata:
                  organizationId: acme
                  costCenter: cc-42
                  labels: {team: search}
                """))));
        assertEquals("gold", s.name());
        assertEquals("models-as-a-service", s.namespace());
        assertEquals(7, s.priority());
        assertEquals(new SubjectSet(Set.of("data-science", "staff"), Set.of("alice")), s.owner());
        assertEquals(List.of(new SubscriptionModel("granite", "llm",
                List.of(RateLimit.of(50_000, "1h"), RateLimit.of(2_000, "30s")), List.of(),
                Optional.of(new BigDecimal("0.000002")))), s.modelRefs());
        assertEquals(new TokenMetadata("acme", "cc-42", Map.of("team", "search")), s.tokenMetadata());
        assertEquals(Optional.empty(), s.budget());
    }

    @Test
    void priorityDefaultsToZeroAndBudgetComesFromAnnotations() {
        Subscription s = accepted(mapper.subscription(yaml("""
                apiVersion: maas.opendatahub.io/v1alpha1
                kind: MaaSSubscription
                metadata:
                  name: gold
                  namespace: models-as-a-service
                  annotations: {maas4j.dev/budget: '250.00', maas4j.dev/budget-period: week}
                spec:
                  owner: {}
                  modelRefs: [{name: g, namespace: llm, tokenRateLimits: [{limit: 1, window: 9999h}]}]
                """)));
        assertEquals(0, s.priority());
        assertEquals(SubjectSet.NONE, s.owner());
        assertEquals(Optional.of(new Budget(new BigDecimal("250.00"), BudgetPeriod.WEEK)), s.budget());
        assertEquals(TokenMetadata.NONE, s.tokenMetadata());
    }

    @Test
    void everySubscriptionViolationIsReportedWithItsPath() {
        Outcome.Rejected<?> r = rejected(mapper.subscription(yaml(subscription("""
                owner: {groups: [{}]}
                modelRefs:
                  - name: ''
                    namespace: llm
                    tokenRateLimits: [{limit: 1000000001, window: 10000s}, {window: 1m}, {limit: 5, window: 0m}]
                    billingRate: {perToken: free}
                  - name: g
                    namespace: llm
                    tokenRateLimits: []
                """))));
        assertEquals(Reasons.INVALID_SPEC, r.reason());
        for (String expected : List.of(
                "spec.owner.groups[0].name: Required value",
                "spec.modelRefs[0].name: Invalid value: \"\": should be at least 1 chars long",
                "spec.modelRefs[0].tokenRateLimits[0].limit: Invalid value: 1000000001: should be less than or equal "
                        + "to 1000000000",
                "spec.modelRefs[0].tokenRateLimits[0].window: Invalid value: \"10000s\"",
                "spec.modelRefs[0].tokenRateLimits[1].limit: Required value",
                "spec.modelRefs[0].tokenRateLimits[2].window: Invalid value: \"0m\"",
                "spec.modelRefs[0].billingRate.perToken: Invalid value: \"free\"",
                "spec.modelRefs[1].tokenRateLimits: Invalid value: 0: must have at least 1 item")) {
            assertTrue(r.message().contains(expected), "missing '" + expected + "' in: " + r.message());
        }
    }

    @Test
    void subscriptionWithoutOwnerOrWithAnOutOfRangePriorityIsRejected() {
        assertEquals("spec.owner: Required value", rejected(mapper.subscription(yaml(subscription(
                "modelRefs: [{name: g, namespace: llm, tokenRateLimits: [{limit: 1, window: 1m}]}]")))).message());
        assertTrue(rejected(mapper.subscription(yaml(subscription("""
                owner: {}
                priority: 3000000000
                modelRefs: [{name: g, namespace: llm, tokenRateLimits: [{limit: 1, window: 1m}]}]
                """)))).message().startsWith("spec"));
        assertEquals("spec.modelRefs[0].tokenRateLimits[0].limit: Invalid value: must be an integer",
                rejected(mapper.subscription(yaml(subscription("""
                        owner: {}
                        modelRefs: [{name: g, namespace: llm, tokenRateLimits: [{limit: 1.5, window: 1m}]}]
                        """)))).message());
    }

    // ------------------------------------------------------------------------------ policies

    @Test
    void everyPolicyFieldMaps() {
        AuthPolicy p = accepted(mapper.policy(yaml("""
                apiVersion: maas.opendatahub.io/v1alpha1
                kind: MaaSAuthPolicy
                metadata: {name: premium, namespace: models-as-a-service}
                spec:
                  modelRefs: [{name: granite, namespace: llm}, {name: llama, namespace: llm2}]
                  subjects: {groups: [{name: premium-user}], users: [carol]}
                  meteringMetadata:
                    organizationId: acme
                    costCenter: cc-7
                    labels: {tier: premium, costCenter: overridden}
                """)));
        assertEquals(new AuthPolicy("premium", "models-as-a-service",
                new SubjectSet(Set.of("premium-user"), Set.of("carol")),
                List.of(new dev.maas4j.api.ModelReference("granite", "llm"),
                        new dev.maas4j.api.ModelReference("llama", "llm2")),
                Map.of("organizationId", "acme", "costCenter", "cc-7", "tier", "premium")), p);
    }

    @Test
    void policyViolationsAreReported() {
        Outcome.Rejected<?> r = rejected(mapper.policy(yaml("""
                apiVersion: maas.opendatahub.io/v1alpha1
                kind: MaaSAuthPolicy
                metadata: {name: p, namespace: models-as-a-service}
                spec:
                  modelRefs: [{name: granite}]
                  subjects: {users: []}
                """)));
        assertTrue(r.message().contains("spec.modelRefs[0].namespace: Required value"), r.message());
        assertTrue(r.message().contains("spec.subjects: Invalid value: \"object\": at least one group or user"),
                r.message());
        assertEquals("spec.subjects: Required value", rejected(mapper.policy(yaml("""
                apiVersion: maas.opendatahub.io/v1alpha1
                kind: MaaSAuthPolicy
                metadata: {name: p, namespace: models-as-a-service}
                spec:
                  modelRefs: [{name: granite, namespace: llm}]
                """))).message());
    }
}
