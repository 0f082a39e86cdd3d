package dev.maas4j.core.internal;

import dev.maas4j.api.Denial;
import dev.maas4j.api.RateLimitStatus;

/**
 * A request a limit refused (429 with the limit's {@code Retry-After}, 400 for one that can never
 * fit, 503 when limits cannot be checked); nothing stays reserved.
 *
 * @param denial why
 * @param status the limit that refused it, for the {@code x-ratelimit-*} headers
 */
public record LimitRefusal(Denial denial, RateLimitStatus status) implements ReserveResult {
}
