package dev.maas4j.client;

import java.io.InputStream;
import java.util.Optional;

/**
 * A streamed chat completion: the chunks as the server sends them. Must be closed; closing it
 * before the end closes the connection, which stops the generation.
 *
 * <pre>{@code
 * try (ChatCompletionStream stream = client.chat().stream(request)) {
 *     for (ChatCompletionChunk chunk : stream) {
 *         chunk.text().ifPresent(System.out::print);
 *     }
 *     stream.usage().ifPresent(u -> System.out.println("\n" + u.totalTokens() + " tokens"));
 * }
 * }</pre>
 *
 * <p>Not thread-safe, except {@link #close()}.
 */
public final class ChatCompletionStream extends ChunkStreamBase<ChatCompletionChunk> {

    private final ChatAccumulator accumulator;

    private ChatCompletionStream(ApiResponse<InputStream> response, ChunkReader<ChatCompletionChunk> reader,
                                 ChatAccumulator accumulator) {
        super(response, reader);
        this.accumulator = accumulator;
    }

    static ChatCompletionStream open(ApiResponse<InputStream> response, ChunkReaderFactory factory) {
        ChatAccumulator accumulator = new ChatAccumulator();
        return new ChatCompletionStream(response,
                factory.reader(response, ChatCompletionChunk.class, accumulator::add), accumulator);
    }

    /**
     * The usage the server reported in the last chunk, once it has been read. Present only when
     * the request asked for it with {@link StreamOptions#INCLUDE_USAGE} (and the server obliged).
     */
    public Optional<Usage> usage() {
        return accumulator.usage();
    }

    /**
     * Reads the rest of the stream, closes it and returns the completion assembled from every
     * chunk: text, reasoning and tool calls joined per choice, the finish reasons and the usage.
     */
    public ChatCompletion readAll() {
        try {
            drain();
        } finally {
            close();
        }
        return accumulator.result();
    }
}
