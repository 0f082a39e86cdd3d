package dev.maas4j.store.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.store.k8s.crd.GovernanceStatus;
import dev.maas4j.store.k8s.crd.MaaSAuthPolicySpec;
import dev.maas4j.store.k8s.crd.MaaSModelRefSpec;
import dev.maas4j.store.k8s.crd.MaaSModelRefStatus;
import dev.maas4j.store.k8s.crd.MaaSSubscriptionSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The custom-resource classes have exactly the CRDs' field names, walked recursively through the
 * shipped OpenAPI schemas; and the shipped RBAC grants no more than the store needs.
 */
class ShippedResourcesTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static <T> T load(String path, Class<T> type) throws IOException {
        try (InputStream in = MockCluster.resource(path)) {
            return SERIALIZATION.unmarshal(in, type);
        }
    }

    private static JSONSchemaProps schema(String plural) throws IOException {
        CustomResourceDefinition crd = load("crds/maas.opendatahub.io_" + plural + ".yaml",
                CustomResourceDefinition.class);
        assertEquals("maas.opendatahub.io", crd.getSpec().getGroup());
        assertEquals("v1alpha1", crd.getSpec().getVersions().get(0).getName());
        return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }

    @ParameterizedTest
    @CsvSource({
        "maasmodelrefs, spec, dev.maas4j.store.k8s.crd.MaaSModelRefSpec",
        "maasmodelrefs, status, dev.maas4j.store.k8s.crd.MaaSModelRefStatus",
        "maassubscriptions, spec, dev.maas4j.store.k8s.crd.MaaSSubscriptionSpec",
        "maassubscriptions, status, dev.maas4j.store.k8s.crd.GovernanceStatus",
        "maasauthpolicies, spec, dev.maas4j.store.k8s.crd.MaaSAuthPolicySpec",
        "maasauthpolicies, status, dev.maas4j.store.k8s.crd.GovernanceStatus"})
    void classesHaveExactlyTheCrdFieldNames(String plural, String stanza, Class<?> type) throws IOException {
        JSONSchemaProps props = schema(plural).getProperties().get(stanza);
        compare(plural + "." + stanza, props, type, type == GovernanceStatus.class ? plural : null);
    }

    /**
     * Compares the schema's properties with the record's components, then recurses. The status
     * record is shared by two kinds, so for it each kind's properties must be a subset, and the
     * union of both kinds must be the whole.
     */
    private static void compare(String path, JSONSchemaProps props, Class<?> type, String sharedBy) {
        if (type == Condition.class) {
            return; // fabric8's own metav1.Condition
        }
        assertTrue(type.isRecord(), path + " maps to " + type + ", not a record");
        Set<String> schemaFields = new TreeSet<>(props.getProperties().keySet());
        Map<String, RecordComponent> components = Arrays.stream(type.getRecordComponents())
                .collect(Collectors.toMap(RecordComponent::getName, c -> c));
        if (sharedBy == null) {
            assertEquals(schemaFields, new TreeSet<>(components.keySet()), path);
        } else {
            assertTrue(components.keySet().containsAll(schemaFields), path + ": " + schemaFields);
        }
        for (String field : schemaFields) {
            JSONSchemaProps child = props.getProperties().get(field);
            Type javaType = components.get(field).getGenericType();
            if ("array".equals(child.getType()) && child.getItems().getSchema().getProperties() != null
                    && !child.getItems().getSchema().getProperties().isEmpty()) {
                Type item = ((ParameterizedType) javaType).getActualTypeArguments()[0];
                compare(path + "." + field + "[]", child.getItems().getSchema(), (Class<?>) item, null);
            } else if ("object".equals(child.getType()) && child.getProperties() != null
                    && !child.getProperties().isEmpty()) {
                compare(path + "." + field, child, (Class<?>) javaType, null);
            }
        }
    }

    @Test
    void governanceStatusIsTheUnionOfTheTwoStatuses() throws IOException {
        Set<String> union = new TreeSet<>(schema("maassubscriptions").getProperties().get("status").getProperties()
                .keySet());
        union.addAll(schema("maasauthpolicies").getProperties().get("status").getProperties().keySet());
        assertEquals(union, Arrays.stream(GovernanceStatus.class.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new)));
        // referenced so that the parameterized test's class names stay in sync with refactorings
        assertTrue(List.of(MaaSModelRefSpec.class, MaaSModelRefStatus.class, MaaSSubscriptionSpec.class,
                MaaSAuthPolicySpec.class).stream().allMatch(Class::isRecord));
    }

    @Test
    void readerRoleOnlyGetsListsAndWatchesTheThreeKinds() throws IOException {
        ClusterRole role = load("rbac/catalog-reader-clusterrole.yaml", ClusterRole.class);
        assertEquals(1, role.getRules().size());
        PolicyRule rule = role.getRules().get(0);
        assertEquals(List.of("maas.opendatahub.io"), rule.getApiGroups());
        assertEquals(List.of("maasmodelrefs", "maassubscriptions", "maasauthpolicies"), rule.getResources());
        assertEquals(List.of("get", "list", "watch"), rule.getVerbs());
    }

    @Test
    void statusWriterRoleOnlyPatchesStatusSubresources() throws IOException {
        ClusterRole role = load("rbac/catalog-status-writer-clusterrole.yaml", ClusterRole.class);
        PolicyRule rule = role.getRules().get(0);
        assertEquals(List.of("patch"), rule.getVerbs());
        assertTrue(rule.getResources().stream().allMatch(r -> r.endsWith("/status")), rule.getResources().toString());
    }

    @Test
    void secretsRoleOnlyGetsNamedSecrets() throws IOException {
        try (InputStream in = MockCluster.resource("rbac/upstream-secrets-role.yaml")) {
            String firstDocument = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .split("\n---\n")[0];
            Role role = SERIALIZATION.unmarshal(firstDocument, Role.class);
            PolicyRule rule = role.getRules().get(0);
            assertEquals(List.of("secrets"), rule.getResources());
            assertEquals(List.of("get"), rule.getVerbs());
            assertTrue(!rule.getResourceNames().isEmpty(), "restricted to named Secrets");
        }
    }
}
