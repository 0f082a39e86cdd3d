package dev.maas4j.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Named gates a fake server waits on until the test opens them, so that a test can hold a
 * response at a chosen point: {@link FakeOpenAiUpstream} holds a stream after its first chunk
 * until the gate named by {@code X-Test-Gate} opens.
 *
 * <pre>{@code
 * Gates gates = new Gates();
 * // in the server: gates.await("first");
 * gates.release("first");   // whoever waits on it, or will, goes on
 * }</pre>
 *
 * <p>Waits are bounded ({@link #MAX_WAIT}): a test that forgets to open a gate never hangs the
 * build. Thread-safe.
 */
public final class Gates {
    /** The longest {@link #await} waits for a gate before going on anyway. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(20);

    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    /** Opens {@code name}: whoever waits on it, or will, goes on. */
    public void release(String name) {
        gate(name).countDown();
    }

    /** Opens every gate there is, as a server does when it stops. */
    public void releaseAll() {
        gates.values().forEach(CountDownLatch::countDown);
    }

    /**
     * Waits until {@code name} is opened, at most {@link #MAX_WAIT}.
     *
     * @return whether it was opened (rather than the wait running out)
     * @throws IOException if interrupted, as a server's handler would fail
     */
    public boolean await(String name) throws IOException {
        try {
            return gate(name).await(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private CountDownLatch gate(String name) {
        return gates.computeIfAbsent(name, n -> new CountDownLatch(1));
    }
}
