package dev.maas4j.servlet.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.maas4j.api.ModelRef;
import dev.maas4j.core.ModelAccess;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Renders models in OpenAI's format, with the subscriptions that cover each for the caller. */
public final class ModelList {
    private ModelList() {
    }

    /** {@code {"object":"list","data":[...]}}. */
    public static byte[] list(List<ModelAccess> models, long defaultCreated) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + models.size() * 160);
        try (JsonGenerator g = ErrorResponses.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (ModelAccess access : models) {
                model(g, access, defaultCreated);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One model object, as {@code GET /v1/models/{id}} answers. */
    public static byte[] single(ModelAccess access, long defaultCreated) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = ErrorResponses.JSON.createGenerator(out)) {
            model(g, access, defaultCreated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void model(JsonGenerator g, ModelAccess access, long defaultCreated) throws IOException {
        ModelRef model = access.model();
        g.writeStartObject();
        g.writeStringField("id", model.name());
        g.writeStringField("object", "model");
        g.writeNumberField("created", created(model.metadata(), defaultCreated));
        g.writeStringField("owned_by", model.namespace());
        if (!model.displayName().equals(model.name())) {
            g.writeStringField("display_name", model.displayName());
        }
        g.writeArrayFieldStart("subscriptions");
        for (String subscription : access.subscriptions()) {
            g.writeString(subscription);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static long created(Map<String, String> metadata, long fallback) {
        String value = metadata.get("created");
        if (value != null) {
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                // a label that is not epoch seconds: fall back
            }
        }
        return fallback;
    }
}
