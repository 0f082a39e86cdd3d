package dev.maas4j.core.usage.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

/**
 * A non-blocking JSON parser whose tokens go to a {@link UsagePathReader} as bytes are fed.
 * Consecutive documents are read as consecutive root values of one parser. Not thread-safe.
 */
final class TokenFeed {

    private final UsagePathReader reader;
    private JsonParser parser;
    private ByteArrayFeeder feeder;

    TokenFeed(UsagePathReader reader) throws IOException {
        this.reader = reader;
        open();
    }

    /**
     * Parses {@code bytes[start, end)}. The parser keeps a reference to the array only until all
     * of it is consumed, which happens before this returns: callers may reuse their buffers.
     */
    void feed(byte[] bytes, int start, int end) throws IOException {
        if (start == end) {
            return;
        }
        feeder.feedInput(bytes, start, end);
        drain();
    }

    /** Signals the end of input, so that a pending root scalar completes. */
    void endOfInput() throws IOException {
        feeder.endOfInput();
        drain();
    }

    /** Drops the document in progress and starts a fresh parser. */
    void restart() throws IOException {
        close();
        reader.abandonDocument();
        open();
    }

    void close() {
        try {
            parser.close();
        } catch (IOException e) {
            // Nothing to release but recycled buffers; closing cannot fail in a way that matters.
        }
    }

    private void drain() throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.NOT_AVAILABLE && token != null) {
            reader.onToken(token, parser);
        }
    }

    private void open() throws IOException {
        parser = Json.FACTORY.createNonBlockingByteArrayParser();
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }
}
