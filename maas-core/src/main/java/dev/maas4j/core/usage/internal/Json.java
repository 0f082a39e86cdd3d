package dev.maas4j.core.usage.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;

/** The one {@link JsonFactory} of the usage package. */
public final class Json {

    /**
     * Shared because a factory is thread-safe once built and its parsers then share one field-name
     * symbol table, so the handful of names every response repeats are decoded once per JVM.
     * Defaults are kept on purpose: source excerpts stay out of exception messages, and
     * {@code StreamReadConstraints} bound the one string token a parser may buffer.
     */
    public static final JsonFactory FACTORY = new JsonFactoryBuilder().build();

    private Json() {
    }
}
