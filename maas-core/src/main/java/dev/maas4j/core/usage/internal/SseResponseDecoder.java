package dev.maas4j.core.usage.internal;

import java.io.IOException;

/**
 * A {@code text/event-stream} body (the WHATWG server-sent events format): the data of each event
 * is parsed as one JSON document, streamed into the parser line by line as it arrives rather than
 * buffered, so memory does not grow with the event. {@code data: [DONE]} is recognised and
 * skipped; comment, {@code event:}, {@code id:} and {@code retry:} lines are ignored.
 *
 * <p>Lines end with CRLF, LF or CR, and a blank line ends an event; the data lines of one event
 * are joined with {@code \n}. An event whose data exceeds {@code maxEventBytes} is skipped from
 * the point it crosses the limit: this bounds what the parser may buffer (one token at most).
 * Data that is not JSON, or an event that ends inside a JSON value, makes {@link #accept} throw.
 * Not thread-safe.
 */
final class SseResponseDecoder implements ResponseDecoder {

    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] DATA = {'d', 'a', 't', 'a'};
    private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};
    private static final byte[] LINE_FEED = {'\n'};

    // Where the decoder is in the current line.
    /** Before the first line: a UTF-8 byte order mark may come, and is skipped. */
    private static final int BOM = 0;
    private static final int LINE_START = 1;
    /** Reading a field name, comparing it with "data". */
    private static final int FIELD = 2;
    /** Skipping to the end of a line that does not matter. */
    private static final int SKIP_LINE = 3;
    /** Just after "data:", where one space is dropped. */
    private static final int DATA_START = 4;
    /** First data line of an event, while its bytes are a prefix of "[DONE]": held back. */
    private static final int DATA_HOLD = 5;
    /** The first data line was "[DONE]"; only blanks may follow on the line. */
    private static final int DATA_DONE = 6;
    /** Feeding a data line to the parser. */
    private static final int DATA_FEED = 7;

    // What the current event is.
    private static final int EVENT_JSON = 0;
    private static final int EVENT_DONE = 1;
    private static final int EVENT_OVERSIZED = 2;

    private final UsagePathReader reader;
    private final TokenFeed feed;
    private final int maxEventBytes;

    private int state = BOM;
    private int matched;
    /** The last line ended with CR: a LF that follows belongs to it. */
    private boolean crPending;
    private int eventKind = EVENT_JSON;
    private int dataLines;
    private long eventBytes;

    SseResponseDecoder(UsagePathReader reader, int maxEventBytes) throws IOException {
        if (maxEventBytes <= 0) {
            throw new IllegalArgumentException("maxEventBytes must be positive, was " + maxEventBytes);
        }
        this.reader = reader;
        this.feed = new TokenFeed(reader);
        this.maxEventBytes = maxEventBytes;
    }

    @Override
    public void accept(byte[] bytes, int offset, int length) throws IOException {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            byte b = bytes[i];
            if (crPending) {
                crPending = false;
                if (b == '\n') {
                    i++;
                    continue;
                }
            }
            switch (state) {
                case BOM:
                    if (b == BYTE_ORDER_MARK[matched]) {
                        i++;
                        if (++matched == BYTE_ORDER_MARK.length) {
                            state = LINE_START;
                        }
                    } else {
                        // Part of a mark and then something else: a line no field can match.
                        state = matched == 0 ? LINE_START : SKIP_LINE;
                    }
                    break;
                case LINE_START:
                    if (isEndOfLine(b)) {
                        i++;
                        endLine(b);
                        endEvent();
                    } else {
                        state = FIELD;
                        matched = 0;
                    }
                    break;
                case FIELD:
                    i++;
                    if (b == ':') {
                        state = matched == DATA.length ? DATA_START : SKIP_LINE;
                    } else if (isEndOfLine(b)) {
                        // A line holding only a field name: for "data", an empty data line.
                        if (matched == DATA.length) {
                            startDataLine();
                            endDataLine();
                        }
                        endLine(b);
                    } else if (matched < DATA.length && b == DATA[matched]) {
                        matched++;
                    } else {
                        state = SKIP_LINE;
                    }
                    break;
                case SKIP_LINE:
                    i = skipLine(bytes, i, end);
                    break;
                case DATA_START:
                    if (b == ' ') {
                        i++;
                    }
                    startDataLine();
                    break;
                case DATA_HOLD:
                    if (isEndOfLine(b)) {
                        i++;
                        endDataLine();
                        endLine(b);
                    } else if (b == DONE[matched]) {
                        i++;
                        if (++matched == DONE.length) {
                            state = DATA_DONE;
                        }
                    } else {
                        state = DATA_FEED;
                        feedData(DONE, 0, matched);
                    }
                    break;
                case DATA_DONE:
                    if (isEndOfLine(b)) {
                        i++;
                        eventKind = EVENT_DONE;
                        endLine(b);
                    } else if (b == ' ' || b == '\t') {
                        i++;
                    } else {
                        // "[DONE]" followed by more: let the parser reject it.
                        state = DATA_FEED;
                        feedData(DONE, 0, DONE.length);
                    }
                    break;
                case DATA_FEED:
                    int lineEnd = indexOfEndOfLine(bytes, i, end);
                    if (lineEnd < 0) {
                        feedData(bytes, i, end);
                        i = end;
                    } else {
                        feedData(bytes, i, lineEnd);
                        i = lineEnd + 1;
                        endLine(bytes[lineEnd]);
                    }
                    break;
                default:
                    throw new IllegalStateException("state " + state);
            }
        }
    }

    @Override
    public void finish() {
        // Nothing to complete: a usage or text delta comes in an object, read as soon as its
        // closing brace arrives. A last event cut short (no blank line, or data cut inside a value)
        // is a truncated stream, not an unparseable one, and contributes what it completed.
    }

    @Override
    public void close() {
        feed.close();
    }

    private void startDataLine() throws IOException {
        if (eventKind != EVENT_JSON) {
            state = SKIP_LINE;
        } else if (dataLines++ == 0) {
            state = DATA_HOLD;
            matched = 0;
        } else {
            state = DATA_FEED;
            feedData(LINE_FEED, 0, 1);
        }
    }

    /** A data line ends while its bytes are still held back as a possible "[DONE]". */
    private void endDataLine() throws IOException {
        if (state == DATA_HOLD && matched > 0) {
            feedData(DONE, 0, matched);
        }
    }

    private void endLine(byte terminator) {
        crPending = terminator == '\r';
        state = LINE_START;
    }

    private void endEvent() throws IOException {
        if (eventKind == EVENT_JSON && dataLines > 0) {
            // The line feed completes a root scalar the parser may still be waiting on.
            feed.feed(LINE_FEED, 0, 1);
            if (reader.insideDocument()) {
                throw new IOException("an event ended inside a JSON value");
            }
        }
        eventKind = EVENT_JSON;
        dataLines = 0;
        eventBytes = 0;
    }

    private void feedData(byte[] bytes, int start, int end) throws IOException {
        int length = end - start;
        if (eventBytes + length > maxEventBytes) {
            eventKind = EVENT_OVERSIZED;
            state = state == DATA_FEED ? SKIP_LINE : state;
            feed.restart();
            return;
        }
        eventBytes += length;
        feed.feed(bytes, start, end);
    }

    private int skipLine(byte[] bytes, int from, int end) {
        int lineEnd = indexOfEndOfLine(bytes, from, end);
        if (lineEnd < 0) {
            return end;
        }
        endLine(bytes[lineEnd]);
        return lineEnd + 1;
    }

    private static int indexOfEndOfLine(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isEndOfLine(byte b) {
        return b == '\n' || b == '\r';
    }
}
