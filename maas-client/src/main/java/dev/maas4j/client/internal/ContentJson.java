package dev.maas4j.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.maas4j.client.ContentPart;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Message content on the wire: a string or an array of parts. A single text part is written as a
 * plain string, which every OpenAI-compatible server accepts (some accept nothing else); a string
 * reads as one text part and {@code null} as no part.
 */
public final class ContentJson {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private ContentJson() {
    }

    /** Writes a part list. */
    public static final class Serializer extends JsonSerializer<List<ContentPart>> {
        @Override
        public void serialize(List<ContentPart> parts, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            if (parts.size() == 1 && parts.get(0) instanceof ContentPart.Text t) {
                gen.writeString(t.text());
                return;
            }
            gen.writeStartArray();
            for (ContentPart part : parts) {
                if (part instanceof ContentPart.Text t) {
                    gen.writeStartObject();
                    gen.writeStringField("type", "text");
                    gen.writeStringField("text", t.text());
                    gen.writeEndObject();
                } else if (part instanceof ContentPart.Image i) {
                    gen.writeStartObject();
                    gen.writeStringField("type", "image_url");
                    gen.writeObjectFieldStart("image_url");
                    gen.writeStringField("url", i.url());
                    if (i.detail().isPresent()) {
                        gen.writeStringField("detail", i.detail().get());
                    }
                    gen.writeEndObject();
                    gen.writeEndObject();
                } else if (part instanceof ContentPart.Other o) {
                    provider.defaultSerializeValue(o.json(), gen);
                }
            }
            gen.writeEndArray();
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, List<ContentPart> value) {
            return value == null || value.isEmpty();
        }
    }

    /** Reads a string, an array of parts or null. */
    public static final class Deserializer extends JsonDeserializer<List<ContentPart>> {
        @Override
        public List<ContentPart> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return parts(p.readValueAsTree());
        }

        @Override
        public List<ContentPart> getNullValue(DeserializationContext ctxt) {
            return List.of();
        }
    }

    /** The parts that {@code node} holds. */
    public static List<ContentPart> parts(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(new ContentPart.Text(node.asText()));
        }
        List<ContentPart> parts = new ArrayList<>();
        for (JsonNode part : node.isArray() ? node : List.of(node)) {
            parts.add(part(part));
        }
        return List.copyOf(parts);
    }

    private static ContentPart part(JsonNode node) {
        if (node.isTextual()) {
            return new ContentPart.Text(node.asText());
        }
        String type = node.path("type").asText("");
        if (type.equals("text") && node.path("text").isTextual()) {
            return new ContentPart.Text(node.get("text").asText());
        }
        if (type.equals("image_url")) {
            JsonNode image = node.path("image_url");
            String url = image.isTextual() ? image.asText() : image.path("url").asText("");
            if (!url.isBlank()) {
                JsonNode detail = image.path("detail");
                return new ContentPart.Image(url, detail.isTextual() ? Optional.of(detail.asText()) : Optional.empty());
            }
        }
        Map<String, Object> json = Json.ADMIN.convertValue(node, MAP);
        return new ContentPart.Other(type.isBlank() ? "unknown" : type, json);
    }
}
