package dev.maas4j.core.internal;

import dev.maas4j.api.ModelPrice;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A price in a form that costs a request without allocating more than its result: prices per
 * million tokens are aligned to one decimal scale and kept as unscaled longs, so the exact cost is
 * {@code (prompt × p + completion × c) × 10^-(scale+6)}. Budgets count whole nano-units of the
 * currency, rounded up, so a budget is never undercharged.
 */
public final class Pricing {
    /** A free (unpriced) model. */
    public static final Pricing FREE = new Pricing(0, 0, 0, null);

    private final long promptUnscaled;
    private final long completionUnscaled;
    private final int scale;
    private final ModelPrice price;

    private Pricing(long promptUnscaled, long completionUnscaled, int scale, ModelPrice price) {
        this.promptUnscaled = promptUnscaled;
        this.completionUnscaled = completionUnscaled;
        this.scale = scale;
        this.price = price;
    }

    /** Pricing of a model price. */
    public static Pricing of(ModelPrice price) {
        int scale = Math.max(0, Math.max(price.promptPerMillion().scale(), price.completionPerMillion().scale()));
        try {
            return new Pricing(price.promptPerMillion().setScale(scale).unscaledValue().longValueExact(),
                    price.completionPerMillion().setScale(scale).unscaledValue().longValueExact(), scale, price);
        } catch (ArithmeticException tooPrecise) {
            return new Pricing(-1, -1, scale, price);
        }
    }

    /** A flat rate per token (a subscription's billing rate) applied to all tokens. */
    public static Pricing perToken(BigDecimal rate) {
        BigDecimal perMillion = rate.movePointRight(6);
        return of(new ModelPrice(perMillion, perMillion, "USD"));
    }

    /** Whether every request costs nothing. */
    public boolean free() {
        return price == null || (promptUnscaled == 0 && completionUnscaled == 0);
    }

    /** The exact cost. */
    public BigDecimal cost(long promptTokens, long completionTokens) {
        if (price == null) {
            return BigDecimal.ZERO;
        }
        if (promptUnscaled >= 0) {
            try {
                long unscaled = Math.addExact(Math.multiplyExact(promptTokens, promptUnscaled),
                        Math.multiplyExact(completionTokens, completionUnscaled));
                return BigDecimal.valueOf(unscaled, scale + 6);
            } catch (ArithmeticException overflow) {
                // fall through to the BigDecimal path
            }
        }
        return price.cost(promptTokens, completionTokens);
    }

    /** The cost as a double, for metrics only (allocates nothing on the usual path). */
    public double costForMetrics(long promptTokens, long completionTokens) {
        if (free()) {
            return 0;
        }
        if (promptUnscaled >= 0) {
            return ((double) promptTokens * promptUnscaled + (double) completionTokens * completionUnscaled)
                    / Math.pow(10, scale + 6);
        }
        return cost(promptTokens, completionTokens).doubleValue();
    }

    /**
     * The cost in nano-units of the currency, rounded up; {@link Long#MAX_VALUE} when it does not
     * fit in a long (about 9.2 billion units of the currency), so that a reservation or charge
     * beyond any budget is never an overflow or an exception.
     */
    public long costNanos(long promptTokens, long completionTokens) {
        if (free()) {
            return 0;
        }
        if (promptUnscaled >= 0) {
            try {
                long unscaled = Math.addExact(Math.multiplyExact(promptTokens, promptUnscaled),
                        Math.multiplyExact(completionTokens, completionUnscaled));
                int exponent = scale + 6 - 9;
                return exponent >= 0
                        ? -Math.floorDiv(-unscaled, pow10(exponent))
                        : Math.multiplyExact(unscaled, pow10(-exponent));
            } catch (ArithmeticException overflow) {
                // fall through to the BigDecimal path
            }
        }
        try {
            return toNanos(cost(promptTokens, completionTokens));
        } catch (ArithmeticException beyondALong) {
            return Long.MAX_VALUE;
        }
    }

    /** An amount of money in nano-units, rounded up. */
    public static long toNanos(BigDecimal amount) {
        return amount.movePointRight(9).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    private static long pow10(int exponent) {
        if (exponent > 18) {
            throw new ArithmeticException("scale too large");
        }
        long result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= 10;
        }
        return result;
    }
}
