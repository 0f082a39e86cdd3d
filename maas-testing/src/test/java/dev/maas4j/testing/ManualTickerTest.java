package dev.maas4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ManualTicker}, its {@link ManualScheduler} and {@link ManualClock}. */
class ManualTickerTest {
    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = ticker.scheduler();
    private final List<String> ran = new ArrayList<>();

    @Test
    void theTickerMovesOnlyWhenAdvanced() {
        assertEquals(0, ticker.read());
        ticker.advance(Duration.ofMillis(1500));
        assertEquals(1_500_000_000L, ticker.read());
        assertEquals(7, new ManualTicker(7).read());
        assertThrows(IllegalArgumentException.class, () -> ticker.advance(Duration.ofNanos(-1)));
    }

    @Test
    void delayedTasksRunWhenTheirTimeIsPassedInOrderAndSeeTheirOwnTime() {
        scheduler.schedule(() -> ran.add("b@" + ticker.read()), 2, TimeUnit.SECONDS);
        scheduler.schedule(() -> ran.add("a@" + ticker.read()), 1, TimeUnit.SECONDS);
        scheduler.schedule(() -> ran.add("c@" + ticker.read()), 5, TimeUnit.SECONDS);

        ticker.advance(Duration.ofMillis(999));
        assertEquals(List.of(), ran);
        assertEquals(Optional.of(Duration.ofMillis(1)), scheduler.nextDue());

        ticker.advance(Duration.ofSeconds(2));
        assertEquals(List.of("a@1000000000", "b@2000000000"), ran);
        assertEquals(1, scheduler.pendingTasks());
        assertEquals(2_999_000_000L, ticker.read());
    }

    @Test
    void tasksWithoutADelayRunAtOnceOnTheCaller() {
        Thread caller = Thread.currentThread();
        scheduler.execute(() -> ran.add("execute:" + (Thread.currentThread() == caller)));
        scheduler.schedule(() -> ran.add("zero"), 0, TimeUnit.SECONDS);

        assertEquals(List.of("execute:true", "zero"), ran);
    }

    @Test
    void aTaskMayScheduleAnotherThatTheSameAdvanceRunsWhenDue() {
        scheduler.schedule(() -> {
            ran.add("first");
            scheduler.schedule(() -> ran.add("second@" + ticker.read()), 1, TimeUnit.SECONDS);
        }, 1, TimeUnit.SECONDS);

        ticker.advance(Duration.ofSeconds(3));

        assertEquals(List.of("first", "second@2000000000"), ran);
    }

    @Test
    void aPeriodicTaskRunsOnceForEveryPeriodAnAdvanceCovers() {
        ScheduledFuture<?> every = scheduler.scheduleWithFixedDelay(() -> ran.add("tick"), 10, 10, TimeUnit.SECONDS);

        ticker.advance(Duration.ofSeconds(35));
        assertEquals(3, ran.size());

        every.cancel(false);
        ticker.advance(Duration.ofMinutes(1));
        assertEquals(3, ran.size());
        assertEquals(0, scheduler.pendingTasks());
    }

    @Test
    void aCancelledTaskNeverRuns() {
        ScheduledFuture<?> task = scheduler.schedule(() -> ran.add("x"), 1, TimeUnit.SECONDS);
        assertEquals(1_000, task.getDelay(TimeUnit.MILLISECONDS));

        assertTrue(task.cancel(false));
        ticker.advance(Duration.ofSeconds(2));

        assertEquals(List.of(), ran);
        assertTrue(task.isCancelled());
    }

    @Test
    void aShutDownSchedulerRefusesAndRunsNothingMore() {
        scheduler.schedule(() -> ran.add("x"), 1, TimeUnit.SECONDS);

        assertEquals(1, scheduler.shutdownNow().size());

        assertTrue(scheduler.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> scheduler.schedule(() -> { }, 1, TimeUnit.SECONDS));
        assertThrows(RejectedExecutionException.class, () -> scheduler.execute(() -> { }));
        ticker.advance(Duration.ofSeconds(2));
        assertFalse(ran.contains("x"));
    }

    @Test
    void theClocksWallTimeMovesWithItsTickerAlsoWhileTasksRun() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
        List<Instant> seen = new ArrayList<>();
        clock.scheduler().schedule(() -> seen.add(clock.now()), 90, TimeUnit.SECONDS);

        clock.advance(Duration.ofMinutes(5));

        assertEquals(List.of(Instant.parse("2026-01-05T10:01:30Z")), seen);
        assertEquals(Instant.parse("2026-01-05T10:05:00Z"), clock.now());
        clock.set(Instant.parse("2026-01-05T11:00:00Z"));
        assertEquals(Duration.ofHours(1).toNanos(), clock.ticker().read());
        assertThrows(IllegalArgumentException.class, () -> clock.set(Instant.parse("2026-01-05T10:00:00Z")));
    }
}
