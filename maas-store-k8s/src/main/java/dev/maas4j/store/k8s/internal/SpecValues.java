package dev.maas4j.store.k8s.internal;

import dev.maas4j.api.SubjectSet;
import dev.maas4j.store.k8s.crd.GroupReference;
import dev.maas4j.store.k8s.crd.Subjects;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The readings that more than one kind's mapper makes, kept here so that a subject list, a decimal
 * or an annotation reads (and is refused) alike in every kind. Stateless.
 */
final class SpecValues {
    private SpecValues() {
    }

    /** The groups and users of {@code subjects}; a missing or blank entry is left out, a missing one reported. */
    static SubjectSet subjects(Validator v, String path, Subjects subjects) {
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

    /** A non-negative decimal, or {@code null} with the violation recorded. */
    static BigDecimal decimal(Validator v, String path, String text) {
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

    static Map<String, String> annotations(GenericKubernetesResource resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }

    /** A copy without {@code null} keys or values, which the API model refuses. */
    static Map<String, String> stringMap(Map<String, String> map) {
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

    static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank()) {
            map.put(key, value);
        }
    }
}
