package dev.maas4j.api;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The price of a model per million tokens. Costs computed from it are exact: no floating point.
 *
 * @param promptPerMillion     price of one million prompt (input) tokens, not negative
 * @param completionPerMillion price of one million completion (output) tokens, not negative
 * @param currency             an ISO 4217 code or any label, e.g. {@code USD}
 */
public record ModelPrice(BigDecimal promptPerMillion, BigDecimal completionPerMillion, String currency) {

    /** Validates the components. */
    public ModelPrice {
        Objects.requireNonNull(promptPerMillion, "promptPerMillion");
        Objects.requireNonNull(completionPerMillion, "completionPerMillion");
        currency = Checks.notBlank(currency, "currency");
        if (promptPerMillion.signum() < 0 || completionPerMillion.signum() < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
        promptPerMillion = promptPerMillion.stripTrailingZeros();
        completionPerMillion = completionPerMillion.stripTrailingZeros();
    }

    /** A price in US dollars per million tokens, e.g. {@code usd("0.15", "0.60")}. */
    public static ModelPrice usd(String promptPerMillion, String completionPerMillion) {
        return new ModelPrice(new BigDecimal(promptPerMillion), new BigDecimal(completionPerMillion), "USD");
    }

    /** The exact cost of the given token counts. */
    public BigDecimal cost(long promptTokens, long completionTokens) {
        return promptPerMillion.multiply(BigDecimal.valueOf(promptTokens))
                .add(completionPerMillion.multiply(BigDecimal.valueOf(completionTokens)))
                .movePointLeft(6);
    }
}
