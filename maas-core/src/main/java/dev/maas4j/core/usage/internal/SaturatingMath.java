package dev.maas4j.core.usage.internal;

/**
 * Arithmetic on non-negative counts (tokens, nano-units of money) that stops at
 * {@link Long#MAX_VALUE} instead of overflowing: a request asking for absurd amounts is then
 * refused or clamped like any other too-large request, never turned into a negative number or an
 * exception. Allocation-free.
 */
public final class SaturatingMath {
    private SaturatingMath() {
    }

    /** {@code a + b} for non-negative values, at most {@link Long#MAX_VALUE}. */
    public static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** {@code a × b} for non-negative values, at most {@link Long#MAX_VALUE}. */
    public static long multiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }
}
