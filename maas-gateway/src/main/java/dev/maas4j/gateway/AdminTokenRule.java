package dev.maas4j.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The rule a configured admin token ({@code admin.token} or {@code MAAS_ADMIN_TOKEN}) must pass:
 * at least {@value #MIN_LENGTH} characters, of which at least {@value #MIN_UNGUESSABLE} are left
 * once the guessable parts are taken out. Guessable parts are, case-insensitively:
 * <ul>
 *   <li>a repeat: four or more characters that repeat the unit of 1 to 16 characters just before
 *       them ({@code aaaa…}, {@code abcabcabc…}, {@code password…password});</li>
 *   <li>a run of four or more consecutive digits or letters, up or down ({@code 12345678},
 *       {@code abcd}, {@code 9876});</li>
 *   <li>four or more neighbouring keys of a keyboard row, either way ({@code qwerty}, {@code asdf},
 *       {@code 7890});</li>
 *   <li>a common word of {@link #WORDS} ({@code password}, {@code admin}, {@code secret},
 *       {@code changeme}, {@code letmein}…), also with {@code 0 @ 3 $ 1} for {@code o a e s i}.</li>
 * </ul>
 * At each position the longest guessable part starting there is skipped; any other character
 * counts as unguessable.
 *
 * <p>A random token is never refused in practice. Random hex is the worst case (the smallest
 * alphabet makes runs and repeats likeliest): of 10 million random 32-character hex tokens, 1.5% had
 * one guessable part (95% of them exactly 4 characters), 0.009% two, 2 tokens three, and none lost
 * more than 12 of its 32 characters. To be refused, 21 must go: five parts or more, one of them
 * longer than 4, which at the sampled rate (0.0156 parts per token, Poisson, which overstates the
 * three-part count) is about 2·10<sup>-12</sup> per token. Longer tokens are safer still.
 * {@code AdminTokenRuleTest} checks 280,000 random hex and base64 tokens on every run.
 *
 * <p>The generated token ({@code maas-admin-} and 48 hex digits) is not checked: it is random.
 * Stateless and thread-safe.
 */
final class AdminTokenRule {
    /** The shortest admin token accepted. */
    static final int MIN_LENGTH = 32;
    /** How many characters must be left once the guessable parts are taken out. */
    static final int MIN_UNGUESSABLE = 12;
    /** The shortest run, keyboard sequence or repeat counted as guessable. */
    private static final int MIN_PART = 4;
    private static final int MAX_UNIT = 16;

    /** Common words of leaked password lists, and this product's own words. */
    static final List<String> WORDS = List.of("password", "passwd", "admin", "administrator", "secret",
            "changeme", "change", "letmein", "qwerty", "welcome", "default", "master", "monkey", "dragon",
            "iloveyou", "sunshine", "princess", "football", "baseball", "superman", "trustno", "login",
            "token", "maas", "gateway");

    /** Keyboard rows (and the columns of a US layout), each also backwards. */
    private static final List<String> KEYBOARD_ROWS = withReversed("`1234567890-=", "qwertyuiop[]\\",
            "asdfghjkl;'", "zxcvbnm,./", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/");

    private static final String HOW = "use a random one, e.g. `openssl rand -hex 32`, or leave it unset to have "
            + "one generated at start";

    /** Every pair of neighbouring keys, so that most positions are ruled out by one look-up. */
    private static final Set<String> KEYBOARD_NEIGHBOURS = KEYBOARD_ROWS.stream()
            .flatMap(row -> IntStream.range(0, row.length() - 1).mapToObj(i -> row.substring(i, i + 2)))
            .collect(Collectors.toUnmodifiableSet());

    private AdminTokenRule() {
    }

    /**
     * Throws if {@code token} is too weak for the management API's admin. The message names the
     * setting and says how to make a good token; it never contains the token.
     *
     * @throws IllegalArgumentException if the token is shorter than {@value #MIN_LENGTH} characters
     *                                  or mostly guessable
     */
    static void requireStrong(String token) {
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("admin.token (MAAS_ADMIN_TOKEN) is too short: it needs at least "
                    + MIN_LENGTH + " characters; " + HOW);
        }
        if (unguessable(token) < MIN_UNGUESSABLE) {
            throw new IllegalArgumentException("admin.token (MAAS_ADMIN_TOKEN) is too easy to guess: it is mostly "
                    + "repeats, runs such as 1234 or qwerty, or common words such as password; " + HOW);
        }
    }

    /** How many characters of {@code token} are left once the guessable parts are taken out. */
    static int unguessable(String token) {
        String lower = token.toLowerCase(Locale.ROOT);
        String plain = unLeet(lower);
        int count = 0;
        int i = 0;
        while (i < lower.length()) {
            int part = Math.max(Math.max(word(plain, i), run(lower, i)), Math.max(keyboard(lower, i), repeat(lower, i)));
            if (part > 0) {
                i += part;
            } else {
                count++;
                i++;
            }
        }
        return count;
    }

    private static int word(String s, int at) {
        int longest = 0;
        for (String word : WORDS) {
            if (word.length() > longest && s.startsWith(word, at)) {
                longest = word.length();
            }
        }
        return longest;
    }

    /** Consecutive digits or letters, up or down: {@code 2345}, {@code dcba}. */
    private static int run(String s, int at) {
        int longest = 0;
        for (int step : new int[] {1, -1}) {
            int end = at + 1;
            while (end < s.length() && s.charAt(end) - s.charAt(end - 1) == step
                    && sameClass(s.charAt(end), s.charAt(at))) {
                end++;
            }
            longest = Math.max(longest, end - at);
        }
        return longest >= MIN_PART ? longest : 0;
    }

    private static boolean sameClass(char a, char b) {
        return Character.isDigit(a) && Character.isDigit(b)
                || a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z';
    }

    /** Neighbouring keys of one row, either way: {@code qwer}, {@code lkjh}. */
    private static int keyboard(String s, int at) {
        if (at + 1 >= s.length() || !KEYBOARD_NEIGHBOURS.contains(s.substring(at, at + 2))) {
            return 0;
        }
        int longest = 0;
        for (String row : KEYBOARD_ROWS) {
            int from = row.indexOf(s.charAt(at));
            if (from < 0) {
                continue;
            }
            int n = 1;
            while (at + n < s.length() && from + n < row.length() && s.charAt(at + n) == row.charAt(from + n)) {
                n++;
            }
            longest = Math.max(longest, n);
        }
        return longest >= MIN_PART ? longest : 0;
    }

    /** Characters from {@code at} on that repeat the unit of 1 to 16 characters just before them. */
    private static int repeat(String s, int at) {
        int longest = 0;
        for (int unit = 1; unit <= Math.min(MAX_UNIT, at); unit++) {
            int n = 0;
            while (at + n < s.length() && s.charAt(at + n) == s.charAt(at + n - unit)) {
                n++;
            }
            longest = Math.max(longest, n);
        }
        return longest >= MIN_PART ? longest : 0;
    }

    private static List<String> withReversed(String... rows) {
        List<String> all = new java.util.ArrayList<>();
        for (String row : rows) {
            all.add(row);
            all.add(new StringBuilder(row).reverse().toString());
        }
        return List.copyOf(all);
    }

    /** {@code p@$$w0rd} reads as {@code password}; only the word check uses it. */
    private static String unLeet(String lower) {
        StringBuilder plain = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            plain.append(switch (c) {
                case '0' -> 'o';
                case '@' -> 'a';
                case '3' -> 'e';
                case '$' -> 's';
                case '1' -> 'i';
                default -> c;
            });
        }
        return plain.toString();
    }
}
