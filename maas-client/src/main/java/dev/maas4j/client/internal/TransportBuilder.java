package dev.maas4j.client.internal;

import dev.maas4j.client.RetryPolicy;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The settings both public client builders share, validated as they are set so that a mistake
 * fails where it is made, with the setting's name in the message. Not thread-safe.
 */
public final class TransportBuilder {

    /** The default time to establish a connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The default time to wait for response headers: long, because a non-streamed generation can take minutes. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private final String credentialSetting;
    private URI baseUrl;
    private Secret credential;
    private Duration connectTimeout;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private HttpClient httpClient;
    private Executor executor;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Clock clock = Clock.systemUTC();

    /** A builder whose credential setting is called {@code credentialSetting} in messages. */
    public TransportBuilder(String credentialSetting) {
        this.credentialSetting = credentialSetting;
    }

    /** Sets the base URL; fails unless it is an absolute http(s) URL. */
    public void baseUrl(String value) {
        Objects.requireNonNull(value, "baseUrl");
        try {
            baseUrl(new URI(value.strip()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl is not a valid URL: " + e.getMessage(), e);
        }
    }

    /** Sets the base URL; fails unless it is an absolute http(s) URL. */
    public void baseUrl(URI value) {
        Objects.requireNonNull(value, "baseUrl");
        if (baseUrl != null) {
            throw new IllegalStateException("baseUrl was already set to " + baseUrl);
        }
        String scheme = value.getScheme() == null ? "" : value.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || value.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http or https URL, was " + value);
        }
        if (value.getRawQuery() != null || value.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must not have a query or fragment, was " + value);
        }
        this.baseUrl = value;
    }

    /** Sets the credential sent as a bearer token. */
    public void credential(String value) {
        if (credential != null) {
            throw new IllegalStateException(credentialSetting + " was already set");
        }
        this.credential = Secret.of(value, credentialSetting);
    }

    /** Sets the connect timeout. */
    public void connectTimeout(Duration value) {
        this.connectTimeout = positive(value, "connectTimeout");
    }

    /** Sets the request timeout. */
    public void requestTimeout(Duration value) {
        this.requestTimeout = positive(value, "timeout");
    }

    /** Sets the retry policy. */
    public void retryPolicy(RetryPolicy value) {
        this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
    }

    /** Adds a header sent with every request; fails for headers the JDK client manages itself. */
    public void header(String name, String value) {
        Values.notBlank(name, "header name");
        Objects.requireNonNull(value, "header value");
        try {
            HttpRequest.newBuilder().header(name, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("header " + name + " cannot be set: " + e.getMessage(), e);
        }
        headers.put(name, value);
    }

    /** Uses {@code client} instead of building one. */
    public void httpClient(HttpClient client) {
        Objects.requireNonNull(client, "httpClient");
        if (httpClient != null) {
            throw new IllegalStateException("httpClient was already set to " + httpClient);
        }
        this.httpClient = client;
    }

    /** Runs async work on {@code value}. */
    public void executor(Executor value) {
        Objects.requireNonNull(value, "executor");
        if (executor != null) {
            throw new IllegalStateException("executor was already set to " + executor);
        }
        this.executor = value;
    }

    /** Replaces the sleeper (tests). */
    public void sleeper(Sleeper value) {
        this.sleeper = Objects.requireNonNull(value, "sleeper");
    }

    /** Replaces the clock (tests). */
    public void clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
    }

    /** The base URL, if set. */
    public Optional<URI> baseUrl() {
        return Optional.ofNullable(baseUrl);
    }

    /**
     * Builds the transport.
     *
     * @param credentialRequired whether a credential must have been set
     * @param basePath           a path appended to the base URL (e.g. {@code maas-api/v1}), or empty
     */
    public HttpTransport build(boolean credentialRequired, String basePath) {
        if (baseUrl == null) {
            throw new IllegalStateException("baseUrl is required");
        }
        if (credentialRequired && credential == null) {
            throw new IllegalStateException(credentialSetting + " is required");
        }
        if (credential != null && headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))) {
            throw new IllegalStateException("the Authorization header cannot be combined with " + credentialSetting);
        }
        if (httpClient != null && connectTimeout != null) {
            throw new IllegalStateException("connectTimeout cannot be combined with httpClient: "
                    + "set it on the HttpClient instead");
        }
        HttpClient client = httpClient;
        if (client == null) {
            // Redirects are not followed: following one would send the credential to another URL.
            HttpClient.Builder b = HttpClient.newBuilder()
                    .connectTimeout(connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (executor != null) {
                b.executor(executor);
            }
            client = b.build();
        }
        return new HttpTransport(new HttpTransport.Settings(resolve(baseUrl, basePath), Optional.ofNullable(credential),
                headers, requestTimeout, retryPolicy, client,
                executor == null ? ForkJoinPool.commonPool() : executor, sleeper, clock, "maas4j-client/0.1"));
    }

    private static URI resolve(URI base, String basePath) {
        String s = base.toString();
        StringBuilder b = new StringBuilder(s.endsWith("/") ? s : s + "/");
        String p = basePath.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (!p.isEmpty()) {
            b.append(p.endsWith("/") ? p : p + "/");
        }
        return URI.create(b.toString());
    }

    private static Duration positive(Duration value, String setting) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, was " + value);
        }
        return value;
    }
}
