package dev.maas4j.core;

/**
 * How many tokens (and how much money) a request sets aside before the model answers.
 *
 * <p>Tokens are only known once the model has answered, so a limit checked before a request and
 * charged after it can be overshot by the requests in flight. Every strategy reconciles to the
 * real usage exactly once when the request is settled (refund or extra charge). With {@code N}
 * requests in flight against one window of capacity {@code C}, each reserving {@code r_i} and
 * really using {@code u_i}, the window can be exceeded by at most {@code Σ max(0, u_i − r_i)}.
 * Each strategy bounds that sum differently. Below, {@code p} is the prompt estimate (text, framing
 * and media parts, see {@link dev.maas4j.core.usage.RequestInfo}) and {@code P} the real prompt;
 * {@code m} is {@code max_tokens} per choice (the engine's default maximum when the request gives
 * none); {@code k} the choices ({@code max(n, best_of, 1)}, {@link dev.maas4j.api.AdmissionRequest#choices()});
 * {@code M} what a choice may really produce: {@code m} when the request gives it, else the
 * engine's usage-bound ceiling ({@link MaasEngine.Builder#usageBoundCompletionCeiling}).
 *
 * <p>Whatever the strategy, reported usage is believed only up to {@code P ≤ 4p + 4,096} and
 * {@code M × k} completion tokens (the engine's usage bound): beyond, it is charged at the bound
 * and flagged anomalous, so {@code P − p ≤ 3p + 4,096}. Budgets are bounded alike in money.
 */
public enum ReservationStrategy {
    /**
     * Reserve the worst case, {@code p + m × k}, never capped at a limit. A request whose worst
     * case exceeds the whole capacity of one of its token windows, or whose price exceeds a whole
     * budget, can never fit and is refused up front with
     * {@link dev.maas4j.api.DenialReason#REQUEST_EXCEEDS_LIMIT} (400). Overshoot of one request:
     * {@code max(0, P − p)}, the prompt-estimation error, plus {@code (M − m) × k} when the request
     * gives no {@code max_tokens} (the model may go past the default assumed). Denies more often
     * while actual spend is low.
     */
    WORST_CASE,
    /**
     * Reserve the prompt estimate plus the expected completion of every choice,
     * {@code p + min(m, expectedOutputTokens) × k}, capped at a window's capacity (a request
     * larger than a window is admitted only into a full one). Overshoot of one request:
     * {@code (P − p) + (M − min(m, expectedOutputTokens)) × k}, plus what it reserves beyond the
     * capacity; fewer false denials. The default.
     */
    EXPECTED,
    /**
     * Reserve nothing; admit while the window is not exhausted and charge after the fact, as
     * Kuadrant, Envoy and LiteLLM do. Overshoot of one request: its whole usage, {@code P + M × k}.
     */
    POST_PAID
}
