package dev.maas4j.core;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.Granularity;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A ledger that stops answering: the buffer fills, new requests are refused, nothing is lost. */
class BackPressureTest {

    /** Delegates to an in-memory ledger once released; until then every append blocks. */
    static final class StuckLedger implements UsageLedger {
        final InMemoryStore delegate = new InMemoryStore();
        final CountDownLatch released = new CountDownLatch(1);

        @Override
        public int append(List<UsageEvent> batch) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return delegate.append(batch);
        }

        @Override
        public UsageTotals totals(UsageQuery query) {
            return delegate.totals(query);
        }

        @Override
        public List<UsageBucket> series(UsageQuery query, Granularity granularity) {
            return delegate.series(query, granularity);
        }

        @Override
        public Map<String, UsageTotals> totalsBy(UsageDimension dimension, UsageQuery query) {
            return delegate.totalsBy(dimension, query);
        }

        @Override
        public void forEach(UsageQuery query, Consumer<UsageEvent> sink) {
            delegate.forEach(query, sink);
        }
    }

    @Test
    void fullUsageBufferRefusesNewRequestsWith503AndLosesNothing() {
        InMemoryStore store = new InMemoryStore();
        store.setGroups("alice", "dev");
        store.putModel(ModelRef.builder("granite").build());
        store.putPolicy(AuthPolicy.of("p", SubjectSet.groups("dev"), "granite"));
        store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev")).model("granite").build());
        StuckLedger ledger = new StuckLedger();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MaasEngine engine = MaasEngine.builder().keyStore(store).catalogStore(store).directory(store)
                .ledger(ledger).meterRegistry(registry).usageBuffer(4, 1).usageFlushInterval(Duration.ofMillis(5))
                .build()) {
            String key = engine.createKey(KeyRequest.builder(Subject.user("alice"), "k").build()).secret().reveal();
            int settled = 0;
            Lease lease;
            while ((lease = engine.admit(AdmissionRequest.builder(key, "granite").build())).allowed()) {
                lease.complete(TokenUsage.reported(1, 1), 200);
                settled++;
                assertTrue(settled < 100, "the buffer of 4 must fill up");
            }
            assertEquals(DenialReason.OVERLOADED, lease.admission().denial().orElseThrow().reason());
            assertEquals(503, lease.admission().denial().orElseThrow().httpStatus());
            assertTrue(lease.admission().denial().orElseThrow().retryAfterSeconds() > 0);
            ledger.released.countDown();
            assertTrue(engine.usage().flush(Duration.ofSeconds(10)));
            assertEquals(settled, ledger.totals(UsageQuery.between(Instant.EPOCH, Instant.MAX)).requests(),
                    "every settled request reached the ledger");
            assertTrue(engine.admit(AdmissionRequest.builder(key, "granite").build()).allowed());
            assertEquals(1.0, registry.get("limited_calls").tag("reason", "overloaded").counter().count());
        }
    }
}
