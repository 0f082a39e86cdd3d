package dev.maas4j.benchmarks.gateway;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * One open-loop run: requests to one target at a fixed rate, scheduled at
 * {@code start + i / rate}, first for the warm-up (not measured), then for the measurement.
 *
 * @param target             {@code direct} or {@code gateway}
 * @param stream             whether the requests ask for a streamed answer
 * @param rate               requests per second
 * @param warmup             the warm-up
 * @param measure            the measured part
 * @param drain              how long to wait for answers after the last request is sent; unanswered ones are errors
 * @param address            where to connect (loopback)
 * @param rawRequest         the whole HTTP/1.1 request, for the raw client
 * @param jdkRequest         the same request, for {@link java.net.http.HttpClient}
 * @param expectedBodyLength the length of a correct answer's body
 */
record Scenario(String target, boolean stream, double rate, Duration warmup, Duration measure, Duration drain,
                InetSocketAddress address, byte[] rawRequest, HttpRequest jdkRequest, int expectedBodyLength) {

    /** Requests sent in all (warm-up and measurement). */
    int planned() {
        return (int) Math.round(rate * (warmup.toNanos() + measure.toNanos()) / 1e9);
    }

    /** The index of the first measured request. */
    int firstMeasured() {
        return (int) Math.round(rate * warmup.toNanos() / 1e9);
    }

    /** When request {@code i} is due, in nanoseconds after the start. */
    long dueOffset(int i) {
        return Math.round(i * 1e9 / rate);
    }

    /** {@code non-streamed} or {@code streamed}. */
    String mode() {
        return stream ? "streamed" : "non-streamed";
    }
}
