package dev.maas4j.api;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount of money that may be spent per calendar period.
 *
 * @param amount the amount, positive, in the currency of the model prices
 * @param period the period over which it is spent
 */
public record Budget(BigDecimal amount, BudgetPeriod period) {

    /** Validates the components. */
    public Budget {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(period, "period");
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("budget amount must be positive, was " + amount);
        }
    }

    /** A budget of {@code amount} per {@code period}. */
    public static Budget of(String amount, BudgetPeriod period) {
        return new Budget(new BigDecimal(amount), period);
    }
}
