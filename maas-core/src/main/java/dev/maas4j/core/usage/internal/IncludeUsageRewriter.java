package dev.maas4j.core.usage.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.maas4j.core.usage.MalformedRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sets {@code stream_options.include_usage} to {@code true} in a streamed request body.
 *
 * <p>A streaming parser finds where the change goes (by byte offset) and the change is spliced
 * into the original bytes: everything else, down to whitespace, escapes and the spelling of
 * numbers, is passed on untouched, which re-encoding through a generator would not guarantee.
 */
public final class IncludeUsageRewriter {

    private static final byte[] TRUE = bytes("true");
    private static final byte[] OPTIONS_OBJECT = bytes("{\"include_usage\":true}");
    private static final byte[] OPTIONS_MEMBER = bytes(",\"stream_options\":{\"include_usage\":true}");
    private static final byte[] FIRST_OPTION = bytes("\"include_usage\":true");
    private static final byte[] NEXT_OPTION = bytes(",\"include_usage\":true");

    private static final int STREAM = 1;
    private static final int STREAM_OPTIONS = 1 << 1;

    /** Replaces {@code body[start, end)} with {@code bytes}; an insertion when start == end. */
    private record Edit(int start, int end, byte[] bytes) {
    }

    private IncludeUsageRewriter() {
    }

    /** See {@link dev.maas4j.core.usage.StreamOptions#withIncludeUsage}. */
    public static byte[] rewrite(byte[] body) {
        Objects.requireNonNull(body, "body");
        List<Edit> edits = new ArrayList<>(2);
        boolean stream;
        try (JsonParser parser = Json.FACTORY.createParser(body)) {
            stream = plan(parser, edits);
        } catch (JsonProcessingException e) {
            throw RequestScanner.invalid(e);
        } catch (IOException e) {
            // Reading a byte array does no I/O.
            throw new UncheckedIOException(e);
        }
        if (!stream || edits.isEmpty()) {
            return body;
        }
        for (Edit edit : edits) {
            if (edit.start() < 0) {
                throw new MalformedRequestException("request body must be encoded in UTF-8");
            }
        }
        return apply(body, edits);
    }

    /** Finds the edits, in body order; returns whether the request streams. */
    private static boolean plan(JsonParser parser, List<Edit> edits) throws IOException {
        RequestScanner.startObject(parser);
        int seenFields = 0;
        boolean stream = false;
        boolean hasOptions = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("stream".equals(name)) {
                seenFields = RequestScanner.seen(seenFields, STREAM, name);
                stream = RequestScanner.readBoolean(value, name);
            } else if ("stream_options".equals(name)) {
                seenFields = RequestScanner.seen(seenFields, STREAM_OPTIONS, name);
                hasOptions = true;
                if (value == JsonToken.VALUE_NULL) {
                    int at = offset(parser);
                    edits.add(new Edit(at, at < 0 ? at : at + "null".length(), OPTIONS_OBJECT));
                } else if (value == JsonToken.START_OBJECT) {
                    planOptions(parser, edits);
                } else {
                    throw new MalformedRequestException("'stream_options' must be an object");
                }
            } else {
                parser.skipChildren();
            }
        }
        if (!hasOptions) {
            // stream is a member, so the object is not empty and the new member needs a comma.
            int end = offset(parser);
            edits.add(new Edit(end, end, OPTIONS_MEMBER));
        }
        RequestScanner.endObject(parser);
        return stream;
    }

    /** Plans the change inside the {@code stream_options} object at the parser. */
    private static void planOptions(JsonParser parser, List<Edit> edits) throws IOException {
        boolean members = false;
        boolean includeUsage = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            members = true;
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!"include_usage".equals(name)) {
                parser.skipChildren();
                continue;
            }
            includeUsage = true;
            // Every occurrence is set, whichever duplicate the server would take.
            if (value == JsonToken.VALUE_FALSE || value == JsonToken.VALUE_NULL) {
                int at = offset(parser);
                int length = (value == JsonToken.VALUE_FALSE ? "false" : "null").length();
                edits.add(new Edit(at, at < 0 ? at : at + length, TRUE));
            } else if (value != JsonToken.VALUE_TRUE) {
                throw new MalformedRequestException("'stream_options.include_usage' must be a boolean");
            }
        }
        if (!includeUsage) {
            int end = offset(parser);
            edits.add(new Edit(end, end, members ? NEXT_OPTION : FIRST_OPTION));
        }
    }

    /**
     * Byte offset of the current token; -1 for a body in UTF-16 or UTF-32, which Jackson decodes
     * to characters first. Such a body only fails if it has to change.
     */
    private static int offset(JsonParser parser) {
        // A byte array holds less than 2^31 bytes.
        return (int) parser.currentTokenLocation().getByteOffset();
    }

    private static byte[] apply(byte[] body, List<Edit> edits) {
        int length = body.length;
        for (Edit edit : edits) {
            length += edit.bytes().length - (edit.end() - edit.start());
        }
        byte[] result = new byte[length];
        int from = 0;
        int to = 0;
        for (Edit edit : edits) {
            int unchanged = edit.start() - from;
            System.arraycopy(body, from, result, to, unchanged);
            to += unchanged;
            System.arraycopy(edit.bytes(), 0, result, to, edit.bytes().length);
            to += edit.bytes().length;
            from = edit.end();
        }
        System.arraycopy(body, from, result, to, body.length - from);
        return result;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
