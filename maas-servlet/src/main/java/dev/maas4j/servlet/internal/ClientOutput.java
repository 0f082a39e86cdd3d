package dev.maas4j.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link ResponseRelay}'s side of the client: the response's non-blocking output, the listener
 * the container calls back when a write that could not finish at once is done, whether a flush
 * is due, and how many bytes went out.
 *
 * <p>Not thread-safe by itself: its state belongs to whichever thread is draining the relay
 * ({@link ResponseRelay} lets one drain at a time); the container's callbacks only signal the relay.
 */
final class ClientOutput implements WriteListener {
    private final ResponseRelay relay;
    private ServletOutputStream out;
    private boolean flushNeeded;
    private boolean wroteAny;
    private long bytesWritten;
    private byte[] scratch;

    ClientOutput(ResponseRelay relay) {
        this.relay = relay;
    }

    /** Whether the output was opened: from then on only non-blocking writes are allowed. */
    boolean opened() {
        return out != null;
    }

    /** Opens the output in non-blocking mode, with this as its listener. */
    void open(HttpServletResponse response) throws IOException {
        out = response.getOutputStream();
        out.setWriteListener(this);
    }

    /** Whether a write may start now; if not, the container calls {@link #onWritePossible} later. */
    boolean isReady() {
        return out.isReady();
    }

    /** Writes what remains of {@code item}. */
    void write(ByteBuffer item) throws IOException {
        int n = item.remaining();
        if (n == 0) {
            return;
        }
        if (item.hasArray()) {
            out.write(item.array(), item.arrayOffset() + item.position(), n);
        } else {
            // the client hands over read-only buffers, whose array is hidden: copy through one
            // array per exchange, which may be reused because a write that still holds it makes
            // isReady() false, and nothing is written again before it turns true
            if (scratch == null || scratch.length < n) {
                scratch = new byte[Math.max(n, 4096)];
            }
            item.get(scratch, 0, n);
            out.write(scratch, 0, n);
        }
        wroteAny = true;
        flushNeeded = true;
        bytesWritten += n;
    }

    /** Flushes what was written since the last flush; whether there was any. */
    boolean flushIfNeeded() throws IOException {
        if (!flushNeeded) {
            return false;
        }
        flushNeeded = false;
        out.flush();
        return true;
    }

    /** Whether a byte of body went out. */
    boolean wroteAny() {
        return wroteAny;
    }

    /** Bytes of body written. */
    long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public void onWritePossible() {
        relay.drain();
    }

    @Override
    public void onError(Throwable clientFailure) {
        // a non-blocking write failed: the client is gone
        relay.clientFailed();
    }
}
