package dev.maas4j.servlet.internal;

import dev.maas4j.core.Credentials;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The request as the downstream servlet sees it: the body read once by the filter (possibly with
 * the authorized {@code model} or {@code stream_options.include_usage} added) and the client's
 * credentials hidden, headers and query parameters alike, so that no downstream code can log or
 * forward the key.
 */
public final class BufferedRequest extends HttpServletRequestWrapper {
    private final byte[] body;
    private final String query;
    private boolean bodyTaken;

    /**
     * @param request      the container's request
     * @param body         the body to hand downstream
     * @param presentedKey the key the client presented, so that a query parameter carrying it is hidden too
     */
    public BufferedRequest(HttpServletRequest request, byte[] body, String presentedKey) {
        super(request);
        this.body = body;
        this.query = Credentials.queryWithoutCredentials(request.getQueryString(), presentedKey);
    }

    @Override
    public String getQueryString() {
        return query;
    }

    @Override
    public String getParameter(String name) {
        return Credentials.isCredentialParameter(name) ? null : super.getParameter(name);
    }

    @Override
    public String[] getParameterValues(String name) {
        return Credentials.isCredentialParameter(name) ? null : super.getParameterValues(name);
    }

    @Override
    public java.util.Map<String, String[]> getParameterMap() {
        java.util.Map<String, String[]> all = super.getParameterMap();
        java.util.Map<String, String[]> kept = new java.util.LinkedHashMap<>();
        all.forEach((name, values) -> {
            if (!Credentials.isCredentialParameter(name)) {
                kept.put(name, values);
            }
        });
        return java.util.Collections.unmodifiableMap(kept);
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(getParameterMap().keySet());
    }

    /** The buffered body; callers must not modify it. */
    public byte[] body() {
        return body;
    }

    @Override
    public ServletInputStream getInputStream() {
        bodyTaken = true;
        return new BytesInputStream(body);
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (bodyTaken) {
            // the servlet contract forbids mixing the stream and the reader; keep it for a clear error
            throw new IllegalStateException("getInputStream() was already called");
        }
        String encoding = getCharacterEncoding();
        Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public String getHeader(String name) {
        if (Credentials.isCredentialHeader(name)) {
            return null;
        }
        if ("content-length".equalsIgnoreCase(name)) {
            return Integer.toString(body.length);
        }
        return super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        if (Credentials.isCredentialHeader(name)) {
            return Collections.emptyEnumeration();
        }
        if ("content-length".equalsIgnoreCase(name)) {
            return Collections.enumeration(List.of(Integer.toString(body.length)));
        }
        return super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
            String name = e.nextElement();
            if (!Credentials.isCredentialHeader(name)) {
                names.add(name);
            }
        }
        return Collections.enumeration(names);
    }

    private static final class BytesInputStream extends ServletInputStream {
        private final ByteArrayInputStream in;

        BytesInputStream(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            try {
                // all data is already here: tell the listener at once, as the contract allows
                if (!isFinished()) {
                    listener.onDataAvailable();
                }
                listener.onAllDataRead();
            } catch (IOException e) {
                listener.onError(e);
            }
        }
    }
}
