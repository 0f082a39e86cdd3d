package dev.maas4j.core.usage;

import dev.maas4j.api.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/** Ways of feeding a response to an observer, and what the observer makes of it. */
final class Feeding {

    /** Prompt estimate passed to usageOrEstimate in outcomes. */
    static final long PROMPT_ESTIMATE = 100;

    /** What an observer made of a response. */
    record Outcome(Optional<TokenUsage> reported, long generatedCharacters, boolean unparseable, TokenUsage settled) {
    }

    private Feeding() {
    }

    static byte[] fixture(String name) {
        try (InputStream in = Feeding.class.getResourceAsStream("/usage/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Line ends of a fixture replaced: "\r\n" or "\r". */
    static byte[] withLineEnds(byte[] lfText, String lineEnd) {
        return utf8(new String(lfText, StandardCharsets.UTF_8).replace("\n", lineEnd));
    }

    static Outcome whole(Supplier<UsageObserver> observers, byte[] response) {
        UsageObserver observer = observers.get();
        observer.accept(response, 0, response.length);
        return finish(observer);
    }

    static Outcome byteByByte(Supplier<UsageObserver> observers, byte[] response) {
        UsageObserver observer = observers.get();
        byte[] one = new byte[1];
        for (byte b : response) {
            // A reused array checks that the observer keeps no reference to its input.
            one[0] = b;
            observer.accept(one, 0, 1);
        }
        return finish(observer);
    }

    /** Random pieces of 0 to 2 * meanPiece bytes, each in a fresh array at a random offset. */
    static Outcome randomSplits(Supplier<UsageObserver> observers, byte[] response, long seed, int meanPiece) {
        Random random = new Random(seed);
        UsageObserver observer = observers.get();
        int at = 0;
        while (at < response.length) {
            int length = Math.min(random.nextInt(2 * meanPiece + 1), response.length - at);
            int offset = random.nextInt(4);
            byte[] piece = new byte[offset + length + random.nextInt(4)];
            System.arraycopy(response, at, piece, offset, length);
            observer.accept(piece, offset, length);
            at += length;
        }
        return finish(observer);
    }

    /** Pieces split at the given positions of the response. */
    static Outcome splitAt(Supplier<UsageObserver> observers, byte[] response, int... positions) {
        UsageObserver observer = observers.get();
        int from = 0;
        for (int position : positions) {
            observer.accept(response, from, position - from);
            from = position;
        }
        observer.accept(response, from, response.length - from);
        return finish(observer);
    }

    /** Direct buffers of 7 bytes (the copying path), then a read-only heap slice. */
    static Outcome byteBuffers(Supplier<UsageObserver> observers, byte[] response) {
        UsageObserver observer = observers.get();
        int half = response.length / 2;
        for (int at = 0; at < half; at += 7) {
            int length = Math.min(7, half - at);
            ByteBuffer direct = ByteBuffer.allocateDirect(length);
            direct.put(response, at, length).flip();
            observer.accept(direct);
        }
        ByteBuffer padded = ByteBuffer.allocate(response.length + 10);
        padded.position(5);
        padded.put(response, half, response.length - half);
        padded.flip().position(5);
        observer.accept(padded.slice().asReadOnlyBuffer());
        return finish(observer);
    }

    private static Outcome finish(UsageObserver observer) {
        observer.finish();
        return new Outcome(observer.reportedUsage(), observer.generatedCharacters(), observer.unparseable(),
                observer.usageOrEstimate(PROMPT_ESTIMATE));
    }
}
