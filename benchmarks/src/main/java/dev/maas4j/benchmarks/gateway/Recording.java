package dev.maas4j.benchmarks.gateway;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What each request of a run did: when it was answered, relative to when it was due. Written by the
 * load generator's threads (one writer per request), read once the run is over.
 */
final class Recording {
    private static final int PENDING = 0;
    private static final int OK = 1;
    private static final int FAILED = 2;

    private final int planned;
    private final int firstMeasured;
    private final long[] latency;
    private final long[] firstByte;
    private final long[] lag;
    /** Written last for each request (a volatile write), so the longs above are visible after it. */
    private final AtomicIntegerArray state;
    private volatile String firstError;
    private volatile int connections;

    Recording(int planned, int firstMeasured) {
        this.planned = planned;
        this.firstMeasured = firstMeasured;
        this.latency = new long[planned];
        this.firstByte = new long[planned];
        this.lag = new long[planned];
        this.state = new AtomicIntegerArray(planned);
    }

    /** Request {@code i} left {@code lagNanos} after it was due. */
    void sent(int i, long lagNanos) {
        lag[i] = lagNanos;
    }

    /** Request {@code i} was answered correctly. */
    void ok(int i, long latencyNanos, long firstByteNanos) {
        latency[i] = latencyNanos;
        firstByte[i] = firstByteNanos;
        state.compareAndSet(i, PENDING, OK);
    }

    /** Request {@code i} failed. */
    void failed(int i, String why) {
        if (state.compareAndSet(i, PENDING, FAILED) && firstError == null) {
            firstError = "request " + i + ": " + why;
        }
    }

    void connections(int n) {
        connections = n;
    }

    /** The figures of the measured requests; those never answered count as errors. */
    Stats stats() {
        int measured = planned - firstMeasured;
        long[] lat = new long[measured];
        long[] ttfb = new long[measured];
        long[] lags = new long[measured];
        int ok = 0;
        for (int i = firstMeasured; i < planned; i++) {
            lags[i - firstMeasured] = lag[i];
            if (state.get(i) == OK) {
                lat[ok] = latency[i];
                ttfb[ok] = firstByte[i];
                ok++;
            }
        }
        lat = Arrays.copyOf(lat, ok);
        ttfb = Arrays.copyOf(ttfb, ok);
        Arrays.sort(lat);
        Arrays.sort(ttfb);
        Arrays.sort(lags);
        String error = firstError;
        if (error == null && ok < measured) {
            error = (measured - ok) + " requests unanswered at the end of the drain time";
        }
        return new Stats(measured, ok, measured - ok, lat, ttfb, lags, connections, error);
    }

    /**
     * The measured requests' figures, all samples kept and sorted (exact percentiles).
     *
     * @param measured    requests due in the measurement
     * @param ok          answered correctly
     * @param errors      failed or unanswered
     * @param latency     time to the last byte, from the due time, in ns, sorted
     * @param firstByte   time to the first body byte, from the due time, in ns, sorted
     * @param lag         how late the generator sent, in ns, sorted
     * @param connections connections the generator opened
     * @param firstError  the first error, or null
     */
    record Stats(int measured, int ok, int errors, long[] latency, long[] firstByte, long[] lag, int connections,
                 String firstError) {

        /** The nearest-rank percentile {@code p} (0 to 100) of sorted samples, or -1 without samples. */
        static long percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return -1;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
        }
    }
}
