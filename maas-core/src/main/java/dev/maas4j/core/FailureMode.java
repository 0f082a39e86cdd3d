package dev.maas4j.core;

/**
 * What the engine does when a shared store it needs for a decision (the distributed limit
 * backend, the key store on a cache miss) fails.
 */
public enum FailureMode {
    /**
     * Refuse with 503 ({@code store_unavailable}). Quotas and budgets are never exceeded; callers
     * see errors during the outage. The default.
     */
    FAIL_CLOSED,
    /**
     * Keep serving: keys already in the cache are still verified (a key never seen cannot be, and
     * is refused with 503), and limits are enforced per process by an in-memory backend until the
     * shared one answers again. During the outage each replica enforces the full limit on its own,
     * so a quota can be exceeded by up to {@code replicas − 1} times itself.
     */
    FAIL_OPEN
}
