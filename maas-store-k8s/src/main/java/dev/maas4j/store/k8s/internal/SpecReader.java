package dev.maas4j.store.k8s.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Collection;
import java.util.Map;

/**
 * Reads the {@code spec} or {@code status} of a generic resource into the typed records.
 *
 * <p>The informers hold {@link GenericKubernetesResource}s rather than typed resources on purpose:
 * a typed informer fails its whole list when one resource has a field of the wrong type (a
 * {@code limit: "lots"} that a cluster without the CRD's validation let through), which would
 * blank the catalog. Here a bad field fails only its own resource, with the path of the field.
 *
 * <p>Thread-safe: the mapper is configured once and only read.
 */
final class SpecReader {
    /** A private mapper: strict about numbers (no 1.5 read as 1), lenient about unknown fields. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private SpecReader() {
    }

    /**
     * The stanza {@code field} of {@code resource} as {@code type}, or {@code null} if absent.
     *
     * @throws Malformed naming the field whose type is wrong
     */
    static <T> T read(GenericKubernetesResource resource, String field, Class<T> type) throws Malformed {
        Object node = resource.getAdditionalProperties().get(field);
        if (node == null) {
            return null;
        }
        try {
            return MAPPER.convertValue(node, type);
        } catch (IllegalArgumentException e) {
            throw new Malformed(describe(field, e));
        }
    }

    private static String describe(String field, IllegalArgumentException e) {
        if (e.getCause() instanceof JsonMappingException jme) {
            StringBuilder path = new StringBuilder(field);
            for (JsonMappingException.Reference ref : jme.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append('.').append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            String expected = jme instanceof MismatchedInputException mie && mie.getTargetType() != null
                    ? "must be " + describeType(mie.getTargetType()) : firstLine(jme.getOriginalMessage());
            return path + ": Invalid value: " + expected;
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return field + ": Invalid value: " + firstLine(cause.getMessage());
    }

    private static String describeType(Class<?> type) {
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "an integer" + (type == Integer.class || type == int.class ? " (int32)" : "");
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a " + type.getSimpleName();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** A stanza whose shape is wrong; the message names the field. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
