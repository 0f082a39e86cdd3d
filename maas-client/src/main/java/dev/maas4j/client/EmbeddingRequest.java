package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.maas4j.client.internal.StringOrListJson;
import dev.maas4j.client.internal.Values;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An embeddings request ({@code POST /embeddings}).
 *
 * <pre>{@code
 * EmbeddingResponse r = client.embeddings().create(EmbeddingRequest.of("bge-small", "first text", "second text"));
 * }</pre>
 *
 * @param model          the model's name
 * @param input          the texts to embed, at least one
 * @param encodingFormat {@code float} or {@code base64}; the response is decoded either way
 * @param dimensions     the vector length, for models that can shorten it
 * @param user           an end-user id
 * @param extra          further properties, written as given
 */
public record EmbeddingRequest(String model, @JsonSerialize(using = StringOrListJson.class) List<String> input,
                               Optional<String> encodingFormat, Optional<Integer> dimensions,
                               Optional<String> user, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public EmbeddingRequest {
        Values.notBlank(model, "model");
        input = Values.list(input);
        if (input.isEmpty()) {
            throw new IllegalArgumentException("input must not be empty");
        }
        encodingFormat = Values.opt(encodingFormat);
        dimensions = Values.opt(dimensions);
        user = Values.opt(user);
        extra = Values.extra(extra);
    }

    /** A request to embed {@code inputs} with {@code model}. */
    public static EmbeddingRequest of(String model, String... inputs) {
        return new EmbeddingRequest(model, List.of(inputs), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of());
    }

    /** This request with {@code encoding_format} set. */
    public EmbeddingRequest withEncodingFormat(String format) {
        return new EmbeddingRequest(model, input, Optional.of(Values.notBlank(format, "encodingFormat")),
                dimensions, user, extra);
    }

    /** This request with {@code dimensions} set. */
    public EmbeddingRequest withDimensions(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("dimensions must be positive, was " + value);
        }
        return new EmbeddingRequest(model, input, encodingFormat, Optional.of(value), user, extra);
    }

    /** This request with one more property written as given. */
    public EmbeddingRequest withExtra(String property, Object value) {
        Map<String, Object> more = new java.util.LinkedHashMap<>(extra);
        more.put(Values.notBlank(property, "property"), value);
        return new EmbeddingRequest(model, input, encodingFormat, dimensions, user, more);
    }

    /** This request with {@code user} set. */
    public EmbeddingRequest withUser(String value) {
        return new EmbeddingRequest(model, input, encodingFormat, dimensions,
                Optional.of(Objects.requireNonNull(value, "user")), extra);
    }
}
