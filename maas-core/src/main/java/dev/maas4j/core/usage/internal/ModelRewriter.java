package dev.maas4j.core.usage.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.maas4j.core.usage.MalformedRequestException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/** Makes a request body name the model the gateway authorized (see {@link dev.maas4j.core.usage.ModelField}). */
public final class ModelRewriter {
    private static final int MODEL = 1;

    private ModelRewriter() {
    }

    /** See {@link dev.maas4j.core.usage.ModelField#withModel}. */
    public static byte[] rewrite(byte[] body, String model) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(model, "model");
        byte[] quoted = quoted(model);
        Splice.Edit edit;
        try (JsonParser parser = Json.FACTORY.createParser(body)) {
            edit = plan(parser, model, quoted);
        } catch (JsonProcessingException e) {
            throw RequestScanner.invalid(e);
        } catch (IOException e) {
            // Reading a byte array does no I/O.
            throw new UncheckedIOException(e);
        }
        if (edit == null) {
            return body;
        }
        if (edit.start() < 0) {
            throw new MalformedRequestException("request body must be encoded in UTF-8");
        }
        return Splice.apply(body, List.of(edit));
    }

    /** The one edit, or null when the body already names {@code model}. */
    private static Splice.Edit plan(JsonParser parser, String model, byte[] quoted) throws IOException {
        RequestScanner.startObject(parser);
        int seen = 0;
        boolean members = false;
        Splice.Edit edit = null;
        boolean named = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            members = true;
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!"model".equals(name)) {
                parser.skipChildren();
                continue;
            }
            seen = RequestScanner.seen(seen, MODEL, name);
            if (value == JsonToken.VALUE_NULL) {
                int at = Splice.offset(parser);
                edit = new Splice.Edit(at, at < 0 ? at : at + "null".length(), quoted);
            } else if (value == JsonToken.VALUE_STRING) {
                int at = Splice.offset(parser);
                // reading the text completes the token, so that the location is past its closing quote
                if (model.equals(parser.getText())) {
                    named = true;
                } else {
                    int end = at < 0 ? at : (int) parser.currentLocation().getByteOffset();
                    edit = new Splice.Edit(at, end, quoted);
                }
            } else {
                throw new MalformedRequestException("'model' must be a string");
            }
        }
        if (edit == null && !named) {
            int end = Splice.offset(parser);
            byte[] member = new byte[quoted.length + (members ? 9 : 8)];
            byte[] prefix = (members ? ",\"model\":" : "\"model\":").getBytes(StandardCharsets.UTF_8);
            System.arraycopy(prefix, 0, member, 0, prefix.length);
            System.arraycopy(quoted, 0, member, prefix.length, quoted.length);
            edit = new Splice.Edit(end, end, member);
        }
        RequestScanner.endObject(parser);
        return edit;
    }

    private static byte[] quoted(String model) {
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(model);
        byte[] quoted = new byte[escaped.length + 2];
        quoted[0] = '"';
        System.arraycopy(escaped, 0, quoted, 1, escaped.length);
        quoted[quoted.length - 1] = '"';
        return quoted;
    }
}
