package dev.maas4j.servlet.internal;

import dev.maas4j.api.DurationText;
import dev.maas4j.api.TimeSource;
import dev.maas4j.core.AddressCounts;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reads request bodies within bounds, on the calling (servlet) thread: at most {@code maxBytes};
 * the whole body within {@code deadline}; after a short grace period at no less than
 * {@code minBytesPerSecond} on average; and at most {@code maxConcurrentPerAddress} reads at a time
 * from one client address, so that one address cannot hold every container thread with slow bodies.
 * Memory grows with the bytes that arrived, never with the length a client declared.
 *
 * <p>The deadline and the rate are checked whenever bytes arrive; a client that sends nothing at
 * all is cut by the container's own idle timeout. Thread-safe; the per-address counts are kept in
 * a concurrent map without a global lock, and an address with no read in progress has no entry.
 */
public final class BodyReader {
    /** The first bytes of a body may wait for a round trip (an {@code Expect: 100-continue}, say). */
    private static final long GRACE_NANOS = Duration.ofSeconds(2).toNanos();
    private static final int FIRST_BUFFER = 16 * 1024;
    private static final int DRAIN_BUFFER = 64 * 1024;

    private final long maxBytes;
    private final long deadlineNanos;
    private final long minBytesPerSecond;
    private final int maxConcurrentPerAddress;
    private final TimeSource clock;
    private final AddressCounts readsByAddress = new AddressCounts();

    /**
     * @param maxBytes                the longest body accepted
     * @param deadline                the longest a whole body may take to arrive
     * @param minBytesPerSecond       the slowest average rate accepted after the grace period (0: any)
     * @param maxConcurrentPerAddress reads in progress per client address (0: no bound)
     * @param clock                   measures the time a body takes (the engine's)
     */
    public BodyReader(long maxBytes, Duration deadline, long minBytesPerSecond, int maxConcurrentPerAddress,
                      TimeSource clock) {
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.deadlineNanos = deadline.toNanos();
        this.minBytesPerSecond = minBytesPerSecond;
        this.maxConcurrentPerAddress = maxConcurrentPerAddress;
    }

    /** What came of reading a body. */
    public sealed interface Result permits Body, TooLarge, TooSlow, Busy, Failed {
    }

    /** The whole body. */
    public record Body(byte[] bytes) implements Result {
    }

    /** The body is longer than the limit (declared, or counted as it arrived). */
    public record TooLarge(long limit) implements Result {
    }

    /** The body missed the deadline or the minimum rate. */
    public record TooSlow(String why) implements Result {
    }

    /** The client's address already has the most body reads in progress it may have. */
    public record Busy(int limit) implements Result {
    }

    /** Reading failed: the client went away, or the container's idle timeout ended the read. */
    public record Failed(IOException cause) implements Result {
    }

    /** The longest body accepted. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Reads the whole body of {@code request}. */
    public Result read(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            return new TooLarge(maxBytes);
        }
        if (declared == 0) {
            return new Body(new byte[0]);
        }
        String address = request.getRemoteAddr();
        if (maxConcurrentPerAddress > 0 && address != null
                && !readsByAddress.tryAcquire(address, maxConcurrentPerAddress)) {
            return new Busy(maxConcurrentPerAddress);
        }
        try {
            return readBounded(request.getInputStream(), declared);
        } catch (IOException e) {
            return new Failed(e);
        } finally {
            if (maxConcurrentPerAddress > 0 && address != null) {
                readsByAddress.release(address);
            }
        }
    }

    private Result readBounded(InputStream in, long declared) throws IOException {
        long limit = declared >= 0 ? declared : maxBytes + 1;
        byte[] buffer = new byte[(int) Math.min(limit, FIRST_BUFFER)];
        int size = 0;
        long started = clock.epochNanos();
        while (size < limit) {
            if (size == buffer.length) {
                // grow with what arrived, never to the declared length up front
                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, (long) buffer.length * 2));
            }
            int n = in.read(buffer, size, buffer.length - size);
            if (n < 0) {
                break;
            }
            size += n;
            String late = lateness(size, clock.epochNanos() - started);
            if (late != null) {
                return new TooSlow(late);
            }
        }
        if (size > maxBytes) {
            return new TooLarge(maxBytes);
        }
        return new Body(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
    }

    /** Why a body that has sent {@code bytes} in {@code elapsedNanos} is too slow, or null. */
    private String lateness(long bytes, long elapsedNanos) {
        if (elapsedNanos > deadlineNanos) {
            return "the request body did not arrive within " + DurationText.format(Duration.ofNanos(deadlineNanos));
        }
        if (minBytesPerSecond > 0 && elapsedNanos > GRACE_NANOS
                && bytes < (double) minBytesPerSecond * (elapsedNanos - GRACE_NANOS) / 1e9) {
            return "the request body arrived slower than " + minBytesPerSecond + " bytes per second";
        }
        return null;
    }

    /**
     * Reads and discards what remains of a refused body, up to {@code limit} bytes and within the
     * same deadline and rate, so that a client still sending it reads the refusal instead of a
     * connection reset (the container closes a connection whose body is left unread). Does nothing
     * for a body declared longer than {@code limit}, or one that waits for {@code 100 Continue}
     * (reading would ask the client to send it).
     */
    public void drain(HttpServletRequest request, long limit) {
        long declared = request.getContentLengthLong();
        String expect = request.getHeader("Expect");
        if (declared == 0 || declared > limit || (expect != null && expect.regionMatches(true, 0, "100", 0, 3))) {
            return;
        }
        try {
            InputStream in = request.getInputStream();
            byte[] sink = new byte[DRAIN_BUFFER];
            long total = 0;
            long started = clock.epochNanos();
            int n;
            while (total <= limit && (n = in.read(sink)) >= 0) {
                total += n;
                if (lateness(total, clock.epochNanos() - started) != null) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away: nothing left to protect
        }
    }

    /** Body reads in progress from {@code address} (for tests and metrics). */
    public int readsInProgress(String address) {
        return readsByAddress.held(address);
    }
}
