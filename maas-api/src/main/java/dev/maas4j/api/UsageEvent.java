package dev.maas4j.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The record of one admitted request, written to the {@link UsageLedger} exactly once.
 *
 * @param requestId     unique id of the request; the ledger is idempotent on it
 * @param keyId         the API key's id
 * @param user          the user the request acted as
 * @param groups        the user's groups at admission
 * @param subscription  the subscription charged
 * @param model         the model's name
 * @param endpoint      the kind of endpoint called
 * @param usage         the tokens, reported or estimated
 * @param cost          the exact cost from the model's price, zero for unpriced models
 * @param httpStatus    the status returned to the client
 * @param outcome       how the request ended
 * @param startedAt     when it was admitted
 * @param endedAt       when it was settled
 * @param streamed      whether the response was streamed
 * @param chargeback    the subscription's chargeback metadata
 * @param anomalous     whether the upstream reported more tokens than the request could have produced
 *                      (see the engine's usage bound), so that {@code usage} and {@code cost} are the
 *                      bound it was clamped to, not what the upstream claimed
 */
public record UsageEvent(String requestId, String keyId, String user, Set<String> groups, String subscription,
                         String model, EndpointKind endpoint, TokenUsage usage, BigDecimal cost, int httpStatus,
                         Outcome outcome, Instant startedAt, Instant endedAt, boolean streamed,
                         TokenMetadata chargeback, boolean anomalous) {

    /** Validates the components. */
    public UsageEvent {
        requestId = Checks.notBlank(requestId, "requestId");
        keyId = Checks.notBlank(keyId, "keyId");
        user = Checks.notBlank(user, "user");
        groups = Checks.set(groups, "groups");
        subscription = Checks.notBlank(subscription, "subscription");
        model = Checks.notBlank(model, "model");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(chargeback, "chargeback");
    }

    /** An event whose usage was not clamped ({@code anomalous} false): the components as before it was added. */
    public UsageEvent(String requestId, String keyId, String user, Set<String> groups, String subscription,
                      String model, EndpointKind endpoint, TokenUsage usage, BigDecimal cost, int httpStatus,
                      Outcome outcome, Instant startedAt, Instant endedAt, boolean streamed,
                      TokenMetadata chargeback) {
        this(requestId, keyId, user, groups, subscription, model, endpoint, usage, cost, httpStatus, outcome,
                startedAt, endedAt, streamed, chargeback, false);
    }

    /** Prompt tokens. */
    public long promptTokens() {
        return usage.promptTokens();
    }

    /** Completion tokens. */
    public long completionTokens() {
        return usage.completionTokens();
    }

    /** Prompt plus completion tokens. */
    public long totalTokens() {
        return usage.totalTokens();
    }

    /** Whether the token counts are an estimate rather than reported by the model. */
    public boolean estimated() {
        return usage.estimated();
    }

    /** Whether the request succeeded (outcome {@link Outcome#SUCCESS} and a status below 400). */
    public boolean successful() {
        return outcome == Outcome.SUCCESS && httpStatus < 400;
    }
}
