package dev.maas4j.servlet;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Named gates a fake model server waits on until the test opens them, so that a test can hold a
 * response at a chosen point. Waits are bounded: a test that forgets to open a gate never hangs
 * the build. Thread-safe.
 */
final class Gates {
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    /** Opens {@code name}: whoever waits on it, or will, goes on. */
    void release(String name) {
        gate(name).countDown();
    }

    /** Opens every gate there is, as a server does when it stops. */
    void releaseAll() {
        gates.values().forEach(CountDownLatch::countDown);
    }

    /** Waits until {@code name} is opened, at most 20 seconds. */
    void await(String name) throws IOException {
        try {
            gate(name).await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private CountDownLatch gate(String name) {
        return gates.computeIfAbsent(name, n -> new CountDownLatch(1));
    }
}
