package dev.maas4j.benchmarks.gateway;

import dev.maas4j.api.Subject;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.gateway.Gateway;
import dev.maas4j.api.DurationText;
import dev.maas4j.gateway.GatewayConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The gateway's end-to-end overhead: the same OpenAI-compatible upstream called directly and
 * through the gateway, both on loopback in the same run, by an open-loop load generator at fixed
 * rates, non-streamed and streamed. For each pair it reports the latency the gateway adds (p50,
 * p99, time to the first streamed byte) and the CPU it costs per request.
 *
 * <pre>{@code
 * java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.maas4j.benchmarks.gateway.GatewayOverhead \
 *     --rates 500,2000 --warmup 10s --measure 30s
 * }</pre>
 *
 * <p>The pieces:
 * <ul>
 *   <li>the upstream ({@link FakeUpstream}) runs in a second JVM, so that its CPU is counted apart
 *       and its garbage collection and JIT do not stop the gateway (and the other way round);</li>
 *   <li>the gateway ({@link Gateway}) runs in this JVM on its embedded defaults (port 0, the H2 file
 *       store in a temporary directory), plus a
 *       model {@code bench} whose endpoint is the upstream, a policy and a subscription granting it to
 *       every user with limits that never refuse, and one API key;</li>
 *   <li>the load generator ({@link RawHttpLoad}, or {@link JdkHttpLoad} with {@code --client jdk})
 *       runs in this JVM too: the CPU this JVM uses is the generator's in a direct run and the
 *       generator's plus the gateway's through the gateway, so the difference is the gateway's.</li>
 * </ul>
 *
 * <p>Options (defaults in brackets): {@code --rates 500,2000}, {@code --modes non-streamed,streamed},
 * {@code --targets direct,gateway}, {@code --warmup 10s}, {@code --measure 30s}, {@code --drain 10s},
 * {@code --pause 2s}, {@code --prewarm 30s} (per mode and target, at {@code --prewarm-rate 500}, before
 * everything; {@code 0} for none), {@code --client raw|jdk [raw]}, {@code --upstream jetty|jdk [jetty]},
 * {@code --upstream-threads 4}, {@code --upstream-jvm "-Xms256m -Xmx256m -XX:+UseSerialGC"},
 * {@code --store h2|memory [h2]} (the gateway's store: its default H2 file, in a temporary directory),
 * {@code --max-connections 512}. All traffic goes to 127.0.0.1; every loop is bounded by the
 * schedule and the drain time.
 *
 * <p>Longer than our usual class because it is a runnable program: option parsing, the run
 * schedule and the report are kept with the {@code main} they serve, where a reader of a result
 * can check how it was produced in one file; the moving parts (upstream, generators) are their own
 * classes.
 */
public final class GatewayOverhead {
    private static final String MODEL = FakeUpstream.MODEL;
    private static final String PATH = "/v1/chat/completions";

    private GatewayOverhead() {
    }

    /** Runs the benchmark; see the class documentation for the options. */
    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        // what the gateway's own main sets, before anything creates an HTTP client or the common pool
        Gateway.applyRuntimeDefaults();
        PrintStream out = System.out;
        out.println("# maas4j gateway overhead, " + Instant.now());
        out.println(machine());
        out.println("options: " + options);
        out.flush();

        Path dataDir = Files.createTempDirectory("maas-bench-");
        Process upstreamProcess = startUpstream(options);
        Runtime.getRuntime().addShutdownHook(new Thread(upstreamProcess::destroyForcibly, "upstream-killer"));
        try {
            int upstreamPort = awaitPort(upstreamProcess);
            String upstreamBase = "http://127.0.0.1:" + upstreamPort + "/v1";
            try (Gateway gateway = Gateway.start(config(upstreamBase, options.store, dataDir),
                    new PrintStream(OutputStream.nullOutputStream()));
                 LoadGenerator generator = options.client.equals("jdk") ? new JdkHttpLoad()
                         : new RawHttpLoad(options.maxConnections)) {
                String key = gateway.engine().createKey(KeyRequest.builder(Subject.user("bench"), "bench")
                        .description("gateway overhead benchmark").build()).secret().reveal();
                InetSocketAddress direct = new InetSocketAddress("127.0.0.1", upstreamPort);
                InetSocketAddress governed = new InetSocketAddress("127.0.0.1", gateway.baseUri().getPort());
                out.println("upstream (" + options.upstream + ", pid " + upstreamProcess.pid() + "): " + upstreamBase
                        + "; gateway: " + gateway.baseUri());
                checkAnswers(direct, governed, key);

                Optional<ProcessHandle> upstreamHandle = Optional.of(upstreamProcess.toHandle());
                if (!options.prewarm.isZero()) {
                    // every path compiled before the first measurement, each scenario then has its own warm-up
                    for (boolean stream : options.modes) {
                        for (String target : options.targets) {
                            InetSocketAddress address = target.equals("direct") ? direct : governed;
                            Recording.Stats stats = generator.run(scenario(target, stream, options.prewarmRate,
                                    address, key, options.prewarm, Duration.ofSeconds(1), options.drain),
                                    new Probe(Optional.empty())).stats();
                            out.printf(Locale.ROOT, "pre-warm %s %s at %.0f/s for %ds: %d errors%n",
                                    stream ? "streamed" : "non-streamed", target, options.prewarmRate,
                                    options.prewarm.toSeconds(), stats.errors());
                        }
                    }
                }
                List<Row> rows = new ArrayList<>();
                boolean overloaded = false;
                for (boolean stream : options.modes) {
                    for (double rate : options.rates) {
                        for (String target : options.targets) {
                            InetSocketAddress address = target.equals("direct") ? direct : governed;
                            Scenario scenario = scenario(target, stream, rate, address, key, options.warmup,
                                    options.measure, options.drain);
                            System.gc();
                            // after a run the gateway could not keep up with, let it work off its queue first
                            Thread.sleep(overloaded ? Math.max(15_000, options.pause.toMillis())
                                    : options.pause.toMillis());
                            Probe probe = new Probe(upstreamHandle);
                            Recording recording = generator.run(scenario, probe);
                            Row row = new Row(scenario, recording.stats(), probe);
                            rows.add(row);
                            overloaded = row.stats().errors() > 0;
                            out.println(row.line());
                            out.flush();
                        }
                    }
                }
                out.println();
                out.println(table(rows));
                out.println(overhead(rows));
                out.println("load average at the end: " + loadAverage());
            }
        } finally {
            deleteQuietly(dataDir);
            upstreamProcess.getOutputStream().close();
            if (!upstreamProcess.waitFor(10, TimeUnit.SECONDS)) {
                upstreamProcess.destroyForcibly();
            }
        }
    }

    // ------------------------------------------------------------------ set-up

    /** Deletes the gateway's temporary data directory (the H2 file), bounded to what is in it. */
    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left behind in the temporary directory
                }
            });
        } catch (IOException | RuntimeException e) {
            // left behind in the temporary directory
        }
    }

    /**
     * The embedded defaults (written as YAML, so that settings added to the gateway later keep their
     * defaults here), plus the benchmark's model, a policy and a subscription granting it to every
     * user with limits at the engine's maximum (at 2,000 requests/s a minute holds 120,000 requests),
     * and the store: the default H2 file in a temporary directory, or memory.
     */
    private static GatewayConfig config(String upstreamBase, String store, Path dataDir) throws IOException {
        String yaml = String.join("\n",
                "server: {host: 127.0.0.1, port: 0}",
                "demo: {printKey: false}",
                store.equals("memory") ? "store: {type: memory}"
                        : "store: {type: h2, dataDir: '" + dataDir.toAbsolutePath() + "'}",
                "models:",
                "  - name: " + MODEL,
                "    displayName: benchmark upstream",
                "    endpoints: ['" + upstreamBase + "']",
                "    price: {promptPerMillion: '0.15', completionPerMillion: '0.60', currency: USD}",
                "policies:",
                "  - {name: bench, subjects: {groups: [{name: '" + GatewayConfig.ALL_USERS_GROUP + "'}]}, "
                        + "modelRefs: [{name: " + MODEL + "}]}",
                "subscriptions:",
                "  - name: bench",
                "    owner: {groups: [{name: '" + GatewayConfig.ALL_USERS_GROUP + "'}]}",
                "    modelRefs:",
                "      - name: " + MODEL,
                "        tokenRateLimits: [{limit: 1000000000, window: 1m}]",
                "        requestRateLimits: [{limit: 1000000000, window: 1m}]",
                "");
        return GatewayConfig.parse(yaml, Map.of());
    }

    private static Process startUpstream(Options options) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.stream(options.upstreamJvm.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FakeUpstream.class.getName(),
                "--server", options.upstream, "--threads", Integer.toString(options.upstreamThreads),
                "--lifetime", options.lifetime().toSeconds() + "s"));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int awaitPort(Process process) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return lines.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line = first.get(60, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("PORT ")) {
            throw new IllegalStateException("the upstream did not start: " + line);
        }
        return Integer.parseInt(line.substring(5).trim());
    }

    private static Scenario scenario(String target, boolean stream, double rate, InetSocketAddress address,
                                     String key, Duration warmup, Duration measure, Duration drain) {
        byte[] body = requestBody(stream);
        String head = "POST " + PATH + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + address.getPort() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Accept: application/json\r\n"
                + "Authorization: Bearer " + key + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] raw = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, raw, headBytes.length, body.length);
        HttpRequest jdk = jdkRequest(address, key, stream);
        return new Scenario(target, stream, rate, warmup, measure, drain, address, raw, jdk,
                stream ? FakeUpstream.STREAM_BODY_LENGTH : FakeUpstream.COMPLETION.length);
    }

    private static byte[] requestBody(boolean stream) {
        // as an OpenAI SDK sends it; a streamed one without stream_options, which the gateway adds
        return ("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful "
                + "assistant.\"},{\"role\":\"user\",\"content\":\"Write one sentence about latency.\"}],"
                + "\"max_tokens\":256,\"stream\":" + stream + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static HttpRequest jdkRequest(InetSocketAddress address, String key, boolean stream) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + PATH))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(stream)))
                .build();
    }

    /** One request of each kind to each target with the JDK client, to fail early and clearly. */
    private static void checkAnswers(InetSocketAddress direct, InetSocketAddress governed, String key)
            throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (InetSocketAddress address : List.of(direct, governed)) {
            for (boolean stream : List.of(false, true)) {
                HttpResponse<byte[]> response = client.send(jdkRequest(address, key, stream),
                        HttpResponse.BodyHandlers.ofByteArray());
                int expected = stream ? FakeUpstream.STREAM_BODY_LENGTH : FakeUpstream.COMPLETION.length;
                if (response.statusCode() != 200 || response.body().length != expected) {
                    throw new IllegalStateException("check failed on port " + address.getPort() + " (stream "
                            + stream + "): status " + response.statusCode() + ", " + response.body().length
                            + " bytes (expected " + expected + "): "
                            + new String(response.body(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    // ------------------------------------------------------------------ report

    /** One run's figures. */
    private record Row(Scenario scenario, Recording.Stats stats, Probe probe) {
        long p(long[] sorted, double p) {
            return Recording.Stats.percentile(sorted, p);
        }

        double cpuMicrosPerRequest() {
            return probe.cpuNanos() / 1e3 / Math.max(1, stats.measured());
        }

        double jitMicrosPerRequest() {
            return probe.jitCpuNanos() < 0 ? Double.NaN : probe.jitCpuNanos() / 1e3 / Math.max(1, stats.measured());
        }

        double gcMicrosPerRequest() {
            return probe.gcCpuNanos() < 0 ? Double.NaN : probe.gcCpuNanos() / 1e3 / Math.max(1, stats.measured());
        }

        double upstreamCpuMicrosPerRequest() {
            long nanos = probe.upstreamCpuNanos();
            return nanos < 0 ? Double.NaN : nanos / 1e3 / Math.max(1, stats.measured());
        }

        String line() {
            return String.format(Locale.ROOT, "%-12s %6.0f/s %-8s n=%d ok=%d errors=%d p50=%s p90=%s p99=%s "
                            + "p99.9=%s max=%s ttfb50=%s ttfb99=%s lag99=%s conns=%d cpu=%.1fus/req (jit %.1f, gc+vm %.1f) "
                            + "upstream=%.1fus/req gc=%d/%dms load=%.2f..%.2f%s",
                    scenario.mode(), scenario.rate(), scenario.target(), stats.measured(), stats.ok(),
                    stats.errors(), ms(p(stats.latency(), 50)), ms(p(stats.latency(), 90)),
                    ms(p(stats.latency(), 99)), ms(p(stats.latency(), 99.9)), ms(p(stats.latency(), 100)),
                    ms(p(stats.firstByte(), 50)), ms(p(stats.firstByte(), 99)), ms(p(stats.lag(), 99)),
                    stats.connections(), cpuMicrosPerRequest(), jitMicrosPerRequest(), gcMicrosPerRequest(),
                    upstreamCpuMicrosPerRequest(), probe.gcCount(),
                    probe.gcMillis(), probe.loadStart(), probe.loadEnd(),
                    stats.firstError() == null ? "" : "  first error: " + stats.firstError());
        }
    }

    private static String table(List<Row> rows) {
        StringBuilder t = new StringBuilder();
        t.append("| mode | rate/s | target | requests | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms "
                + "| TTFB p50 ms | TTFB p99 ms | CPU µs/req (this JVM) | of which JIT | of which GC+VM "
                + "| upstream CPU µs/req | GCs | load |\n");
        t.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            Recording.Stats s = r.stats();
            boolean stream = r.scenario().stream();
            t.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s "
                            + "| %.1f | %.1f | %.1f | %.1f | %d (%d ms) | %.2f–%.2f |%n",
                    r.scenario().mode(), r.scenario().rate(), r.scenario().target(), s.measured(), s.errors(),
                    ms(r.p(s.latency(), 50)), ms(r.p(s.latency(), 90)), ms(r.p(s.latency(), 99)),
                    ms(r.p(s.latency(), 99.9)), ms(r.p(s.latency(), 100)),
                    stream ? ms(r.p(s.firstByte(), 50)) : "–", stream ? ms(r.p(s.firstByte(), 99)) : "–",
                    r.cpuMicrosPerRequest(), r.jitMicrosPerRequest(), r.gcMicrosPerRequest(),
                    r.upstreamCpuMicrosPerRequest(), r.probe().gcCount(),
                    r.probe().gcMillis(), r.probe().loadStart(), r.probe().loadEnd()));
        }
        return t.toString();
    }

    private static String overhead(List<Row> rows) {
        StringBuilder t = new StringBuilder();
        t.append("| mode | rate/s | added p50 ms | added p99 ms | added TTFB p50 ms | added TTFB p99 ms "
                + "| gateway CPU µs/req | same without JIT | target |\n");
        t.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row gw : rows) {
            if (!gw.scenario().target().equals("gateway")) {
                continue;
            }
            Optional<Row> base = rows.stream().filter(r -> r.scenario().target().equals("direct")
                    && r.scenario().stream() == gw.scenario().stream()
                    && r.scenario().rate() == gw.scenario().rate()).findFirst();
            if (base.isEmpty()) {
                continue;
            }
            Row d = base.get();
            long p50 = gw.p(gw.stats().latency(), 50) - d.p(d.stats().latency(), 50);
            long p99 = gw.p(gw.stats().latency(), 99) - d.p(d.stats().latency(), 99);
            long f50 = gw.p(gw.stats().firstByte(), 50) - d.p(d.stats().firstByte(), 50);
            long f99 = gw.p(gw.stats().firstByte(), 99) - d.p(d.stats().firstByte(), 99);
            boolean stream = gw.scenario().stream();
            String verdict;
            if (gw.scenario().rate() != 2000) {
                verdict = "–";
            } else if (gw.stats().errors() > 0 || d.stats().errors() > 0) {
                verdict = "errors";
            } else {
                boolean met = p50 <= 200_000 && p99 <= 1_000_000 && (!stream || f99 <= 1_000_000);
                verdict = met ? "met" : "missed";
            }
            double cpu = gw.cpuMicrosPerRequest() - d.cpuMicrosPerRequest();
            double withoutJit = cpu - (gw.jitMicrosPerRequest() - d.jitMicrosPerRequest());
            t.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %s | %s | %s | %.1f | %.1f | %s |%n",
                    gw.scenario().mode(), gw.scenario().rate(), ms(p50), ms(p99), stream ? ms(f50) : "–",
                    stream ? ms(f99) : "–", cpu, withoutJit, verdict));
        }
        t.append("\nTargets at 2,000 requests/s: added p50 ≤ 0.2 ms, added p99 ≤ 1 ms, added time to the first "
                + "streamed byte (p99) ≤ 1 ms.\n");
        return t.toString();
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String machine() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: the name stays unknown
        }
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "machine: %d cores (%s), %.1f GiB, %s %s, %s %s; heap max %d MiB, GC %s; "
                        + "JVM args %s; load average %s",
                Runtime.getRuntime().availableProcessors(), cpu, os.getTotalMemorySize() / (double) (1L << 30),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), Runtime.getRuntime().maxMemory() >> 20, gcs,
                ManagementFactory.getRuntimeMXBean().getInputArguments(), loadAverage());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    // ------------------------------------------------------------------ options

    /** Parses an option's duration in the gateway configuration's syntax ({@link DurationText}: 500ms, 10s, 2m, 1h). */
    static Duration duration(String text, String option) {
        return DurationText.parse(text, option);
    }

    /** The command line, validated. */
    private static final class Options {
        List<Double> rates = List.of(500.0, 2000.0);
        List<Boolean> modes = List.of(false, true);
        List<String> targets = List.of("direct", "gateway");
        Duration warmup = Duration.ofSeconds(10);
        Duration measure = Duration.ofSeconds(30);
        Duration drain = Duration.ofSeconds(10);
        Duration pause = Duration.ofSeconds(2);
        Duration prewarm = Duration.ofSeconds(30);
        double prewarmRate = 500;
        String client = "raw";
        String upstream = "jetty";
        String store = "h2";
        int upstreamThreads = 4;
        String upstreamJvm = "-Xms256m -Xmx256m -XX:+UseSerialGC";
        int maxConnections = 512;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--rates" -> o.rates = Arrays.stream(value.split(",")).map(String::trim)
                            .map(Double::valueOf).toList();
                    case "--modes" -> o.modes = Arrays.stream(value.split(",")).map(String::trim)
                            .map(m -> switch (m) {
                                case "non-streamed", "json" -> false;
                                case "streamed", "stream", "sse" -> true;
                                default -> throw new IllegalArgumentException(
                                        "--modes takes non-streamed and/or streamed, was " + m);
                            }).toList();
                    case "--targets" -> o.targets = Arrays.stream(value.split(",")).map(String::trim).toList();
                    case "--warmup" -> o.warmup = duration(value, name);
                    case "--measure", "--duration" -> o.measure = duration(value, name);
                    case "--drain" -> o.drain = duration(value, name);
                    case "--pause" -> o.pause = duration(value, name);
                    case "--prewarm" -> o.prewarm = value.equals("0") ? Duration.ZERO : duration(value, name);
                    case "--prewarm-rate" -> o.prewarmRate = Double.parseDouble(value);
                    case "--client" -> o.client = value;
                    case "--upstream" -> o.upstream = value;
                    case "--store" -> o.store = value;
                    case "--upstream-threads" -> o.upstreamThreads = Integer.parseInt(value);
                    case "--upstream-jvm" -> o.upstreamJvm = value;
                    case "--max-connections" -> o.maxConnections = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (!(o.prewarmRate >= 1 && o.prewarmRate <= 50_000) || o.prewarm.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("--prewarm-rate must be between 1 and 50000, --prewarm at most 10m");
            }
            for (double rate : o.rates) {
                if (!(rate >= 1 && rate <= 50_000)) {
                    throw new IllegalArgumentException("--rates must be between 1 and 50000 per second, was " + rate);
                }
            }
            for (String target : o.targets) {
                if (!target.equals("direct") && !target.equals("gateway")) {
                    throw new IllegalArgumentException("--targets takes direct and/or gateway, was " + target);
                }
            }
            if (!o.client.equals("raw") && !o.client.equals("jdk")) {
                throw new IllegalArgumentException("--client must be raw or jdk, was " + o.client);
            }
            if (!o.store.equals("h2") && !o.store.equals("memory")) {
                throw new IllegalArgumentException("--store must be h2 or memory, was " + o.store);
            }
            if (!o.upstream.equals("jetty") && !o.upstream.equals("jdk")) {
                throw new IllegalArgumentException("--upstream must be jetty or jdk, was " + o.upstream);
            }
            if (o.warmup.plus(o.measure).compareTo(Duration.ofHours(1)) > 0 || o.measure.isZero()) {
                throw new IllegalArgumentException("--warmup plus --measure must be between 1 ms and 1 hour");
            }
            if (o.maxConnections < 1 || o.maxConnections > 10_000) {
                throw new IllegalArgumentException("--max-connections must be between 1 and 10000");
            }
            if (o.upstreamThreads < 1 || o.upstreamThreads > 256) {
                throw new IllegalArgumentException("--upstream-threads must be between 1 and 256");
            }
            return o;
        }

        /** Long enough for every run, then the upstream stops by itself. */
        Duration lifetime() {
            long runs = (long) rates.size() * modes.size() * targets.size();
            return warmup.plus(measure).plus(drain).plus(pause).plusSeconds(5).multipliedBy(runs)
                    .plus(prewarm.plus(drain).plusSeconds(2).multipliedBy((long) modes.size() * targets.size()))
                    .plus(Duration.ofMinutes(10));
        }

        @Override
        public String toString() {
            return "rates=" + rates + " modes=" + modes.stream().map(s -> s ? "streamed" : "non-streamed").toList()
                    + " targets=" + targets + " prewarm=" + prewarm.toSeconds() + "s at " + prewarmRate
                    + "/s warmup=" + warmup.toSeconds() + "s measure=" + measure.toSeconds() + "s client=" + client
                    + " upstream=" + upstream + " (" + upstreamThreads + " threads, JVM '" + upstreamJvm
                    + "') gateway store=" + store + " maxConnections=" + maxConnections;
        }
    }
}
