package dev.maas4j.core.internal;

import java.math.BigInteger;

/** Base62 text for random bytes: letters and digits only, so keys survive copy, paste and URLs. */
public final class Base62 {
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final BigInteger BASE = BigInteger.valueOf(62);

    private Base62() {
    }

    /**
     * Encodes {@code bytes} as an unsigned number, left-padded with {@code 0} to {@code length}
     * characters so that every value of the same byte length has the same text length.
     */
    public static String encode(byte[] bytes, int length) {
        BigInteger value = new BigInteger(1, bytes);
        char[] out = new char[length];
        for (int i = length - 1; i >= 0; i--) {
            BigInteger[] qr = value.divideAndRemainder(BASE);
            out[i] = ALPHABET[qr[1].intValue()];
            value = qr[0];
        }
        if (value.signum() != 0) {
            throw new IllegalArgumentException("length " + length + " is too short for " + bytes.length + " bytes");
        }
        return new String(out);
    }

    /** Characters needed to encode {@code byteCount} bytes. */
    public static int lengthFor(int byteCount) {
        return (int) Math.ceil(byteCount * 8 / (Math.log(62) / Math.log(2)));
    }

    /** Whether {@code c} is a base62 character. */
    public static boolean isBase62(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
