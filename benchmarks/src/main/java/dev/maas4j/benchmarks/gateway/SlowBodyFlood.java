package dev.maas4j.benchmarks.gateway;

import dev.maas4j.api.Subject;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.gateway.Gateway;
import dev.maas4j.api.DurationText;
import dev.maas4j.gateway.GatewayConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Slow-body denial of service against the gateway: many connections from one address
 * ({@code 127.0.0.1}) that declare a 10 MiB body and send it at one byte every ten seconds, held
 * (reopened when the gateway closes one) for the whole run, while a legitimate client at another
 * address ({@code 127.0.0.2}: Linux routes all of 127/8 to the loopback interface) sends one chat
 * completion a second. Reports whether every legitimate request was answered, its median and
 * worst latency against the same client's unloaded figure, what the attackers were answered, and
 * the gateway JVM's thread count and heap at their highest.
 *
 * <pre>{@code
 * java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.maas4j.benchmarks.gateway.SlowBodyFlood \
 *     --connections 2000 --keys bogus,valid --hold 60s
 * }</pre>
 *
 * <p>Options (defaults in brackets): {@code --connections 2000}, {@code --keys bogus,valid} (each
 * attack phase's key: {@code bogus} is an unknown key, {@code valid} a real one), {@code --hold 60s}
 * per phase, {@code --baseline 20s}, {@code --trickle 10s} (the pause between two body bytes),
 * {@code --reconnect 1s} (how long an attacking connection the gateway closed waits before it is
 * opened again: {@code 0ms} turns the slow attack into a connection flood). The
 * gateway runs in this JVM on its defaults (memory store), so the thread and heap figures are
 * this JVM's, attackers included: the attack itself is one selector thread.
 */
public final class SlowBodyFlood {
    private static final byte[] CHAT = ("{\"model\":\"demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}")
            .getBytes(StandardCharsets.UTF_8);

    private SlowBodyFlood() {
    }

    /** Runs the benchmark; see the class documentation for the options. */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        int connections = Integer.parseInt(options.getOrDefault("connections", "2000"));
        List<String> phases = List.of(options.getOrDefault("keys", "bogus,valid").split(","));
        Duration hold = DurationText.parse(options.getOrDefault("hold", "60s"), "--hold");
        Duration baseline = DurationText.parse(options.getOrDefault("baseline", "20s"), "--baseline");
        Duration trickle = DurationText.parse(options.getOrDefault("trickle", "10s"), "--trickle");
        Duration reconnect = DurationText.parse(options.getOrDefault("reconnect", "1s"), "--reconnect");
        Gateway.applyRuntimeDefaults();
        PrintStream out = System.out;
        Path dataDir = Files.createTempDirectory("maas-flood-");
        try (Gateway gateway = Gateway.start(config(dataDir), new PrintStream(OutputStream.nullOutputStream()))) {
            String key = gateway.engine().createKey(KeyRequest.builder(Subject.user("legit"), "legit").build())
                    .secret().reveal();
            String attackerKey = gateway.engine().createKey(KeyRequest.builder(Subject.user("mallory"), "attacker")
                    .build()).secret().reveal();
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", gateway.baseUri().getPort());
            out.printf("gateway %s; %d attacking connections from 127.0.0.1, one body byte every %s; "
                    + "legitimate client at 127.0.0.2, 1 request/s%n", gateway.baseUri(), connections, text(trickle));

            legit(target, key, Duration.ofSeconds(5), null);   // warm-up
            Legit unloaded = legit(target, key, baseline, null);
            out.printf("unloaded:  %s%n", unloaded.summary(unloaded));
            for (String phase : phases) {
                String authorization = phase.equals("valid") ? "Bearer " + attackerKey : "Bearer sk-oai-bogus" + phase;
                Flood flood = new Flood(target, connections, authorization, trickle, reconnect);
                Thread attacker = new Thread(flood, "flood");
                attacker.start();
                Thread.sleep(2_000);
                Legit loaded = legit(target, key, hold, flood);
                flood.stop();
                attacker.join(10_000);
                out.printf("%-9s  %s%n", phase + ":", loaded.summary(unloaded));
                out.printf("           attackers: %s; open connections %d-%d (avg %d)%n", flood.answers(),
                        loaded.minOpen, loaded.maxOpen, loaded.avgOpen());
                Thread.sleep(3_000);
            }
        }
    }

    /** The legitimate client's run: one request a second from 127.0.0.2, each on a new connection. */
    private static Legit legit(InetSocketAddress target, String key, Duration length, Flood flood)
            throws InterruptedException {
        Legit result = new Legit();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long end = System.nanoTime() + length.toNanos();
        long next = System.nanoTime();
        // bounded by the wall clock: under a working attack a request may take up to its timeout
        while (System.nanoTime() < end) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            next = Math.max(next + 1_000_000_000L, System.nanoTime());
            result.sent++;
            long started = System.nanoTime();
            try {
                int status = request(target, key);
                long micros = (System.nanoTime() - started) / 1_000;
                if (status == 200) {
                    result.latenciesMicros.add(micros);
                } else {
                    result.failures.add("HTTP " + status);
                }
            } catch (IOException e) {
                result.failures.add(e.getClass().getSimpleName());
            }
            result.maxThreads = Math.max(result.maxThreads, threads.getThreadCount());
            result.maxHeapMiB = Math.max(result.maxHeapMiB, memory.getHeapMemoryUsage().getUsed() >> 20);
            long retained = 0;
            for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    retained += pool.getCollectionUsage().getUsed();
                }
            }
            result.maxRetainedMiB = Math.max(result.maxRetainedMiB, retained >> 20);
            if (flood != null) {
                int open = flood.open();
                result.minOpen = Math.min(result.minOpen, open);
                result.maxOpen = Math.max(result.maxOpen, open);
                result.openSum += open;
            }
        }
        return result;
    }

    private static int request(InetSocketAddress target, String key) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress("127.0.0.2", 0));
            socket.connect(target, 10_000);
            // an answer that takes longer than this counts as a failure
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            byte[] head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " + CHAT.length
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] whole = java.util.Arrays.copyOf(head, head.length + CHAT.length);
            System.arraycopy(CHAT, 0, whole, head.length, CHAT.length);
            OutputStream out = socket.getOutputStream();
            out.write(whole);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] line = new byte[12];
            int n = in.readNBytes(line, 0, line.length);
            if (n < 12) {
                throw new IOException("short answer");
            }
            int status = Integer.parseInt(new String(line, 9, 3, StandardCharsets.ISO_8859_1));
            in.readAllBytes();
            return status;
        }
    }

    private static final class Legit {
        int sent;
        final List<Long> latenciesMicros = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        int maxThreads;
        long maxHeapMiB;
        long maxRetainedMiB;
        int minOpen = Integer.MAX_VALUE;
        int maxOpen;
        long openSum;

        long median() {
            List<Long> sorted = new ArrayList<>(latenciesMicros);
            Collections.sort(sorted);
            return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
        }

        long worst() {
            return latenciesMicros.stream().mapToLong(Long::longValue).max().orElse(-1);
        }

        int avgOpen() {
            return sent == 0 ? 0 : (int) (openSum / sent);
        }

        String summary(Legit unloaded) {
            return String.format("%d/%d answered 200, median %.2f ms (%.2fx unloaded), worst %.2f ms; "
                            + "failures %s; gateway JVM at most %d threads, %d MiB heap used (%d MiB after GC)",
                    latenciesMicros.size(), sent, median() / 1000.0, (double) median() / Math.max(1, unloaded.median()),
                    worst() / 1000.0, failures, maxThreads, maxHeapMiB, maxRetainedMiB);
        }
    }

    /**
     * The attack: {@code connections} sockets from 127.0.0.1, each sending its headers with a
     * declared 10 MiB body and then one byte per trickle period, on one selector thread; a socket the
     * gateway closes is opened again. Counts the statuses the attackers were answered.
     */
    private static final class Flood implements Runnable {
        private final InetSocketAddress target;
        private final int connections;
        private final byte[] head;
        private final long trickleNanos;
        private final long reconnectNanos;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Map<String, Integer> statuses = Collections.synchronizedMap(new HashMap<>());
        private volatile int open;

        Flood(InetSocketAddress target, int connections, String authorization, Duration trickle, Duration reconnect) {
            this.reconnectNanos = reconnect.toNanos();
            this.target = target;
            this.connections = connections;
            this.head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (10 << 20) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            this.trickleNanos = trickle.toNanos();
        }

        int open() {
            return open;
        }

        void stop() {
            running.set(false);
        }

        String answers() {
            synchronized (statuses) {
                return statuses.toString();
            }
        }

        /** One attacking connection; {@code channel} is null while it waits to reconnect until {@code nextByteAt[0]}. */
        private record Conn(SocketChannel channel, long[] nextByteAt) {
        }

        @Override
        public void run() {
            try (Selector selector = Selector.open()) {
                List<Conn> all = new ArrayList<>();
                ByteBuffer read = ByteBuffer.allocate(4096);
                ByteBuffer one = ByteBuffer.wrap(new byte[] {'{'});
                while (running.get()) {
                    while (all.size() < connections && running.get()) {
                        all.add(connect(selector));
                    }
                    long now = System.nanoTime();
                    selector.select(100);
                    for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                        SelectionKey key = it.next();
                        it.remove();
                        SocketChannel channel = (SocketChannel) key.channel();
                        read.clear();
                        int n;
                        try {
                            n = channel.read(read);
                        } catch (IOException e) {
                            n = -1;
                        }
                        if (n > 0 && read.position() >= 12) {
                            String status = new String(read.array(), 9, 3, StandardCharsets.ISO_8859_1);
                            if (status.chars().allMatch(Character::isDigit)) {
                                statuses.merge(status, 1, Integer::sum);
                            }
                        }
                        if (n < 0) {
                            key.cancel();
                            channel.close();
                        }
                    }
                    now = System.nanoTime();
                    int alive = 0;
                    for (int i = 0; i < all.size(); i++) {
                        Conn conn = all.get(i);
                        if (conn.channel == null) {
                            if (now >= conn.nextByteAt[0]) {
                                all.set(i, connect(selector));
                            }
                            continue;
                        }
                        if (!conn.channel.isOpen()) {
                            statuses.merge("closed by gateway", 1, Integer::sum);
                            all.set(i, new Conn(null, new long[] {now + reconnectNanos}));
                            continue;
                        }
                        alive++;
                        if (now >= conn.nextByteAt[0]) {
                            conn.nextByteAt[0] = now + trickleNanos;
                            try {
                                one.rewind();
                                conn.channel.write(one);
                            } catch (IOException e) {
                                conn.channel.close();
                            }
                        }
                    }
                    open = alive;
                }
                for (Conn conn : all) {
                    if (conn.channel != null) {
                        conn.channel.close();
                    }
                }
            } catch (IOException e) {
                System.err.println("flood failed: " + e);
            }
        }

        private Conn connect(Selector selector) throws IOException {
            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            channel.connect(target);
            channel.write(ByteBuffer.wrap(head));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            return new Conn(channel, new long[] {System.nanoTime() + trickleNanos});
        }
    }

    private static GatewayConfig config(Path dataDir) throws IOException {
        String yaml = String.join("\n",
                "server: {host: 127.0.0.1, port: 0}",
                "demo: {printKey: false, tokenDelay: 0ms}",
                "store: {type: memory}",
                "subscriptions:",
                "  - name: flood-bench",
                "    priority: 10",
                "    owner: {groups: [{name: '" + GatewayConfig.ALL_USERS_GROUP + "'}]}",
                "    modelRefs:",
                "      - name: demo-echo",
                "        tokenRateLimits: [{limit: 1000000000, window: 1m}]",
                "        requestRateLimits: [{limit: 1000000000, window: 1m}]",
                "");
        return GatewayConfig.parse(yaml, Map.of());
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String text(Duration d) {
        return DurationText.format(d);
    }
}
