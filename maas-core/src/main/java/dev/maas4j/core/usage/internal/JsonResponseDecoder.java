package dev.maas4j.core.usage.internal;

import java.io.IOException;

/** A JSON body: fed to the parser as it comes. */
final class JsonResponseDecoder implements ResponseDecoder {

    private final UsagePathReader reader;
    private final TokenFeed feed;

    JsonResponseDecoder(UsagePathReader reader) throws IOException {
        this.reader = reader;
        this.feed = new TokenFeed(reader);
    }

    @Override
    public void accept(byte[] bytes, int offset, int length) throws IOException {
        feed.feed(bytes, offset, offset + length);
    }

    @Override
    public void finish() throws IOException {
        // Ending the input inside a document would only report the truncation as a parse error.
        if (!reader.insideDocument()) {
            feed.endOfInput();
        }
    }

    @Override
    public void close() {
        feed.close();
    }
}
