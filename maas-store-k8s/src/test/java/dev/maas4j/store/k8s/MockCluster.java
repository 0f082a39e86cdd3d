package dev.maas4j.store.k8s;

import dev.maas4j.testing.TestData;
import dev.maas4j.store.k8s.internal.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A fabric8 mock API server in CRUD mode on loopback, with the module's CRDs installed (which also
 * proves the shipped CRD files load), and helpers to apply the YAML of test resources.
 */
final class MockCluster implements AutoCloseable {
    /** The six sample resources of Open Data Hub, as shipped in test resources. */
    static final List<String> SAMPLES = List.of("free-maas-model.yaml", "free-maas-subscription.yaml",
            "free-maas-auth-policy.yaml", "premium-maas-model.yaml", "premium-maas-subscription.yaml",
            "premium-maas-auth-policy.yaml");
    static final String MODELS_NS = "llm";
    static final String GOVERNANCE_NS = "models-as-a-service";
    static final String FREE_MODEL = "facebook-opt-125m-simulated";
    static final String PREMIUM_MODEL = "premium-simulated-simulated-premium";

    final KubernetesMockServer server;
    final KubernetesClient client;
    private final List<AutoCloseable> closeAfterServer = new java.util.ArrayList<>();

    MockCluster() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        for (String crd : List.of("maasmodelrefs", "maassubscriptions", "maasauthpolicies")) {
            try (InputStream in = resource("crds/maas.opendatahub.io_" + crd + ".yaml")) {
                client.apiextensions().v1().customResourceDefinitions().load(in).create();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Applies the six samples. */
    MockCluster withSamples() {
        SAMPLES.forEach(s -> applyFile("samples/" + s));
        return this;
    }

    /** Creates the resource in a test-resources file. */
    GenericKubernetesResource applyFile(String path) {
        try (InputStream in = resource(path)) {
            return apply(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the resource in {@code yaml}. */
    GenericKubernetesResource apply(String yaml) {
        GenericKubernetesResource r = client.getKubernetesSerialization().unmarshal(yaml,
                GenericKubernetesResource.class);
        ResourceKind kind = Arrays.stream(ResourceKind.values()).filter(k -> k.kindName().equals(r.getKind()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("not a MaaS kind: " + r.getKind()));
        return client.genericKubernetesResources(kind.context()).inNamespace(r.getMetadata().getNamespace())
                .resource(r).create();
    }

    GenericKubernetesResource get(ResourceKind kind, String namespace, String name) {
        return client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name).get();
    }

    /** Replaces a resource with an edited copy, as {@code kubectl edit} does. */
    GenericKubernetesResource edit(ResourceKind kind, String namespace, String name,
                                   UnaryOperator<GenericKubernetesResource> change) {
        return client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name).edit(change);
    }

    /**
     * Replaces the spec with the one in {@code yaml}, as {@code kubectl apply} of an edited file does
     * (a merge patch would do for maps, but the mock server merges lists where Kubernetes replaces them).
     */
    void replaceSpec(ResourceKind kind, String namespace, String name, String yaml) {
        Object spec = client.getKubernetesSerialization().unmarshal(yaml, Map.class);
        edit(kind, namespace, name, r -> {
            r.setAdditionalProperty("spec", spec);
            return r;
        });
    }

    /** A JSON merge patch of the metadata or spec maps, as {@code kubectl patch --type merge} does. */
    void patch(ResourceKind kind, String namespace, String name, String json) {
        client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }


    /** A JSON merge patch of the status subresource, as a controller writes it. */
    void patchStatus(ResourceKind kind, String namespace, String name, String json) {
        client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name)
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), json);
    }

    void delete(ResourceKind kind, String namespace, String name) {
        client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name).delete();
    }

    void secret(String namespace, String name, Map<String, String> stringData) {
        Map<String, String> data = new HashMap<>();
        stringData.forEach((k, v) -> data.put(k, java.util.Base64.getEncoder()
                .encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).endMetadata().withData(data).build()).create();
    }

    /** A builder for a store over this cluster watching the samples' namespaces. */
    KubernetesCatalogStore.Builder storeBuilder() {
        return KubernetesCatalogStore.builder(client).namespaces(MODELS_NS, GOVERNANCE_NS)
                .startTimeout(Duration.ofSeconds(10));
    }

    /** A started store with default settings, closed with the cluster. */
    KubernetesCatalogStore store() {
        return closeWithCluster(storeBuilder().build());
    }

    /** A started store with these settings, closed with the cluster. */
    KubernetesCatalogStore store(UnaryOperator<KubernetesCatalogStore.Builder> settings) {
        return closeWithCluster(settings.apply(storeBuilder()).build());
    }

    /**
     * Closes {@code closeable} after the server stops. The mock server blocks its event loop for up to
     * a minute when a client closes a watch (WatchEventsListener.onClosed awaits its executor there),
     * so stores are closed only once the server is gone.
     */
    <T extends AutoCloseable> T closeWithCluster(T closeable) {
        closeAfterServer.add(closeable);
        return closeable;
    }

    static InputStream resource(String path) {
        InputStream in = MockCluster.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalArgumentException("no test resource " + path);
        }
        return in;
    }

    /** Waits until {@code condition} holds (the informers apply a change on their own thread), at most {@code within}. */
    static void await(String what, Duration within, BooleanSupplier condition) {
        TestData.eventually(what).atMost(within).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }

    @Override
    public void close() {
        server.destroy();
        for (AutoCloseable closeable : closeAfterServer) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        client.close();
    }
}
