package dev.maas4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.testing.FakeOpenAiUpstream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The client tests' recorded answers ({@code fixtures/} in the test resources) and request bodies as JSON. */
public final class Fixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    /** The text of test resource {@code fixtures/<name>}. */
    public static String fixture(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of a request the fake server received, as JSON. */
    public static JsonNode bodyJson(FakeOpenAiUpstream.Request request) {
        try {
            return MAPPER.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
