package dev.maas4j.client;

import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.util.Iterator;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** What {@link ChatCompletionStream} and {@link CompletionStream} share. */
abstract class ChunkStreamBase<T> implements Iterable<T>, AutoCloseable {

    private final ApiResponse<InputStream> response;
    private final ChunkReader<T> reader;
    private boolean iterated;

    ChunkStreamBase(ApiResponse<InputStream> response, ChunkReader<T> reader) {
        this.response = response;
        this.reader = reader;
    }

    /**
     * The chunks, read from the connection as they arrive; {@code hasNext()} blocks until the
     * next chunk or the end. Can be called once. A server error inside the stream is thrown by
     * {@code hasNext()} as a {@link MaasApiException}, a broken connection as a
     * {@link ConnectionException}.
     */
    @Override
    public Iterator<T> iterator() {
        synchronized (this) {
            if (iterated) {
                throw new IllegalStateException("a stream can be iterated only once");
            }
            iterated = true;
        }
        return reader;
    }

    /** The chunks as a sequential {@link Stream}; closing it closes this. Can be called once, instead of {@link #iterator()}. */
    public Stream<T> stream() {
        Spliterator<T> s = Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(s, false).onClose(this::close);
    }

    /** The HTTP status of the stream's response. */
    public int statusCode() {
        return response.statusCode();
    }

    /** The response headers. */
    public HttpHeaders headers() {
        return response.headers();
    }

    /** The rate-limit state reported when the stream started. */
    public RateLimitInfo rateLimits() {
        return response.rateLimits();
    }

    /** The server's request id ({@code x-request-id}). */
    public Optional<String> requestId() {
        return response.requestId();
    }

    /** Reads every remaining chunk. */
    void drain() {
        while (reader.hasNext()) {
            reader.next();
        }
    }

    /**
     * Stops reading and closes the response (the connection under HTTP/1.1, the stream under
     * HTTP/2), so that the gateway stops generating (and metering) tokens nobody reads.
     * Idempotent; may be called from another thread to abort a blocked read.
     */
    @Override
    public void close() {
        reader.close();
    }
}
