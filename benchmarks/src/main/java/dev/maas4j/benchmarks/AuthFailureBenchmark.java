package dev.maas4j.benchmarks;

import dev.maas4j.api.Subject;
import dev.maas4j.core.Authentication;
import dev.maas4j.core.InMemoryStore;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.core.MaasEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The two ways a guessed API key is refused, which must take the same time so that a guesser
 * cannot tell whether a key id exists:
 * <ul>
 *   <li>{@code unknownId}: a key id the store does not have, remembered by the negative cache
 *       (the store was asked once, at set-up);</li>
 *   <li>{@code knownIdWrongSecret}: the id of a real key (cached) with a wrong secret.</li>
 * </ul>
 * {@code validKey} (the same key with its secret, authentication only) is the reference.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar AuthFailure -f 1 -wi 3 -i 5}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class AuthFailureBenchmark {
    private MaasEngine engine;
    private String valid;
    private String knownIdWrongSecret;
    private String unknownId;

    @Setup(Level.Trial)
    public void setUp() {
        InMemoryStore store = new InMemoryStore();
        // long enough that neither cache expires during a run
        engine = MaasEngine.builder().store(store).keyCacheTtl(Duration.ofHours(1))
                .negativeCacheTtl(Duration.ofHours(1)).build();
        valid = engine.createKey(KeyRequest.builder(Subject.user("alice"), "bench").build()).secret().reveal();
        knownIdWrongSecret = withOtherSecret(valid);
        // same length and alphabet as a real key, so the format check passes and the id is looked up
        unknownId = "sk-oai-" + "Z".repeat(valid.indexOf('_') - "sk-oai-".length())
                + valid.substring(valid.indexOf('_'));
        for (String key : new String[]{valid, knownIdWrongSecret, unknownId}) {
            // fills the caches: the key cache with the real key, the negative cache with the unknown id
            engine.authenticate(key);
        }
        if (!engine.authenticate(valid).succeeded() || engine.authenticate(knownIdWrongSecret).succeeded()
                || engine.authenticate(unknownId).succeeded()) {
            throw new IllegalStateException("the benchmark's keys do not behave as intended");
        }
    }

    private static String withOtherSecret(String key) {
        char last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public Authentication unknownId() {
        return engine.authenticate(unknownId);
    }

    @Benchmark
    public Authentication knownIdWrongSecret() {
        return engine.authenticate(knownIdWrongSecret);
    }

    @Benchmark
    public Authentication validKey() {
        return engine.authenticate(valid);
    }
}
