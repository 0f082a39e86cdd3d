package dev.maas4j.servlet.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The response as the downstream servlet writes it: every byte goes to the client at once and,
 * on the way, to the exchange's usage observer. Server-sent events written with blocking output are
 * flushed after every write so no chunk waits in a buffer (with non-blocking output the writer
 * flushes when the container lets it); a failed write marks the client as gone.
 *
 * <p>Not thread-safe beyond the servlet contract (one writer at a time).
 */
public final class ObservedResponse extends HttpServletResponseWrapper {
    private final Exchange exchange;
    private ObservingOutputStream stream;
    private PrintWriter writer;

    public ObservedResponse(HttpServletResponse response, Exchange exchange) {
        super(response);
        this.exchange = exchange;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (writer != null) {
            throw new IllegalStateException("getWriter() was already called");
        }
        return stream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            if (stream != null) {
                throw new IllegalStateException("getOutputStream() was already called");
            }
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            writer = new PrintWriter(new PassingWriter(stream(), charset));
        }
        return writer;
    }

    private ObservingOutputStream stream() throws IOException {
        if (stream == null) {
            stream = new ObservingOutputStream(super.getOutputStream());
        }
        return stream;
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        try {
            super.flushBuffer();
        } catch (IOException e) {
            exchange.clientGone();
            throw e;
        }
    }

    @Override
    public void reset() {
        super.reset();
        // a reset clears every header: the request id and the rate-limit headers still apply to
        // whatever is sent next
        exchange.restoreGatewayHeaders((HttpServletResponse) getResponse());
    }

    private boolean isEventStream() {
        String type = getContentType();
        return type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
    }

    /** Passes bytes through, feeding the observer first (what was generated counts even if delivery fails). */
    private final class ObservingOutputStream extends ServletOutputStream {
        private final ServletOutputStream out;
        private Boolean eventStream;
        /** Whoever set a write listener flushes when the output is ready; a flush here would break that. */
        private boolean nonBlocking;

        ObservingOutputStream(ServletOutputStream out) {
            this.out = out;
        }

        private boolean cutAnnounced;

        /**
         * A host's own servlet writing for a key revoked meanwhile: its stream gets the gateway's
         * SSE error event, then the write fails, which ends the servlet's response. (The proxy cuts
         * its own relays, and writes its own event.)
         */
        private void refuseIfCut() throws IOException {
            if (!exchange.isCut() || exchange.hasCutter()) {
                return;
            }
            if (!cutAnnounced) {
                cutAnnounced = true;
                exchange.upstreamFailedMidStream();
                if (isEventStream()) {
                    byte[] event = ("data: " + new String(ErrorResponses.body("This API key has been revoked",
                            "authentication_error", "revoked_api_key"), StandardCharsets.UTF_8) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8);
                    try {
                        out.write(event);
                        out.flush();
                    } catch (IOException e) {
                        exchange.clientGone();
                    }
                }
            }
            throw new Exchange.ResponseCut();
        }

        private void observe(byte[] b, int off, int len) {
            if (eventStream == null) {
                eventStream = isEventStream();
            }
            exchange.observe(getContentType(), b, off, len);
        }

        @Override
        public void write(int b) throws IOException {
            refuseIfCut();
            observe(new byte[] {(byte) b}, 0, 1);
            try {
                out.write(b);
            } catch (IOException e) {
                exchange.clientGone();
                throw e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            refuseIfCut();
            observe(b, off, len);
            try {
                out.write(b, off, len);
                if (eventStream && !nonBlocking) {
                    out.flush();
                }
            } catch (IOException e) {
                exchange.clientGone();
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                exchange.clientGone();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                exchange.clientGone();
                throw e;
            }
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
            nonBlocking = true;
        }
    }

    /**
     * Encodes characters straight into the observing stream. An {@link OutputStreamWriter} alone
     * would hold bytes in its encoder until flushed, and the container only flushes its own writer,
     * not this one, so every write is pushed through (the encoder keeps a split surrogate pair).
     */
    private static final class PassingWriter extends Writer {
        private final OutputStreamWriter encoder;
        private final ServletOutputStream out;

        PassingWriter(ServletOutputStream out, Charset charset) {
            this.out = out;
            this.encoder = new OutputStreamWriter(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void flush() {
                    // flushing the encoder must not flush the network on every write
                }
            }, charset);
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            encoder.write(cbuf, off, len);
            encoder.flush();
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            encoder.write(str, off, len);
            encoder.flush();
        }

        @Override
        public void flush() throws IOException {
            encoder.flush();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            encoder.flush();
            out.close();
        }
    }
}
