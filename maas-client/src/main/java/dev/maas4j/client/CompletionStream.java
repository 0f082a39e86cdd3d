package dev.maas4j.client;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A streamed text completion: the chunks as the server sends them. Must be closed; closing it
 * before the end closes the connection. Not thread-safe, except {@link #close()}.
 *
 * <pre>{@code
 * try (CompletionStream stream = client.completions().stream(request)) {
 *     stream.forEach(chunk -> System.out.print(chunk.text()));
 * }
 * }</pre>
 */
public final class CompletionStream extends ChunkStreamBase<Completion> {

    private final Accumulator accumulator;

    private CompletionStream(ApiResponse<InputStream> response, ChunkReader<Completion> reader,
                             Accumulator accumulator) {
        super(response, reader);
        this.accumulator = accumulator;
    }

    static CompletionStream open(ApiResponse<InputStream> response, ChunkReaderFactory factory) {
        Accumulator accumulator = new Accumulator();
        return new CompletionStream(response, factory.reader(response, Completion.class, accumulator::add),
                accumulator);
    }

    /** The usage reported in the last chunk, once read (needs {@link StreamOptions#INCLUDE_USAGE}). */
    public Optional<Usage> usage() {
        return accumulator.usage;
    }

    /** Reads the rest of the stream, closes it and returns the completion assembled from every chunk. */
    public Completion readAll() {
        try {
            drain();
        } finally {
            close();
        }
        return accumulator.result();
    }

    private static final class Accumulator {
        private Completion first;
        private Optional<Usage> usage = Optional.empty();
        private final Map<Integer, StringBuilder> texts = new TreeMap<>();
        private final Map<Integer, Optional<String>> finish = new TreeMap<>();

        void add(Completion chunk) {
            if (first == null) {
                first = chunk;
            }
            chunk.usage().ifPresent(u -> usage = Optional.of(u));
            for (Completion.Choice c : chunk.choices()) {
                texts.computeIfAbsent(c.index(), i -> new StringBuilder()).append(c.text());
                if (c.finishReason().isPresent()) {
                    finish.put(c.index(), c.finishReason());
                }
            }
        }

        Completion result() {
            List<Completion.Choice> choices = new ArrayList<>();
            texts.forEach((i, text) -> choices.add(new Completion.Choice(i, text.toString(),
                    finish.getOrDefault(i, Optional.empty()), Map.of())));
            return first == null
                    ? new Completion("", "text_completion", 0, "", choices, usage, Optional.empty(), Map.of())
                    : new Completion(first.id(), "text_completion", first.created(), first.model(), choices, usage,
                    first.systemFingerprint(), Map.of());
        }
    }
}
