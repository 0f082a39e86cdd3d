package dev.maas4j.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads server-sent events (the WHATWG event-stream format) from a byte stream as they arrive.
 * Lines may end in LF, CRLF or CR; comment lines ({@code :} keep-alives) are skipped; several
 * {@code data:} lines join with {@code \n}. Not thread-safe, except {@link #close()}, which may
 * be called from another thread to abort a blocked read.
 */
public final class SseReader implements Closeable {

    /**
     * One event.
     *
     * @param event the event type, {@code message} when the server named none
     * @param data  the data lines joined with {@code \n}
     * @param id    the last event id, if any
     */
    public record Event(String event, String data, Optional<String> id) {
    }

    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean skipLineFeed;
    private boolean first = true;
    private Optional<String> lastId = Optional.empty();

    /** Reads from {@code in}, which it closes on {@link #close()}. */
    public SseReader(InputStream in) {
        this.in = in;
    }

    /** The next event, blocking until it is complete; empty at the end of the stream. */
    public Optional<Event> next() throws IOException {
        StringBuilder data = null;
        String type = null;
        while (true) {
            String line = readLine();
            if (line == null) {
                // A stream cut without the final blank line still delivers what it carried.
                return data == null ? Optional.empty() : Optional.of(event(type, data));
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return Optional.of(event(type, data));
                }
                type = null;
                continue;
            }
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                case "event" -> type = value;
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        lastId = Optional.of(value);
                    }
                }
                default -> {
                    // "retry" and unknown fields are ignored, as the format requires.
                }
            }
        }
    }

    private Event event(String type, StringBuilder data) {
        return new Event(type == null || type.isEmpty() ? "message" : type, data.toString(), lastId);
    }

    /** One line without its terminator, or null at the end of the stream. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = null;
        while (true) {
            if (position == limit) {
                // read() returns what has arrived: an event is handed over as soon as its blank line is in.
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    return line == null ? null : decode(line);
                }
                position = 0;
                limit = n;
                continue;
            }
            byte b = buffer[position++];
            if (skipLineFeed) {
                skipLineFeed = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n' || b == '\r') {
                // After CR, a following LF belongs to the same terminator; it is skipped on the next
                // read instead of peeked now, so that a CR at the end of a packet does not block.
                skipLineFeed = b == '\r';
                return line == null ? "" : decode(line);
            }
            if (line == null) {
                line = new ByteArrayOutputStream(128);
            }
            line.write(b);
        }
    }

    private String decode(ByteArrayOutputStream line) {
        String s = line.toString(StandardCharsets.UTF_8);
        if (first) {
            first = false;
            if (s.startsWith("\uFEFF")) {
                s = s.substring(1);
            }
        }
        return s;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
