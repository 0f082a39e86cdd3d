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

    private IncludeUsageRewriter() {
    }

    /** See {@link dev.maas4j.core.usage.StreamOptions#withIncludeUsage}. */
    public static byte[] rewrite(byte[] body) {
        Objects.requireNonNull(body, "body");
        List<Splice.Edit> edits = new ArrayList<>(2);
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
        for (Splice.Edit edit : edits) {
            if (edit.start() < 0) {
                throw new MalformedRequestException("request body must be encoded in UTF-8");
            }
        }
        return Splice.apply(body, edits);
    }

    /** Finds the edits, in body order; returns whether the request streams. */
    private static boolean plan(JsonParser parser, List<Splice.Edit> edits) throws IOException {
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
                    edits.add(new Splice.Edit(at, at < 0 ? at : at + "null".length(), OPTIONS_OBJECT));
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
            edits.add(new Splice.Edit(end, end, OPTIONS_MEMBER));
        }
        RequestScanner.endObject(parser);
        return stream;
    }

    /** Plans the change inside the {@code stream_options} object at the parser. */
    private static void planOptions(JsonParser parser, List<Splice.Edit> edits) throws IOException {
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
                edits.add(new Splice.Edit(at, at < 0 ? at : at + length, TRUE));
            } else if (value != JsonToken.VALUE_TRUE) {
                throw new MalformedRequestException("'stream_options.include_usage' must be a boolean");
            }
        }
        if (!includeUsage) {
            int end = offset(parser);
            edits.add(new Splice.Edit(end, end, members ? NEXT_OPTION : FIRST_OPTION));
        }
    }

    private static int offset(JsonParser parser) {
        return Splice.offset(parser);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
