package dev.maas4j.core.usage.internal;

import com.fasterxml.jackson.core.JsonParser;

import java.util.List;

/**
 * Changes a request body by splicing bytes in at offsets a streaming parser found: everything else,
 * down to whitespace, escapes and the spelling of numbers, passes untouched, which re-encoding
 * through a generator would not guarantee. Stateless.
 */
final class Splice {
    /** Replaces {@code body[start, end)} with {@code bytes}; an insertion when start == end. */
    record Edit(int start, int end, byte[] bytes) {
    }

    private Splice() {
    }

    /**
     * Byte offset of the parser's current token; -1 for a body in UTF-16 or UTF-32, which Jackson
     * decodes to characters first. Such a body only fails if it has to change.
     */
    static int offset(JsonParser parser) {
        // A byte array holds less than 2^31 bytes.
        return (int) parser.currentTokenLocation().getByteOffset();
    }

    /** The body with the edits, which are in body order and do not overlap, applied. */
    static byte[] apply(byte[] body, List<Edit> edits) {
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
}
