package dev.maas4j.benchmarks.gateway;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The same open-loop schedule as {@link RawHttpLoad}, sent with {@link HttpClient#sendAsync}
 * (HTTP/1.1, its own keep-alive pool, a cached thread pool). Kept to compare what the client
 * itself costs; the raw client is the default because it costs several times less.
 */
final class JdkHttpLoad implements LoadGenerator {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ExecutorService executor;
    private final HttpClient client;

    JdkHttpLoad() {
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loadgen-jdk-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
    }

    @Override
    public Recording run(Scenario scenario, Probe probe) {
        int planned = scenario.planned();
        int firstMeasured = scenario.firstMeasured();
        Recording recording = new Recording(planned, firstMeasured);
        AtomicInteger outstanding = new AtomicInteger();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < planned; i++) {
            if (i == firstMeasured) {
                probe.start();
            }
            long due = start + scenario.dueOffset(i);
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            recording.sent(i, now - due);
            outstanding.incrementAndGet();
            int index = i;
            client.sendAsync(scenario.jdkRequest(), info -> new Body(index, due, info.statusCode(), scenario,
                    recording)).whenComplete((response, failure) -> {
                        if (failure != null) {
                            recording.failed(index, failure.toString());
                        }
                        outstanding.decrementAndGet();
                    });
        }
        if (firstMeasured >= planned) {
            probe.start();
        }
        long deadline = System.nanoTime() + scenario.drain().toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        probe.end();
        return recording;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Notes the first body bytes and the end, checks length and the stream's end. */
    private static final class Body implements HttpResponse.BodySubscriber<Void> {
        private final int index;
        private final long due;
        private final int status;
        private final Scenario scenario;
        private final Recording recording;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final byte[] tail = new byte[DONE.length];
        private long firstByteAt;
        private long bytes;

        Body(int index, long due, int status, Scenario scenario, Recording recording) {
            this.index = index;
            this.due = due;
            this.status = status;
            this.scenario = scenario;
            this.recording = recording;
        }

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int n = item.remaining();
                if (n == 0) {
                    continue;
                }
                if (firstByteAt == 0) {
                    firstByteAt = System.nanoTime();
                }
                // keep the last bytes, to check the stream's end
                int keep = Math.min(n, tail.length);
                System.arraycopy(tail, keep, tail, 0, tail.length - keep);
                item.position(item.limit() - keep);
                item.get(tail, tail.length - keep, keep);
                bytes += n;
            }
        }

        @Override
        public void onError(Throwable throwable) {
            recording.failed(index, throwable.toString());
            done.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            long now = System.nanoTime();
            if (status != 200) {
                recording.failed(index, "status " + status);
            } else if (bytes != scenario.expectedBodyLength()) {
                recording.failed(index, "body of " + bytes + " bytes, expected " + scenario.expectedBodyLength());
            } else if (scenario.stream() && !Arrays.equals(tail, DONE)) {
                recording.failed(index, "the stream did not end with data: [DONE]");
            } else {
                recording.ok(index, now - due, firstByteAt - due);
            }
            done.complete(null);
        }
    }
}
