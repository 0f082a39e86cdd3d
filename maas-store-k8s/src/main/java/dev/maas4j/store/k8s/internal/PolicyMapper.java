package dev.maas4j.store.k8s.internal;

import static dev.maas4j.store.k8s.internal.SpecValues.putIfPresent;
import static dev.maas4j.store.k8s.internal.SpecValues.stringMap;
import static dev.maas4j.store.k8s.internal.SpecValues.subjects;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.store.k8s.crd.MaaSAuthPolicySpec;
import dev.maas4j.store.k8s.crd.ModelReference;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a {@code MaaSAuthPolicy}: the models it grants, its subjects (the CRD's CEL rule: at least
 * one group or user) and its metering metadata. Stateless.
 */
final class PolicyMapper {
    private PolicyMapper() {
    }

    static Outcome<AuthPolicy> map(GenericKubernetesResource resource) {
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

    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }
}
