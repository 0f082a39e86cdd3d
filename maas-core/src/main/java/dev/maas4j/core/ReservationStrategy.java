package dev.maas4j.core;

/**
 * How many tokens (and how much money) a request sets aside before the model answers.
 *
 * <p>Tokens are only known once the model has answered, so a limit checked before a request and
 * charged after it can be overshot by the requests in flight. Every strategy reconciles to the
 * real usage exactly once when the request is settled (refund or extra charge). With {@code N}
 * requests in flight against one window of capacity {@code C}, each reserving {@code r_i} and
 * really using {@code u_i}, the window can be exceeded by at most {@code Σ max(0, u_i − r_i)}
 * (reservations are capped at {@code C}, so a single request larger than the whole window is
 * admitted only when the window is full). Each strategy bounds that sum differently:
 */
public enum ReservationStrategy {
    /**
     * Reserve the worst case: prompt estimate plus {@code max_tokens} (or the engine's default
     * maximum when the request gives none). Never overshoots beyond the prompt estimation error
     * and the capping at window capacity; denies more often while actual spend is low.
     */
    WORST_CASE,
    /**
     * Reserve the prompt estimate plus the expected completion ({@code min(max_tokens,
     * expectedOutputTokens)}). Overshoot with {@code N} requests in flight is at most
     * {@code N × (max_tokens − expectedOutputTokens)} plus prompt estimation error; fewer false
     * denials. The default.
     */
    EXPECTED,
    /**
     * Reserve nothing; admit while the window is not exhausted and charge after the fact, as
     * Kuadrant, Envoy and LiteLLM do. Overshoot with {@code N} requests in flight is at most
     * {@code N × (prompt + max_tokens)}: unbounded when requests give no {@code max_tokens}.
     */
    POST_PAID
}
