package dev.maas4j.core.usage.internal;

import java.io.IOException;

/**
 * Turns the bytes of one response into tokens for a {@link UsagePathReader}. An exception means
 * the input cannot be parsed; the caller then stops feeding. Not thread-safe.
 */
public interface ResponseDecoder {

    /** A decoder of a JSON body. */
    static ResponseDecoder json(UsagePathReader reader) throws IOException {
        return new JsonResponseDecoder(reader);
    }

    /** A decoder of a {@code text/event-stream} body, skipping events over {@code maxEventBytes}. */
    static ResponseDecoder sse(UsagePathReader reader, int maxEventBytes) throws IOException {
        return new SseResponseDecoder(reader, maxEventBytes);
    }

    /** Decodes {@code length} more bytes. */
    void accept(byte[] bytes, int offset, int length) throws IOException;

    /**
     * Ends the input. Input cut inside a document (a truncated response) is not an error: what
     * was complete before the cut stands.
     */
    void finish() throws IOException;

    /** Releases the parser's buffers; the decoder is not used afterwards. */
    void close();
}
