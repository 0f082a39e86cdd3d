package dev.maas4j.benchmarks;

import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.usage.UsageObserver;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of extracting token usage from a response as it passes, per response: a ~4 KB
 * non-streamed chat completion fed whole, and a 200-chunk chat stream (with the final usage
 * chunk) fed in pieces of one TCP segment, as a servlet sees them.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar UsageParsing -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class UsageParsingBenchmark {

    /** Payload of one TCP segment on a 1500-byte MTU link. */
    private static final int NETWORK_PIECE = 1460;
    private static final int STREAM_CHUNKS = 200;

    private byte[] completion;
    private byte[] stream;

    @Setup
    public void setUp() {
        completion = chatCompletion().getBytes(StandardCharsets.UTF_8);
        stream = chatStream().getBytes(StandardCharsets.UTF_8);
        // A benchmark of a parser that finds nothing would measure nothing.
        if (parseCompletion().estimated() || parseStream().estimated()) {
            throw new IllegalStateException("the benchmark responses must report their usage");
        }
    }

    @Benchmark
    public TokenUsage parseCompletion() {
        UsageObserver observer = UsageObserver.forJson(EndpointKind.CHAT_COMPLETIONS);
        observer.accept(completion, 0, completion.length);
        observer.finish();
        return observer.usageOrEstimate(0);
    }

    @Benchmark
    public TokenUsage parseStream() {
        UsageObserver observer = UsageObserver.forSse(EndpointKind.CHAT_COMPLETIONS);
        for (int at = 0; at < stream.length; at += NETWORK_PIECE) {
            observer.accept(stream, at, Math.min(NETWORK_PIECE, stream.length - at));
        }
        observer.finish();
        return observer.usageOrEstimate(0);
    }

    /** Sizes of the two responses, for the report. */
    public static void main(String[] args) {
        UsageParsingBenchmark benchmark = new UsageParsingBenchmark();
        benchmark.setUp();
        System.out.printf("completion: %d bytes, stream: %d bytes%n", benchmark.completion.length, benchmark.stream.length);
    }

    private static String chatCompletion() {
        StringBuilder content = new StringBuilder();
        while (content.length() < 3400) {
            content.append("The quick brown fox jumps over the lazy dog, and the café stays open late.\\n");
        }
        return "{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion\","
                + "\"created\":1741569952,\"model\":\"gpt-4.1-2025-04-14\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\",\"refusal\":null,"
                + "\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":812,\"total_tokens\":831,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
                + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_44709d6fcb\"}";
    }

    private static String chatStream() {
        String prefix = "data: {\"id\":\"chatcmpl-7r4ZQ9GxJt1cW3mvB2NqO\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1694268190,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_44709d6fcb\",";
        String[] words = {" The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", "."};
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < STREAM_CHUNKS - 1; i++) {
            stream.append(prefix).append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                    .append(words[i % words.length])
                    .append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }
        stream.append(prefix).append("\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":199,"
                + "\"total_tokens\":208,\"prompt_tokens_details\":{\"cached_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n");
        stream.append("data: [DONE]\n\n");
        return stream.toString();
    }
}
