package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.maas4j.client.internal.Values;
import dev.maas4j.client.internal.VectorJson;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embeddings of a request's inputs, in input order.
 *
 * @param object {@code list}
 * @param data   one embedding per input
 * @param model  the model that computed them
 * @param usage  token usage (prompt and total tokens)
 * @param extra  properties this version does not know
 */
public record EmbeddingResponse(String object, List<Embedding> data, String model, Optional<Usage> usage,
                                @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Copies the components. */
    public EmbeddingResponse {
        object = Values.text(object);
        data = Values.list(data);
        model = Values.text(model);
        usage = Values.opt(usage);
        extra = Values.extra(extra);
    }

    /** The vectors, in input order. */
    public List<float[]> vectors() {
        return data.stream().map(Embedding::embedding).toList();
    }

    /**
     * One embedding.
     *
     * @param index     the input's index
     * @param embedding the vector (decoded from base64 when the server sent that form)
     * @param object    {@code embedding}
     * @param extra     properties this version does not know
     */
    public record Embedding(int index,
                            @JsonDeserialize(using = VectorJson.Deserializer.class)
                            @JsonSerialize(using = VectorJson.Serializer.class) float[] embedding,
                            String object, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

        /** Copies the components. */
        public Embedding {
            embedding = embedding == null ? new float[0] : embedding.clone();
            object = Values.text(object);
            extra = Values.extra(extra);
        }

        /** A copy of the vector. */
        @Override
        public float[] embedding() {
            return embedding.clone();
        }

        /** The vector's length. */
        public int dimensions() {
            return embedding.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Embedding e && index == e.index && Arrays.equals(embedding, e.embedding)
                    && object.equals(e.object) && extra.equals(e.extra);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * index + Arrays.hashCode(embedding)) + extra.hashCode();
        }

        @Override
        public String toString() {
            return "Embedding[index=" + index + ", dimensions=" + embedding.length + "]";
        }
    }
}
