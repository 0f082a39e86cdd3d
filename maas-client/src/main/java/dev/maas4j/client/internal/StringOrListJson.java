package dev.maas4j.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;

import java.io.IOException;
import java.util.List;

/**
 * Writes one string as a string and several as an array: the two forms OpenAI accepts for
 * {@code prompt} and {@code input}, of which some servers accept only the first for one value.
 */
public final class StringOrListJson extends JsonSerializer<List<String>> {

    @Override
    public void serialize(List<String> values, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (values.size() == 1) {
            gen.writeString(values.get(0));
            return;
        }
        gen.writeStartArray();
        for (String v : values) {
            gen.writeString(v);
        }
        gen.writeEndArray();
    }
}
