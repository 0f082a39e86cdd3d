package dev.maas4j.core;

import dev.maas4j.api.DenialReason;
import dev.maas4j.api.TokenUsage;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureModeTest {

    /** A shared backend that can be switched off, standing in for an unreachable database. */
    static final class SwitchableBackend implements LimitBackend {
        final AtomicBoolean down = new AtomicBoolean();
        final LimitBackend delegate;

        SwitchableBackend(dev.maas4j.api.TimeSource time) {
            delegate = new dev.maas4j.core.internal.LocalLimitBackend(time);
        }

        @Override
        public Bucket bucket(String key, BucketConfiguration configuration, Duration idleTtl) {
            if (down.get()) {
                throw new IllegalStateException("limit store: connection refused");
            }
            return delegate.bucket(key, configuration, idleTtl);
        }
    }

    @Test
    void failClosedRefusesWith503WhileTheLimitBackendIsDown() {
        dev.maas4j.api.ManualTimeSource time = new dev.maas4j.api.ManualTimeSource(EngineFixture.START);
        SwitchableBackend shared = new SwitchableBackend(time);
        try (EngineFixture f = new EngineFixture(b -> b.limitBackend(shared))) {
            String key = f.key("alice");
            assertTrue(f.admit(key, "granite").allowed());
            shared.down.set(true);
            Lease refused = f.admit(key, "granite");
            assertEquals(DenialReason.STORE_UNAVAILABLE, refused.admission().denial().orElseThrow().reason());
            assertEquals(503, refused.admission().denial().orElseThrow().httpStatus());
            shared.down.set(false);
            assertTrue(f.admit(key, "granite").allowed());
        }
    }

    @Test
    void failOpenEnforcesLimitsLocallyWhileTheLimitBackendIsDown() {
        dev.maas4j.api.ManualTimeSource time = new dev.maas4j.api.ManualTimeSource(EngineFixture.START);
        SwitchableBackend shared = new SwitchableBackend(time);
        try (EngineFixture f = new EngineFixture(b -> b.limitBackend(shared).failureMode(FailureMode.FAIL_OPEN)
                .reservationStrategy(ReservationStrategy.POST_PAID))) {
            String key = f.key("alice");
            Lease before = f.admit(key, "granite");
            shared.down.set(true);
            assertTrue(before.complete(TokenUsage.reported(10, 10), 200), "settling survives the outage");
            Lease during = f.admit(key, "granite", 500, 500);
            assertTrue(during.allowed(), "fail open keeps serving");
            during.complete(TokenUsage.reported(500, 500), 200);
            assertFalse(f.admit(key, "granite").allowed(), "the local window of 1,000 tokens is enforced");
        }
    }
}
