package dev.maas4j.gateway.logging;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Hides credentials in a formatted log line: the one rule of what a log may not contain. Replaced
 * by {@value #MARK}:
 * <ul>
 *   <li>the value of a credential header or parameter, to the end of its line: {@code Authorization},
 *       {@code Proxy-Authorization}, {@code x-api-key}, {@code api-key}, {@code Cookie},
 *       {@code Set-Cookie}, {@code password}, written {@code name: value} or {@code name=value}
 *       (what Jetty's {@code HttpField}, {@code HttpFields} and raw buffers show); a line also ends
 *       at Jetty's escaped {@code \r} or {@code \n} and at {@code >>>}, the end of a buffer dump;
 *       and Jetty's parser's {@code headerString=[x-api-key], valueString=[…}, also to the end of
 *       the line;</li>
 *   <li>the credential of {@code Bearer <token>} and {@code Basic <base64>}, wherever they stand;</li>
 *   <li>our API keys {@code sk-oai-…} and generated admin tokens {@code maas-admin-…}, but for
 *       their prefix.</li>
 * </ul>
 * In Jetty's buffer dumps ({@code {before<<<content>>>after}}), which show of each part only its
 * first and last bytes with {@code ...} between, and after the limit stale bytes of an earlier
 * request, a cut or a part's start can fall inside a credential and leave a piece of it with nothing
 * around it to recognise. There the text after a cut is hidden to the end of its line, and a run of
 * 6 or more token characters that opens a part is hidden too.
 *
 * <p>Cheap when nothing matches: one pass over the line that stops only at the first two letters of
 * those names (and, in dumps, at {@code . < > =}), no regular expression, and the same
 * {@code String} back, with no allocation. Stateless and thread-safe.
 */
final class Redaction {
    /** What a hidden credential reads as. */
    static final String MARK = "[redacted]";

    /** The credential headers and parameters, by their first two letters (the scan's dispatch). */
    private static final String[] AU = {"authorization"};
    private static final String[] AP = {"api-key", "api_key", "apikey"};
    private static final String[] CO = {"cookie"};
    private static final String[] PA = {"password"};
    private static final String[] SE = {"set-cookie"};
    private static final List<String> HEADER_NAMES = Stream.of(AU, AP, CO, PA, SE).flatMap(Arrays::stream).toList();
    private static final String PAIR = "headerString=[";
    private static final String PAIR_VALUE = "], valueString=[";
    private static final String[] KEY_PREFIXES = {"sk-oai-", "maas-admin-"};
    private static final int MIN_OPENING = 6;
    private static final long NONE = -1;
    /**
     * For each character a credential or its name can start with, the letters that may follow it (bit
     * 0 for {@code a}, either case); {@code -1}: any. Most of a line is passed over at a look-up or two.
     */
    private static final int[] STARTS = starts(false);
    private static final int[] STARTS_IN_DUMP = starts(true);

    private static int[] starts(boolean dump) {
        int[] starts = new int[128];
        for (String pair : List.of("au", "ap", "co", "pa", "se", "sk", "he", "be", "ba", "ma")) {
            int bit = 1 << pair.charAt(1) - 'a';
            starts[pair.charAt(0)] |= bit;
            starts[Character.toUpperCase(pair.charAt(0))] |= bit;
        }
        if (dump) {
            for (char c : ".<>=".toCharArray()) {
                starts[c] = -1;
            }
        }
        return starts;
    }

    private Redaction() {
    }

    /** {@code line} with every credential replaced by {@value #MARK}; {@code line} itself if it has none. */
    static String redact(String line) {
        boolean dump = line.contains("<<<");
        int[] starts = dump ? STARTS_IN_DUMP : STARTS;
        long found = find(line, 0, starts, dump);
        if (found == NONE) {
            return line;
        }
        StringBuilder out = new StringBuilder(line.length() + MARK.length());
        int copied = 0;
        do {
            int keep = (int) (found >>> 32);
            int end = (int) found;
            out.append(line, copied, keep).append(MARK);
            copied = end;
            found = find(line, end, starts, dump);
        } while (found != NONE);
        return out.append(line, copied, line.length()).toString();
    }

    /** The first credential from {@code from} on, as {@link #credentialAt}, or {@link #NONE}. */
    private static long find(String line, int from, int[] starts, boolean dump) {
        for (int i = next(line, from, starts); i < line.length(); i = next(line, i + 1, starts)) {
            long found = credentialAt(line, i, dump);
            if (found != NONE) {
                return found;
            }
        }
        return NONE;
    }

    /** The first index from {@code from} on where a credential may start, or the line's length. */
    private static int next(String line, int from, int[] starts) {
        int n = line.length();
        for (int i = from; i < n; i++) {
            char c = line.charAt(i);
            if (c < 128 && starts[c] != 0 && mayStart(starts[c], line, i + 1)) {
                return i;
            }
        }
        return n;
    }

    private static boolean mayStart(int followers, String line, int next) {
        if (followers == -1) {
            return true;
        }
        int letter = next < line.length() ? lower(line.charAt(next)) - 'a' : -1;
        return letter >= 0 && letter < 26 && (followers >> letter & 1) != 0;
    }

    /**
     * The credential starting at {@code i}: {@code line[i, keep)} stays and {@code line[keep, end)}
     * is hidden, packed as {@code keep << 32 | end}; or {@link #NONE}.
     */
    private static long credentialAt(String line, int i, boolean dump) {
        char next = i + 1 < line.length() ? lower(line.charAt(i + 1)) : 0;
        return switch (lower(line.charAt(i))) {
            case 'a' -> next == 'u' ? header(line, i, AU) : next == 'p' ? header(line, i, AP) : NONE;
            case 'c' -> next == 'o' ? header(line, i, CO) : NONE;
            case 'p' -> next == 'a' ? header(line, i, PA) : NONE;
            case 's' -> next == 'e' ? header(line, i, SE) : next == 'k' ? key(line, i) : NONE;
            case 'h' -> next == 'e' ? pair(line, i) : NONE;
            case 'b' -> next == 'e' || next == 'a' ? scheme(line, i) : NONE;
            case 'm' -> next == 'a' ? key(line, i) : NONE;
            case '.' -> dump && line.startsWith("...", i) ? hide(line, i + 3, valueEnd(line, i + 3)) : NONE;
            case '<', '>' -> dump && (line.startsWith("<<<", i) || line.startsWith(">>>", i)) ? opening(line, i + 3)
                    : NONE;
            case '=' -> dump && next == '{' ? opening(line, i + 2) : NONE;
            default -> NONE;
        };
    }

    /** {@code Authorization: …}, {@code x-api-key=…}: the value, to the end of its line. */
    private static long header(String line, int i, String[] names) {
        if (!wordStart(line, i)) {
            return NONE;
        }
        for (String name : names) {
            if (line.regionMatches(true, i, name, 0, name.length())) {
                int j = i + name.length();
                if (j < line.length() && line.charAt(j) == '"') {
                    j++;
                }
                j = blanks(line, j);
                if (j == line.length() || line.charAt(j) != ':' && line.charAt(j) != '=') {
                    return NONE;
                }
                j = blanks(line, j + 1);
                return hide(line, j, valueEnd(line, j));
            }
        }
        return NONE;
    }

    /** Jetty's parser: {@code headerString=[x-api-key], valueString=[…}, to the end of the line. */
    private static long pair(String line, int i) {
        if (!line.startsWith(PAIR, i)) {
            return NONE;
        }
        int close = line.indexOf(PAIR_VALUE, i);
        if (close < 0 || !credentialHeader(line.substring(i + PAIR.length(), close))) {
            return NONE;
        }
        int value = close + PAIR_VALUE.length();
        int end = value;
        while (end < line.length() && line.charAt(end) != '\r' && line.charAt(end) != '\n') {
            end++;
        }
        return hide(line, value, end);
    }

    /** Whether {@code name} is one of {@link #HEADER_NAMES}, or ends in {@code -} and one ({@code X-Api-Key}). */
    private static boolean credentialHeader(String name) {
        for (String credential : HEADER_NAMES) {
            int at = name.length() - credential.length();
            if (at >= 0 && name.regionMatches(true, at, credential, 0, credential.length())
                    && (at == 0 || name.charAt(at - 1) == '-')) {
                return true;
            }
        }
        return false;
    }

    /** {@code Bearer …}, {@code Basic …}: the credential. */
    private static long scheme(String line, int i) {
        if (!wordStart(line, i)) {
            return NONE;
        }
        int j;
        if (line.regionMatches(true, i, "bearer", 0, 6)) {
            j = i + 6;
        } else if (line.regionMatches(true, i, "basic", 0, 5)) {
            j = i + 5;
        } else {
            return NONE;
        }
        int credential = blanks(line, j);
        if (credential == j) {
            return NONE;
        }
        int end = credential;
        while (end < line.length() && (tokenChar(line.charAt(end)) || ".~/".indexOf(line.charAt(end)) >= 0)) {
            end++;
        }
        return hide(line, credential, end);
    }

    /** {@code sk-oai-…}, {@code maas-admin-…}: all but the prefix. */
    private static long key(String line, int i) {
        for (String prefix : KEY_PREFIXES) {
            if (line.startsWith(prefix, i)) {
                int start = i + prefix.length();
                int end = start;
                while (end < line.length() && keyChar(line.charAt(end))) {
                    end++;
                }
                return hide(line, start, end);
            }
        }
        return NONE;
    }

    /** In a dump, a run of token characters that opens a part may be the rest of a credential. */
    private static long opening(String line, int start) {
        int end = start;
        while (end < line.length() && (tokenChar(line.charAt(end)))) {
            end++;
        }
        return end - start >= MIN_OPENING ? hide(line, start, end) : NONE;
    }

    private static long hide(String line, int keep, int end) {
        return end > keep ? (long) keep << 32 | end : NONE;
    }

    /** A value ends at a line break, Jetty's escaped one ({@code \r}, {@code \n}), or the end of a dump. */
    private static int valueEnd(String line, int start) {
        int end = start;
        while (end < line.length()) {
            char c = line.charAt(end);
            if (c == '\r' || c == '\n' || c == '\\' || c == '>' && line.startsWith(">>>", end)) {
                break;
            }
            end++;
        }
        return end;
    }

    /** Not inside a word; Jetty's escaped line breaks ({@code \r\n}) end one. */
    private static boolean wordStart(String line, int i) {
        if (i == 0 || !Character.isLetterOrDigit(line.charAt(i - 1))) {
            return true;
        }
        return i >= 2 && line.charAt(i - 2) == '\\' && "rnt".indexOf(line.charAt(i - 1)) >= 0;
    }

    private static int blanks(String line, int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean keyChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    /** What base64 and our keys are made of. */
    private static boolean tokenChar(char c) {
        return keyChar(c) || c == '+' || c == '=';
    }

    /** Lower case for ASCII letters; {@code . < > =} and other characters stay as they are. */
    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
