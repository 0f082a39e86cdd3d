package dev.maas4j.gateway.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.PatternLayoutEncoderBase;

/**
 * logback's pattern encoder with every credential hidden from what it writes: the gateway's built-in
 * logging uses it, and an operator's own logback configuration must use it in each appender to keep
 * credentials out of the logs.
 *
 * <pre>{@code
 * <appender name="FILE" class="ch.qos.logback.core.FileAppender">
 *   <file>gateway.log</file>
 *   <encoder class="dev.maas4j.gateway.logging.RedactingEncoder">
 *     <pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern>
 *   </encoder>
 * </appender>
 * }</pre>
 *
 * <p>Hidden, wherever they stand in a line (message, arguments, exception messages, stack traces):
 * the values of the {@code Authorization}, {@code Proxy-Authorization}, {@code x-api-key},
 * {@code api-key}, {@code Cookie}, {@code Set-Cookie} and {@code password} headers or parameters,
 * {@code Bearer} and {@code Basic} credentials, API keys ({@code sk-oai-…}) and generated admin
 * tokens ({@code maas-admin-…}), and the pieces of credentials that Jetty's truncated buffer dumps
 * can show. Thread-safe, as logback's encoders.
 */
public class RedactingEncoder extends PatternLayoutEncoderBase<ILoggingEvent> {
    /** An encoder to configure (its {@code pattern}) and start. */
    public RedactingEncoder() {
    }

    @Override
    public void start() {
        RedactingPatternLayout layout = new RedactingPatternLayout();
        layout.setContext(context);
        layout.setPattern(getPattern());
        layout.setOutputPatternAsHeader(outputPatternAsHeader);
        layout.start();
        this.layout = layout;
        super.start();
    }
}
