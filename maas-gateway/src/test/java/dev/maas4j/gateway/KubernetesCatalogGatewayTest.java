package dev.maas4j.gateway;

import static dev.maas4j.testing.TestData.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import dev.maas4j.api.Subject;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.store.k8s.crd.MaaSAuthPolicy;
import dev.maas4j.store.k8s.crd.MaaSModelRef;
import dev.maas4j.store.k8s.crd.MaaSSubscription;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with {@code kubernetes:} in its configuration takes its catalog from the MaaS custom
 * resources of a (mock) API server reached through a kubeconfig file.
 */
class KubernetesCatalogGatewayTest {
    private static final String MODEL = """
            apiVersion: maas.opendatahub.io/v1alpha1
            kind: MaaSModelRef
            metadata: {name: NAME, namespace: llm}
            spec: {modelRef: {kind: LLMInferenceService, name: NAME}}
            """;
    private static final String POLICY = """
            apiVersion: maas.opendatahub.io/v1alpha1
            kind: MaaSAuthPolicy
            metadata: {name: NAME-access, namespace: models-as-a-service}
            spec:
              modelRefs: [{name: NAME, namespace: llm}]
              subjects: {groups: [{name: GROUP}]}
            """;
    private static final String SUBSCRIPTION = """
            apiVersion: maas.opendatahub.io/v1alpha1
            kind: MaaSSubscription
            metadata: {name: NAME-subscription, namespace: models-as-a-service}
            spec:
              owner: {groups: [{name: GROUP}]}
              modelRefs: [{name: NAME, namespace: llm, tokenRateLimits: [{limit: 1000, window: 1m}]}]
            """;

    @TempDir
    Path dir;
    private KubernetesMockServer server;
    private KubernetesClient client;
    private Gateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startCluster() throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        // the CRDs shipped in maas-store-k8s
        for (String crd : List.of("maasmodelrefs", "maassubscriptions", "maasauthpolicies")) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(
                    "crds/maas.opendatahub.io_" + crd + ".yaml")) {
                client.apiextensions().v1().customResourceDefinitions().load(in).create();
            }
        }
        for (String[] tier : List.of(new String[] {"free-model", "system:authenticated"},
                new String[] {"premium-model", "premium-user"})) {
            apply(MODEL, tier[0], tier[1]);
            apply(POLICY, tier[0], tier[1]);
            apply(SUBSCRIPTION, tier[0], tier[1]);
        }
    }

    @AfterEach
    void stop() {
        // the mock server stalls while clients close their watches: stop it first
        server.destroy();
        if (gateway != null) {
            gateway.close();
        }
        client.close();
    }

    private void apply(String template, String name, String group) {
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal(
                template.replace("NAME", name).replace("GROUP", group), GenericKubernetesResource.class);
        Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type = switch (r.getKind()) {
            case "MaaSModelRef" -> MaaSModelRef.class;
            case "MaaSAuthPolicy" -> MaaSAuthPolicy.class;
            default -> MaaSSubscription.class;
        };
        client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(type))
                .inNamespace(r.getMetadata().getNamespace()).resource(r).create();
    }

    private Path kubeconfig() throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s"}}]
                users: [{name: gateway, user: {token: not-checked}}]
                contexts: [{name: mock, context: {cluster: mock, user: gateway}}]
                current-context: mock
                """.formatted(server.url("/").replaceAll("/$", "")));
        return file;
    }

    private Gateway start(String yaml) throws Exception {
        GatewayConfig config = GatewayConfig.parse(yaml, Map.of("MAAS_STORE", "memory"));
        return Gateway.start(config, new PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    private List<String> models(String key) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUri() + "/v1/models"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        List<String> ids = new ArrayList<>();
        for (JsonNode model : new ObjectMapper().readTree(response.body()).get("data")) {
            ids.add(model.get("id").asText());
        }
        ids.sort(null);
        return ids;
    }

    @Test
    void catalogComesFromTheCustomResourcesThroughTheKubeconfig() throws Exception {
        gateway = start("""
                server: {port: 0}
                kubernetes:
                  namespaces: [llm, models-as-a-service]
                  kubeconfig: %s
                users:
                  alice: [premium-user]
                """.formatted(kubeconfig()));
        String alice = gateway.engine().createKey(KeyRequest.builder(Subject.user("alice"), "t").build())
                .secret().reveal();
        String bob = gateway.engine().createKey(KeyRequest.builder(Subject.user("bob"), "t").build())
                .secret().reveal();

        assertEquals(List.of("free-model", "premium-model"), models(alice));
        assertEquals(List.of("free-model"), models(bob), "no demo model with a Kubernetes catalog");

        client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(MaaSAuthPolicy.class))
                .inNamespace("models-as-a-service").withName("premium-model-access").delete();
        eventually("the deleted policy no longer grants the model").atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(10)).until(() -> !models(alice).contains("premium-model"));
    }

    @Test
    void aCatalogInTheFileAsWellIsRefused() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start("""
                kubernetes: {namespaces: [llm], kubeconfig: %s}
                models: [{name: granite, endpoints: ["http://vllm:8000/v1"]}]
                """.formatted(kubeconfig())));
        assertTrue(e.getMessage().contains("remove models, subscriptions and policies"), e.getMessage());
    }

    @Test
    void namespacesComeFromTheEnvironment() {
        GatewayConfig config = GatewayConfig.parse("", Map.of("MAAS_K8S_NAMESPACES", "llm, models-as-a-service"));
        assertEquals(List.of("llm", "models-as-a-service"), config.kubernetes().orElseThrow().namespaces());
        assertEquals(java.time.Duration.ofMinutes(5), config.kubernetes().orElseThrow().resyncPeriod());
    }
}
