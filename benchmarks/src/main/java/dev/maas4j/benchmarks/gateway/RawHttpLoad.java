package dev.maas4j.benchmarks.gateway;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A minimal HTTP/1.1 load generator on keep-alive loopback connections, built to cost little: the
 * calling thread sleeps until each request is due and writes it on an idle connection (opening one
 * when none is idle, up to a bound; beyond it requests queue, their wait counted), and one selector
 * thread reads and parses the answers ({@code Content-Length} or chunked), noting the arrival of
 * the first body byte and of the last. No pipelining: one request per connection at a time.
 *
 * <p>An answer is correct when its status is 200 and its body has the expected length (the
 * upstream's answers are fixed bytes, and the gateway passes them unchanged); a streamed one must
 * also end with {@code data: [DONE]}.
 *
 * <p>Longer than our usual class: the sender, the selector loop and the response parser share one
 * connection state and are tuned together so that the generator costs less than what it measures;
 * split apart they would trade that for indirection on every byte.
 */
final class RawHttpLoad implements LoadGenerator {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final int maxConnections;

    RawHttpLoad(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    @Override
    public Recording run(Scenario scenario, Probe probe) throws Exception {
        try (Run run = new Run(scenario)) {
            return run.execute(probe);
        }
    }

    @Override
    public void close() {
        // each run owns its connections and threads
    }

    /** One scenario's connections, queue and reader thread. */
    private final class Run implements AutoCloseable {
        private final Scenario scenario;
        private final Recording recording;
        private final Selector selector;
        private final long[] due;
        private final Object lock = new Object();
        private final ArrayDeque<Connection> idle = new ArrayDeque<>();
        private final ArrayDeque<Integer> queued = new ArrayDeque<>();
        private final List<Connection> all = new ArrayList<>();
        private final AtomicInteger outstanding = new AtomicInteger();
        private final Thread reader;
        private int open;
        private volatile boolean stopping;
        private volatile Exception readerFailure;

        Run(Scenario scenario) throws IOException {
            this.scenario = scenario;
            this.recording = new Recording(scenario.planned(), scenario.firstMeasured());
            this.due = new long[scenario.planned()];
            this.selector = Selector.open();
            this.reader = new Thread(this::readLoop, "loadgen-reader");
            this.reader.setDaemon(true);
        }

        Recording execute(Probe probe) throws InterruptedException {
            reader.start();
            int planned = scenario.planned();
            int firstMeasured = scenario.firstMeasured();
            // the first request is due a little later, so the start is not already late
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            for (int i = 0; i < planned; i++) {
                due[i] = start + scenario.dueOffset(i);
            }
            for (int i = 0; i < planned; i++) {
                if (i == firstMeasured) {
                    probe.start();
                }
                long now;
                while ((now = System.nanoTime()) < due[i]) {
                    LockSupport.parkNanos(due[i] - now);
                }
                outstanding.incrementAndGet();
                synchronized (lock) {
                    queued.addLast(i);
                }
                dispatch();
            }
            if (firstMeasured >= planned) {
                probe.start();
            }
            long deadline = System.nanoTime() + scenario.drain().toNanos();
            while (outstanding.get() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            probe.end();
            if (readerFailure != null) {
                throw new IllegalStateException("the reader thread failed", readerFailure);
            }
            synchronized (lock) {
                recording.connections(all.size());
            }
            return recording;
        }

        /** Sends queued requests on idle connections, opening new ones while under the bound. */
        private void dispatch() {
            while (true) {
                Connection connection;
                int i;
                synchronized (lock) {
                    if (queued.isEmpty()) {
                        return;
                    }
                    connection = idle.pollLast();
                    if (connection == null) {
                        if (open >= maxConnections) {
                            return;
                        }
                        open++;
                    }
                    i = queued.pollFirst();
                }
                if (connection == null) {
                    try {
                        connection = connect();
                    } catch (IOException e) {
                        synchronized (lock) {
                            open--;
                        }
                        finish(i, false, 0, 0, "connect: " + e);
                        continue;
                    }
                }
                connection.send(i);
            }
        }

        private Connection connect() throws IOException {
            SocketChannel channel = SocketChannel.open(scenario.address());
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            Connection connection = new Connection(channel);
            connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
            // a registration made while the reader is selecting counts from its next select
            selector.wakeup();
            synchronized (lock) {
                all.add(connection);
            }
            return connection;
        }

        /** Called by the reader when a connection is free again: it takes the oldest queued request. */
        private void release(Connection connection) {
            int next;
            synchronized (lock) {
                if (queued.isEmpty()) {
                    idle.addLast(connection);
                    return;
                }
                next = queued.pollFirst();
            }
            connection.send(next);
        }

        private void discard(Connection connection) {
            synchronized (lock) {
                if (connection.open) {
                    connection.open = false;
                    open--;
                    idle.remove(connection);
                }
            }
            connection.key.cancel();
            try {
                connection.channel.close();
            } catch (IOException e) {
                // closing anyway
            }
            // a request queued for want of a connection gets a new one at the generator's next dispatch
        }

        private void finish(int i, boolean ok, long latency, long firstByte, String why) {
            if (ok) {
                recording.ok(i, latency, firstByte);
            } else {
                recording.failed(i, why);
            }
            outstanding.decrementAndGet();
        }

        private void readLoop() {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (!stopping) {
                try {
                    selector.select(key -> ((Connection) key.attachment()).readable(buffer), 100);
                } catch (IOException | RuntimeException e) {
                    if (!stopping) {
                        readerFailure = e;
                    }
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopping = true;
            selector.wakeup();
            reader.join(TimeUnit.SECONDS.toMillis(5));
            List<Connection> connections;
            synchronized (lock) {
                connections = List.copyOf(all);
            }
            for (Connection connection : connections) {
                try {
                    connection.channel.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            try {
                selector.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        /** One keep-alive connection and the parse state of the answer it is waiting for. */
        private final class Connection {
            private static final int HEAD = 0;
            private static final int BODY = 1;
            private static final int CHUNK_SIZE = 2;
            private static final int CHUNK_DATA = 3;
            private static final int CHUNK_END = 4;
            private static final int TRAILER = 5;

            final SocketChannel channel;
            SelectionKey key;
            boolean open = true;
            /** The request in flight, or -1; set (volatile) before the request is written. */
            private volatile int current = -1;

            private final byte[] head = new byte[16 * 1024];
            private int headLength;
            private int state;
            private int status;
            private long remaining;
            private boolean chunked;
            private boolean closeAfter;
            private long bodyBytes;
            private long firstByteAt;
            private boolean chunkExtension;
            private int lineLength;
            private final byte[] tail = new byte[DONE.length];
            private int tailLength;

            Connection(SocketChannel channel) {
                this.channel = channel;
            }

            void send(int i) {
                headLength = 0;
                state = HEAD;
                status = 0;
                remaining = 0;
                chunked = false;
                closeAfter = false;
                bodyBytes = 0;
                firstByteAt = 0;
                tailLength = 0;
                current = i;
                long now = System.nanoTime();
                recording.sent(i, now - due[i]);
                ByteBuffer request = ByteBuffer.wrap(scenario.rawRequest());
                try {
                    int spins = 0;
                    while (request.hasRemaining()) {
                        if (channel.write(request) == 0 && ++spins > 100_000) {
                            throw new IOException("the socket accepts no more bytes");
                        }
                    }
                } catch (IOException e) {
                    if (current == i) {
                        current = -1;
                        finish(i, false, 0, 0, "write: " + e);
                    }
                    discard(this);
                }
            }

            void readable(ByteBuffer buffer) {
                int i = current;
                int n;
                buffer.clear();
                try {
                    n = channel.read(buffer);
                } catch (IOException e) {
                    n = -1;
                }
                long now = System.nanoTime();
                if (n < 0) {
                    if (i >= 0) {
                        current = -1;
                        finish(i, false, 0, 0, "connection closed before the answer ended (status " + status + ")");
                    }
                    discard(this);
                    return;
                }
                if (i < 0) {
                    // bytes nobody asked for: the connection is out of step
                    discard(this);
                    return;
                }
                try {
                    if (parse(buffer.array(), n, now)) {
                        current = -1;
                        complete(i, now);
                    }
                } catch (IllegalStateException e) {
                    current = -1;
                    finish(i, false, 0, 0, e.getMessage());
                    discard(this);
                }
            }

            private void complete(int i, long now) {
                String problem = null;
                if (status != 200) {
                    problem = "status " + status;
                } else if (bodyBytes != scenario.expectedBodyLength()) {
                    problem = "body of " + bodyBytes + " bytes, expected " + scenario.expectedBodyLength();
                } else if (scenario.stream() && !endsWithDone()) {
                    problem = "the stream did not end with data: [DONE]";
                }
                finish(i, problem == null, now - due[i], firstByteAt - due[i], problem);
                if (closeAfter || problem != null) {
                    discard(this);
                } else {
                    release(this);
                }
            }

            /** Consumes {@code n} bytes; true when the answer is complete. */
            private boolean parse(byte[] bytes, int n, long now) {
                int p = 0;
                while (p < n) {
                    switch (state) {
                        case HEAD -> {
                            while (p < n) {
                                if (headLength == head.length) {
                                    throw new IllegalStateException("response head longer than " + head.length);
                                }
                                byte b = bytes[p++];
                                head[headLength++] = b;
                                if (b == '\n' && headLength >= 4 && head[headLength - 2] == '\r'
                                        && head[headLength - 3] == '\n' && head[headLength - 4] == '\r') {
                                    if (parseHead()) {
                                        return true;
                                    }
                                    break;
                                }
                            }
                        }
                        case BODY, CHUNK_DATA -> {
                            int take = (int) Math.min(remaining, n - p);
                            if (take > 0 && firstByteAt == 0) {
                                firstByteAt = now;
                            }
                            keepTail(bytes, p, take);
                            bodyBytes += take;
                            remaining -= take;
                            p += take;
                            if (remaining == 0) {
                                if (state == BODY) {
                                    return true;
                                }
                                state = CHUNK_END;
                            }
                        }
                        case CHUNK_SIZE -> {
                            byte b = bytes[p++];
                            if (b == '\n') {
                                if (remaining == 0) {
                                    state = TRAILER;
                                    lineLength = 0;
                                } else {
                                    state = CHUNK_DATA;
                                }
                            } else if (b == ';') {
                                chunkExtension = true;
                            } else if (b != '\r' && !chunkExtension) {
                                int digit = Character.digit(b, 16);
                                if (digit < 0) {
                                    throw new IllegalStateException("bad chunk size byte " + b);
                                }
                                remaining = remaining * 16 + digit;
                            }
                        }
                        case CHUNK_END -> {
                            if (bytes[p++] == '\n') {
                                state = CHUNK_SIZE;
                                remaining = 0;
                                chunkExtension = false;
                            }
                        }
                        case TRAILER -> {
                            byte b = bytes[p++];
                            if (b == '\n') {
                                if (lineLength == 0) {
                                    return true;
                                }
                                lineLength = 0;
                            } else if (b != '\r') {
                                lineLength++;
                            }
                        }
                        default -> throw new IllegalStateException("parser state " + state);
                    }
                }
                return false;
            }

            /** Reads the status line and the framing headers; true when the answer has no body. */
            private boolean parseHead() {
                String text = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
                int firstSpace = text.indexOf(' ');
                if (!text.startsWith("HTTP/1.") || firstSpace < 0 || text.length() < firstSpace + 4) {
                    throw new IllegalStateException("not an HTTP/1.x response");
                }
                status = Integer.parseInt(text.substring(firstSpace + 1, firstSpace + 4));
                long contentLength = -1;
                for (String line : text.split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = line.substring(0, colon).trim();
                    String value = line.substring(colon + 1).trim();
                    if (name.equalsIgnoreCase("content-length")) {
                        contentLength = Long.parseLong(value);
                    } else if (name.equalsIgnoreCase("transfer-encoding")
                            && value.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                        chunked = true;
                    } else if (name.equalsIgnoreCase("connection")
                            && value.toLowerCase(java.util.Locale.ROOT).contains("close")) {
                        closeAfter = true;
                    }
                }
                if (chunked) {
                    state = CHUNK_SIZE;
                    remaining = 0;
                    chunkExtension = false;
                    return false;
                }
                if (contentLength < 0) {
                    throw new IllegalStateException("response without Content-Length or chunked encoding");
                }
                if (contentLength == 0) {
                    return true;
                }
                state = BODY;
                remaining = contentLength;
                return false;
            }

            private void keepTail(byte[] bytes, int offset, int length) {
                if (length >= tail.length) {
                    System.arraycopy(bytes, offset + length - tail.length, tail, 0, tail.length);
                    tailLength = tail.length;
                    return;
                }
                int keep = Math.min(tailLength, tail.length - length);
                System.arraycopy(tail, tailLength - keep, tail, 0, keep);
                System.arraycopy(bytes, offset, tail, keep, length);
                tailLength = keep + length;
            }

            private boolean endsWithDone() {
                return tailLength == DONE.length && java.util.Arrays.equals(tail, DONE);
            }
        }
    }
}
