package dev.maas4j.store.k8s.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.store.k8s.crd.GovernanceStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the store made of a resource back to its status: {@code status.phase} ({@code Active}
 * or {@code Failed}) on subscriptions and auth policies, and on every kind a condition of type
 * {@value #CONDITION_TYPE} with the reason and message.
 *
 * <p>A MaaSModelRef's phase is left alone: its enum has no {@code Active}, the Open Data Hub
 * controller owns it, and the store reads it to decide whether the model is enabled.
 *
 * <p>Writes are JSON merge patches of the status subresource carrying the resourceVersion that was
 * judged, so a write never overwrites a newer resource (the API server answers 409 and the newer
 * version is judged and written in turn). Conditions of other types are kept. Nothing is written
 * when the status already says the same, so the update event a write causes does not cause another.
 *
 * <p>Called from the store's single worker thread only; not thread-safe otherwise.
 */
public final class StatusWriter {
    /** The condition type maas4j owns; prefixed so that it never collides with the controller's. */
    public static final String CONDITION_TYPE = "maas4j.dev/Accepted";
    private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 32_768;

    private final KubernetesClient client;
    private final Clock clock;
    /** The last failure logged per resource, so a failing write is logged once, not on every resync. */
    private final Map<String, String> failures = new ConcurrentHashMap<>();

    /** A writer through {@code client}. */
    public StatusWriter(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Writes the outcome of {@code resource} if its status does not already say it. */
    public void write(ResourceKind kind, GenericKubernetesResource resource, Outcome<?> outcome) {
        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        boolean accepted = outcome instanceof Outcome.Accepted;
        String reason = accepted ? Reasons.VALID : ((Outcome.Rejected<?>) outcome).reason();
        String message = accepted ? "Accepted into the maas4j catalog" : ((Outcome.Rejected<?>) outcome).message();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE - 3) + "...";
        }
        String phase = kind == ResourceKind.MODEL ? null : accepted ? GovernanceStatus.ACTIVE : GovernanceStatus.FAILED;
        Long generation = resource.getMetadata().getGeneration();
        String conditionStatus = accepted ? "True" : "False";

        Map<String, Object> status = asMap(resource.getAdditionalProperties().get("status"));
        List<Map<String, Object>> conditions = new ArrayList<>();
        Map<String, Object> ours = null;
        if (status.get("conditions") instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> condition = asMap(item);
                if (CONDITION_TYPE.equals(condition.get("type"))) {
                    ours = condition;
                } else if (!condition.isEmpty()) {
                    conditions.add(condition);
                }
            }
        }
        boolean phaseSame = phase == null || phase.equals(status.get("phase"));
        if (phaseSame && ours != null && conditionStatus.equals(ours.get("status")) && reason.equals(ours.get("reason"))
                && message.equals(ours.get("message")) && sameGeneration(generation, ours.get("observedGeneration"))) {
            return;
        }
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", CONDITION_TYPE);
        condition.put("status", conditionStatus);
        condition.put("reason", reason);
        condition.put("message", message);
        // the transition time moves only when the status flips, as the Kubernetes API conventions ask
        condition.put("lastTransitionTime", ours != null && conditionStatus.equals(ours.get("status"))
                && ours.get("lastTransitionTime") != null
                ? ours.get("lastTransitionTime") : clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        if (generation != null) {
            condition.put("observedGeneration", generation);
        }
        conditions.add(condition);

        Map<String, Object> newStatus = new LinkedHashMap<>();
        if (phase != null) {
            newStatus.put("phase", phase);
        }
        newStatus.put("conditions", conditions);
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("metadata", Map.of("resourceVersion", resource.getMetadata().getResourceVersion()));
        patch.put("status", newStatus);
        String key = kind.kindName() + " " + namespace + "/" + name;
        try {
            client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name)
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(patch));
            failures.remove(key);
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                // a newer version (or the deletion) is on its way to the informer and will be judged in turn
                log.debug("status of {} not written, it changed meanwhile (HTTP {})", key, e.getCode());
                return;
            }
            String failure = "HTTP " + e.getCode();
            if (!failure.equals(failures.put(key, failure))) {
                log.warn("could not write the status of {} (HTTP {}): {}; does the service account have 'patch' on "
                        + "{}/status? (see rbac/ in maas-store-k8s)", key, e.getCode(), e.getMessage(),
                        kind.context().getPlural());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a status patch", e);
        } catch (RuntimeException e) {
            // a status is informational: failing to write one must not stop the others or the catalog
            String failure = e.getClass().getSimpleName();
            if (!failure.equals(failures.put(key, failure))) {
                log.warn("could not write the status of {}: {}", key, e.toString());
            }
        }
    }

    /** Forgets resources that no longer exist. */
    public void retain(java.util.Set<String> keys) {
        failures.keySet().retainAll(keys);
    }

    private static boolean sameGeneration(Long generation, Object observed) {
        if (generation == null) {
            return observed == null;
        }
        return observed instanceof Number n && n.longValue() == generation;
    }

    private static Map<String, Object> asMap(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(Objects.toString(k), v));
            return copy;
        }
        return Map.of();
    }
}
