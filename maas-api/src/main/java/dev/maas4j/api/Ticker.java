package dev.maas4j.api;

/**
 * A monotonic clock in nanoseconds, for measuring how long something took or how long is left of
 * a timeout (an idle stream, a flush interval), as {@link System#nanoTime()} does. Unlike
 * {@link TimeSource} it says nothing about the time of day: only differences between two readings
 * of one ticker mean anything, and they never go backwards.
 *
 * <p>Components that wait (the usage recorder, the proxy's idle timer) read their ticker instead
 * of {@code System.nanoTime()}, so that a test can move time forward without sleeping:
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * Ticker ticker = now::get;                    // or maas-testing's ManualTicker
 * now.addAndGet(Duration.ofSeconds(5).toNanos());
 * }</pre>
 *
 * <p>Implementations must be thread-safe and should be cheap: a ticker is read on hot paths.
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds since an arbitrary origin, which is fixed for the life of this ticker. */
    long read();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}
