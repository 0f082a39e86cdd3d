package dev.maas4j.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ScheduledExecutorService} on a {@link ManualTicker}'s time, from
 * {@link ManualTicker#scheduler()}: where a component takes a scheduler (the proxy's idle timer,
 * the engine's maintenance), a test passes this one and decides when time passes.
 *
 * <pre>{@code
 * ManualTicker ticker = new ManualTicker();
 * ScheduledExecutorService scheduler = ticker.scheduler();
 * scheduler.schedule(task, 5, TimeUnit.SECONDS);
 * ticker.advance(Duration.ofSeconds(5));    // task has run, on this thread
 * }</pre>
 *
 * <p>Tasks without a delay ({@code execute}, {@code submit}, a delay of zero or less) run at once
 * on the calling thread, as with a direct executor. Delayed tasks run on the thread that calls
 * {@link ManualTicker#advance}, in the order of their due times (then of scheduling); a periodic
 * task runs once for every period that the advance covers. A cancelled task is removed at once.
 * After {@link #shutdown()} new tasks are refused with {@link RejectedExecutionException} and
 * nothing more runs. Thread-safe.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final ManualTicker ticker;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean shutdown;

    ManualScheduler(ManualTicker ticker) {
        this.ticker = ticker;
    }

    /** The delayed tasks waiting for their time, periodic ones included. */
    public synchronized int pendingTasks() {
        return queue.size();
    }

    /** How long until the next delayed task is due, or empty when none waits. */
    public synchronized java.util.Optional<Duration> nextDue() {
        Task<?> next = queue.peek();
        return next == null ? java.util.Optional.empty()
                : java.util.Optional.of(Duration.ofNanos(Math.max(0, next.due - ticker.read())));
    }

    // ----------------------------------------------------------------------------- scheduling

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        checkOpen();
        command.run();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        return enqueue(new Task<Void>(Executors.callable(command, null), dueIn(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable");
        return enqueue(new Task<>(callable, dueIn(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return periodic(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        // on a manual clock a task takes no time, so a fixed delay is a fixed rate
        return periodic(command, initialDelay, delay, unit);
    }

    private ScheduledFuture<?> periodic(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
        Task<Void> task = new Task<>(Executors.callable(command, null), ticker.read() + unit.toNanos(Math.max(0,
                initialDelay)), unit.toNanos(period));
        checkOpen();
        synchronized (this) {
            queue.add(task);
        }
        return task;
    }

    private long dueIn(long delay, TimeUnit unit) {
        return ticker.read() + unit.toNanos(Math.max(0, delay));
    }

    private <V> Task<V> enqueue(Task<V> task) {
        checkOpen();
        if (task.due <= ticker.read()) {
            task.run();
            return task;
        }
        synchronized (this) {
            queue.add(task);
        }
        return task;
    }

    private void checkOpen() {
        if (shutdown) {
            throw new RejectedExecutionException("the manual scheduler is shut down");
        }
    }

    /** The earliest task due by {@code target}, removed from the queue; called by the ticker's advance. */
    synchronized Task<?> takeDue(long target) {
        Task<?> next = queue.peek();
        if (next == null || next.due > target || shutdown) {
            return null;
        }
        return queue.poll();
    }

    private synchronized void requeue(Task<?> task) {
        if (!shutdown && !task.isCancelled()) {
            queue.add(task);
        }
    }

    private synchronized void remove(Task<?> task) {
        queue.remove(task);
    }

    // ------------------------------------------------------------------------------ lifecycle

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        synchronized (this) {
            List<Runnable> left = new ArrayList<>(queue);
            queue.clear();
            return left;
        }
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    @Override
    public String toString() {
        return "ManualScheduler[" + pendingTasks() + " pending, " + ticker + "]";
    }

    /** A task and its due time; periodic when {@code period > 0}. */
    final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private volatile long due;
        private final long period;
        private final long order = sequence.incrementAndGet();

        Task(Callable<V> callable, long due, long period) {
            super(callable);
            this.due = due;
            this.period = period;
        }

        long dueNanos() {
            return due;
        }

        /** Runs the task at its due time {@code now}; a periodic one is queued again for its next period. */
        void runAt(long now) {
            if (period == 0) {
                run();
            } else if (runAndReset()) {
                due = now + period;
                requeue(this);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            remove(this);
            return cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - ticker.read(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            if (other instanceof Task<?> task) {
                int byDue = Long.compare(due, task.due);
                return byDue != 0 ? byDue : Long.compare(order, task.order);
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
