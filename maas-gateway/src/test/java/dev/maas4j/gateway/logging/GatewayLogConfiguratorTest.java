package dev.maas4j.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in logging: MAAS_LOG_LEVEL's grammar, and the redacting appender on standard error. */
class GatewayLogConfiguratorTest {

    @Test
    void maasLogLevelIsALevelForEverythingAndLevelsForSomeLoggers() {
        assertEquals(LogLevels.DEFAULT, LogLevels.parse(null));
        assertEquals(LogLevels.DEFAULT, LogLevels.parse(" "));
        assertEquals(new LogLevels(Level.DEBUG, Map.of()), LogLevels.parse("debug"));
        assertEquals(new LogLevels(Level.INFO, Map.of("org.eclipse.jetty", Level.DEBUG, "dev.maas4j", Level.TRACE)),
                LogLevels.parse("info, org.eclipse.jetty=debug,dev.maas4j=TRACE"));
        assertEquals(new LogLevels(Level.INFO, Map.of("org.eclipse.jetty", Level.OFF)),
                LogLevels.parse("org.eclipse.jetty=off"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogLevels.parse("verbose"));
        assertEquals("MAAS_LOG_LEVEL: 'verbose' is not a level; use one of trace, debug, info, warn, error, off, "
                + "or logger=level entries, e.g. info,org.eclipse.jetty=debug", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LogLevels.parse("=debug")).getMessage()
                .startsWith("MAAS_LOG_LEVEL: '=debug' names no logger"));
    }

    @Test
    void theGatewaysOwnLoggingIsTheRedactingAppenderOnStandardError() {
        // the JVM's logging was configured by logback's service loader, as in the jar
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        OutputStreamAppender<?> console = assertInstanceOf(OutputStreamAppender.class, root.getAppender("console"));
        assertInstanceOf(RedactingEncoder.class, console.getEncoder());
    }

    @Test
    void levelsComeFromTheSpecAndAWrongSpecLeavesInfoAndSaysWhy() {
        LoggerContext context = context();
        GatewayLogConfigurator.configure(context, "warn,org.eclipse.jetty=debug");
        assertEquals(Level.WARN, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertEquals(Level.DEBUG, context.getLogger("org.eclipse.jetty").getLevel());
        assertEquals(Level.DEBUG, context.getLogger("org.eclipse.jetty.http.HttpParser").getEffectiveLevel());
        context.stop();

        PrintStream standardError = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        LoggerContext wrong = context();
        try {
            GatewayLogConfigurator.configure(wrong, "debgu");
            assertEquals(Level.INFO, wrong.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
            wrong.getLogger("dev.maas4j.x").info("sent Authorization: Bearer sk-oai-abc_def");
        } finally {
            System.setErr(standardError);
            wrong.stop();
        }
        String logged = err.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains(" WARN  [") && logged.contains("MAAS_LOG_LEVEL: 'debgu' is not a level")
                && logged.contains("; logging at info"), logged);
        assertTrue(logged.contains(" INFO  [") && logged.contains("sent Authorization: [redacted]\n"), logged);
    }

    /** A context of its own, as logback's service provider makes one. */
    private static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }
}
