package dev.maas4j.benchmarks.gateway;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * CPU time of this JVM and of the upstream's process, garbage collection and the load average,
 * taken at the start and at the end of a measurement. On Linux it also splits this JVM's CPU time
 * by thread ({@code /proc/self/task}): the JIT compiler's threads and the GC and VM threads, so
 * that a compilation still running after the warm-up can be told from the cost of requests
 * (approximate: clock ticks of 10 ms, and a compiler thread that ends takes its time with it).
 * Not thread-safe: start, then end.
 */
final class Probe {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Optional<ProcessHandle> upstream;
    private Snapshot start;
    private Snapshot end;

    Probe(Optional<ProcessHandle> upstream) {
        this.upstream = upstream;
    }

    void start() {
        start = snapshot();
    }

    void end() {
        end = snapshot();
    }

    /** CPU time this JVM used during the measurement, in ns (load generator, plus the gateway if it ran). */
    long cpuNanos() {
        return end.cpu - start.cpu;
    }

    /** CPU time the upstream's process used during the measurement, in ns, or -1 if unknown. */
    long upstreamCpuNanos() {
        return end.upstreamCpu < 0 || start.upstreamCpu < 0 ? -1 : end.upstreamCpu - start.upstreamCpu;
    }

    /** CPU time of the JIT compiler threads during the measurement, in ns, or -1 if unknown. */
    long jitCpuNanos() {
        return end.jitCpu < 0 || start.jitCpu < 0 ? -1 : Math.max(0, end.jitCpu - start.jitCpu);
    }

    /** CPU time of the GC and VM threads during the measurement, in ns, or -1 if unknown. */
    long gcCpuNanos() {
        return end.gcCpu < 0 || start.gcCpu < 0 ? -1 : Math.max(0, end.gcCpu - start.gcCpu);
    }

    long gcCount() {
        return end.gcCount - start.gcCount;
    }

    long gcMillis() {
        return end.gcMillis - start.gcMillis;
    }

    double loadStart() {
        return start.load;
    }

    double loadEnd() {
        return end.load;
    }

    /** Wall-clock length of the measurement. */
    Duration elapsed() {
        return Duration.ofNanos(end.wall - start.wall);
    }

    private Snapshot snapshot() {
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        long upstreamCpu = upstream.flatMap(p -> p.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
        long[] split = threadSplit();
        return new Snapshot(System.nanoTime(), OS.getProcessCpuTime(), upstreamCpu, gcCount, gcMillis,
                OS.getSystemLoadAverage(), split[0], split[1]);
    }

    /** CPU time of the JIT threads and of the GC/VM threads, in ns; -1 each when /proc is not there. */
    private static long[] threadSplit() {
        long jitTicks = 0;
        long gcTicks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String name;
                String stat;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                // fields after the parenthesised name: state is 3rd, utime 14th and stime 15th overall
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    jitTicks += ticks;
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")
                        || name.startsWith("VM Periodic")) {
                    gcTicks += ticks;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
        // USER_HZ is 100 on Linux
        return new long[] {jitTicks * 10_000_000L, gcTicks * 10_000_000L};
    }

    private record Snapshot(long wall, long cpu, long upstreamCpu, long gcCount, long gcMillis, double load,
                            long jitCpu, long gcCpu) {
    }
}
