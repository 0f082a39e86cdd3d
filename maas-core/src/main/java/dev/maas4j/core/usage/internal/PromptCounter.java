package dev.maas4j.core.usage.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.maas4j.core.usage.MediaEstimates;
import dev.maas4j.core.usage.TokenEstimates;
import java.io.IOException;

/**
 * What a request's prompt costs before the model says: the characters of its text (ASCII and
 * other, for {@link TokenEstimates#fromText}), its messages, and its images, audio clips and
 * files by their content part's {@code type}, priced by {@link MediaEstimates}. Inline data
 * ({@code data}, {@code file_data}, {@code data:} URLs) is not text and is not counted.
 *
 * <p>{@link RequestScanner} makes one per body and hands it each prompt-bearing field; text is
 * read in the parser's buffer, never as strings. Not thread-safe.
 */
final class PromptCounter {

    /** Framing tokens a chat template adds per message (role markers, separators). */
    private static final int TOKENS_PER_MESSAGE = 4;

    private final MediaEstimates media;
    private long messages;
    private long asciiCharacters;
    private long otherCharacters;
    private int images;
    private int audio;
    private int files;

    PromptCounter(MediaEstimates media) {
        this.media = media;
    }

    /** Counts one message of a {@code messages} array: its framing and its text, the parser then past it. */
    void countMessage(JsonParser parser) throws IOException {
        messages++;
        countText(parser, true);
    }

    /**
     * Counts the string values of the value at the parser, which is then past it; with
     * {@code mediaParts}, a {@code type} naming an image, audio or file part counts that part too.
     */
    void countText(JsonParser parser, boolean mediaParts) throws IOException {
        JsonToken token = parser.currentToken();
        if (!token.isStructStart()) {
            countString(parser, token, mediaParts);
            return;
        }
        int depth = 1;
        while (depth > 0) {
            token = parser.nextToken();
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            } else {
                countString(parser, token, mediaParts);
            }
        }
    }

    /** Characters of text counted (UTF-16 code units). */
    long characters() {
        return asciiCharacters + otherCharacters;
    }

    /** Images, audio clips and files counted. */
    int mediaParts() {
        return images + audio + files;
    }

    /** The prompt's tokens: its text, the framing of its messages and its media, saturating. */
    long tokensEstimate() {
        long estimate = TokenEstimates.fromText(asciiCharacters, otherCharacters);
        estimate = SaturatingMath.add(estimate, TOKENS_PER_MESSAGE * messages);
        estimate = SaturatingMath.add(estimate, SaturatingMath.multiply(images, media.imageTokens()));
        estimate = SaturatingMath.add(estimate, SaturatingMath.multiply(audio, media.audioTokens()));
        return SaturatingMath.add(estimate, SaturatingMath.multiply(files, media.fileTokens()));
    }

    private void countString(JsonParser parser, JsonToken token, boolean mediaParts) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            return;
        }
        String name = parser.currentName();
        if ("data".equals(name) || "file_data".equals(name)) {
            return;
        }
        char[] text = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        int length = parser.getTextLength();
        if (startsWith(text, offset, length, "data:")) {
            return;
        }
        if (mediaParts && "type".equals(name)) {
            countMediaPart(text, offset, length);
        }
        int other = TokenEstimates.countNonAscii(text, offset, length);
        otherCharacters += other;
        asciiCharacters += length - other;
    }

    /** Counts a content part by its {@code type}, if it is an image, audio or file. */
    private void countMediaPart(char[] text, int offset, int length) {
        if (is(text, offset, length, "image_url") || is(text, offset, length, "input_image")
                || is(text, offset, length, "image")) {
            images++;
        } else if (is(text, offset, length, "input_audio") || is(text, offset, length, "audio")) {
            audio++;
        } else if (is(text, offset, length, "file") || is(text, offset, length, "input_file")
                || is(text, offset, length, "document")) {
            files++;
        }
    }

    private static boolean is(char[] text, int offset, int length, String value) {
        return length == value.length() && startsWith(text, offset, length, value);
    }

    private static boolean startsWith(char[] text, int offset, int length, String prefix) {
        if (length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text[offset + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
