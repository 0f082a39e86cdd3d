package dev.maas4j.gateway.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * logback's {@link PatternLayout} with every credential of the formatted line hidden: the message,
 * its arguments, the exception's messages and stack trace, the MDC, everything the pattern prints
 * (see {@link RedactingEncoder} for what is hidden). Thread-safe, as {@code PatternLayout}.
 */
public class RedactingPatternLayout extends PatternLayout {
    /** A layout to configure and start, as a {@code PatternLayout}. */
    public RedactingPatternLayout() {
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return Redaction.redact(super.doLayout(event));
    }
}
