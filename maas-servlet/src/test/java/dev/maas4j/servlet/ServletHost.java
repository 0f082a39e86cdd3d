package dev.maas4j.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;

import java.net.URI;

/** An embedded servlet container on loopback running the filter and a servlet at {@code /*}. */
interface ServletHost extends AutoCloseable {
    /** Starts the container with {@code filter} and {@code servlet} (async supported) and returns its base URI. */
    default URI start(Filter filter, Servlet servlet) throws Exception {
        return start(filter, servlet, true);
    }

    /**
     * Starts the container with {@code filter} (async supported) and {@code servlet}, registered with
     * async support or, for a plain synchronous servlet, without; returns its base URI.
     */
    URI start(Filter filter, Servlet servlet, boolean servletAsyncSupported) throws Exception;

    @Override
    void close() throws Exception;
}
