package dev.maas4j.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Things in progress per client address (the filter's body reads, the gateway's open connections),
 * each bounded the same way:
 * {@link #tryAcquire} takes one unless the address already holds {@code limit}, {@link #release}
 * gives it back. Thread-safe without a global lock (a concurrent map's per-bin locking); an address
 * holding nothing has no entry, and counts below 128 are boxed without allocating.
 */
public final class AddressCounts {
    private static final BiFunction<String, Integer, Integer> INCREMENT = (address, n) -> n == null ? 1 : n + 1;
    private static final BiFunction<String, Integer, Integer> DECREMENT = (address, n) -> n == null || n <= 1 ? null
            : n - 1;

    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

    /** Takes one for {@code address} and returns whether it was within {@code limit}; if not, nothing is held. */
    public boolean tryAcquire(String address, int limit) {
        if (counts.compute(address, INCREMENT) > limit) {
            counts.compute(address, DECREMENT);
            return false;
        }
        return true;
    }

    /** Takes one for {@code address} whatever it holds, and returns how many it holds now. */
    public int acquire(String address) {
        return counts.compute(address, INCREMENT);
    }

    /** Gives one back. */
    public void release(String address) {
        counts.compute(address, DECREMENT);
    }

    /** How many {@code address} holds. */
    public int held(String address) {
        Integer n = counts.get(address);
        return n == null ? 0 : n;
    }
}
