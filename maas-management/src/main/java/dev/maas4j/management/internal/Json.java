package dev.maas4j.management.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * JSON for the management API. Duplicate fields, trailing content and type coercions
 * ({@code "5"} for {@code 5}) are refused with a 400 naming the field. Unknown fields of a request
 * body are ignored (docs/management-api.md §1, as Open Data Hub's maas-api does), so that a client
 * may send back what it read; a configuration document ({@link #read(JsonNode, Class)}) refuses
 * them, because there a typo would otherwise silently change nothing. Absent ({@code null}) fields
 * are left out of responses.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.ALWAYS))
            .build();
    /** The request bodies' reader: {@link #MAPPER}'s rules, but unknown fields are skipped. */
    private static final com.fasterxml.jackson.databind.ObjectReader LENIENT = MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /** The shared mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads a request body into {@code type}; unknown fields are ignored.
     *
     * @throws ApiException 400 naming the field for malformed JSON and wrong types
     */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw ApiException.badRequest("missing_body", "a JSON request body is required");
        }
        return bind(() -> LENIENT.forType(type).readValue(body));
    }

    /**
     * Reads a document already parsed (from JSON or YAML, e.g. the gateway's configuration file)
     * into {@code type}, with the same 400s naming the field as {@link #read(byte[], Class)}, and
     * unknown fields refused too.
     *
     * @throws ApiException 400 naming the field for unknown fields and wrong types, or when
     *                      {@code document} is not an object
     */
    public static <T> T read(JsonNode document, Class<T> type) {
        if (document == null || !document.isObject()) {
            throw ApiException.badRequest("invalid_body", "the document must be an object");
        }
        return bind(() -> MAPPER.treeToValue(document, type));
    }

    /** Something Jackson reads. */
    private interface Reading<T> {
        T read() throws IOException;
    }

    private static <T> T bind(Reading<T> reading) {
        try {
            T value = reading.read();
            if (value == null) {
                throw ApiException.badRequest("invalid_body", "the request body must be a JSON object");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown_field", path(e), "unknown field '" + path(e) + "'");
        } catch (MismatchedInputException e) {
            // also InvalidFormatException: a value of the wrong type
            if (e.getPath().isEmpty()) {
                throw ApiException.badRequest("invalid_body", "the request body must be a JSON object");
            }
            throw ApiException.invalid(path(e), path(e) + " must be " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            // e.g. a record constructor or a duplicate key: the cause's message is ours, without secrets
            Throwable cause = e.getCause();
            if (cause instanceof ApiException api) {
                throw api;
            }
            String reason = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
            if (e.getPath().isEmpty()) {
                throw ApiException.badRequest("invalid_body", reason);
            }
            throw ApiException.invalid(path(e), path(e) + ": " + reason);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            // Jackson quotes the offending token: a long one may be a pasted secret, and this message
            // also reaches the audit log, so long quoted text is elided
            String detail = String.valueOf(e.getOriginalMessage()).replaceAll("'[^']{17,}'", "'…'");
            throw ApiException.badRequest("malformed_json", "malformed JSON"
                    + (location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr())
                    + ": " + detail);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed_json", "the request body could not be read");
        }
    }

    /** Writes {@code value} to {@code out}. */
    public static void write(OutputStream out, Object value) throws IOException {
        MAPPER.writeValue(nonClosing(out), value);
    }

    /** {@code value} as JSON text. */
    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads money as a decimal string ({@code "25.00"}, the wire form) or a JSON number, exactly:
     * never through a {@code double}.
     */
    static final class Decimal extends com.fasterxml.jackson.databind.JsonDeserializer<BigDecimal> {
        @Override
        public BigDecimal deserialize(com.fasterxml.jackson.core.JsonParser p,
                                      com.fasterxml.jackson.databind.DeserializationContext ctxt) throws IOException {
            var token = p.currentToken();
            if (token == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT
                    || token == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT) {
                return p.getDecimalValue();
            }
            if (token == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                String text = p.getText().strip();
                try {
                    if (text.length() <= 64) {
                        return new BigDecimal(text);
                    }
                } catch (NumberFormatException e) {
                    // answered below
                }
                throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(p, "not a decimal number",
                        text, BigDecimal.class);
            }
            return (BigDecimal) ctxt.handleUnexpectedToken(BigDecimal.class, p);
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        // the container owns the response stream: Jackson must not close it
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    /** The path of the offending field, e.g. {@code limits.budget} or {@code models[1]}. */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type == BigDecimal.class) {
            return "a decimal number such as \"25.00\"";
        }
        if (type == Double.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object";
    }
}
