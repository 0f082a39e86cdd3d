package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models the caller may use.
 *
 * @param object {@code list}
 * @param data   the models
 * @param extra  properties this version does not know
 */
public record ModelList(String object, List<Model> data, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Copies the components. */
    public ModelList {
        object = Values.text(object);
        data = Values.list(data);
        extra = Values.extra(extra);
    }

    /** The model named {@code id}, if listed. */
    public Optional<Model> find(String id) {
        return data.stream().filter(m -> m.id().equals(id)).findFirst();
    }
}
