package dev.maas4j.gateway.logging;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.Loader;

/**
 * The gateway's built-in logging, which logback finds as a service: one appender on standard error
 * whose {@link RedactingEncoder} hides every credential, and the levels of {@code MAAS_LOG_LEVEL}
 * ({@link #LEVEL_VARIABLE}; {@code info} by default).
 *
 * <pre>{@code
 * MAAS_LOG_LEVEL=debug java -jar maas-gateway.jar
 * MAAS_LOG_LEVEL=info,org.eclipse.jetty=debug java -jar maas-gateway.jar
 * }</pre>
 *
 * <p>An operator's own logback configuration ({@code -Dlogback.configurationFile=…}, or a
 * {@code logback.xml} on the class path) replaces it; its appenders must then use
 * {@link RedactingEncoder} to keep credentials out. A wrong {@code MAAS_LOG_LEVEL} leaves the
 * default levels and logs one warning saying why.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class GatewayLogConfigurator extends ContextAwareBase implements Configurator {
    /** The environment variable with the levels, e.g. {@code debug} or {@code info,org.eclipse.jetty=debug}. */
    public static final String LEVEL_VARIABLE = "MAAS_LOG_LEVEL";

    /** What a line looks like: {@code 2026-12-02T15:04:40.123Z INFO  [main] org.eclipse.jetty.server.Server - Started …}. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

    /** Called by logback's service loader. */
    public GatewayLogConfigurator() {
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = GatewayLogConfigurator.class.getClassLoader();
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
                || Loader.getResource(ClassicConstants.TEST_AUTOCONFIG_FILE, loader) != null
                || Loader.getResource(ClassicConstants.AUTOCONFIG_FILE, loader) != null) {
            addInfo("an own logback configuration is given: the gateway's built-in one stands aside");
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configure(context, System.getenv(LEVEL_VARIABLE));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Configures {@code context}: the redacting console appender, and the levels of {@code levelSpec}. */
    static void configure(LoggerContext context, String levelSpec) {
        RedactingEncoder encoder = new RedactingEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(console);

        LogLevels levels;
        String problem = null;
        try {
            levels = LogLevels.parse(levelSpec);
        } catch (IllegalArgumentException e) {
            levels = LogLevels.DEFAULT;
            problem = e.getMessage();
        }
        levels.applyTo(context);
        if (problem != null) {
            context.getLogger(GatewayLogConfigurator.class).warn("{}; logging at info", problem);
        }
    }
}
