package dev.maas4j.store.jdbc.bench;

import dev.maas4j.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a benchmark on a machine shared with other work measures besides wall-clock throughput. */
final class PostgresCpu {
    private PostgresCpu() {
    }

    /**
     * CPU seconds used so far by the server's processes (the postmaster and its children: backends,
     * WAL writer, checkpointer), from {@code /proc}; {@code -1} where {@code /proc} is missing.
     */
    static double seconds(PostgresServer server) {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(server.dataDirectory().resolve("postmaster.pid"))
                    .get(0).strip());
            long ticks = 0;
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path proc : (Iterable<Path>) procs::iterator) {
                    String name = proc.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        String stat = Files.readString(proc.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long pid = Long.parseLong(name);
                        long ppid = Long.parseLong(f[1]);
                        if (pid == postmaster || ppid == postmaster) {
                            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        }
                    } catch (IOException | RuntimeException ignored) {
                        // the process ended meanwhile
                    }
                }
            }
            return ticks / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
