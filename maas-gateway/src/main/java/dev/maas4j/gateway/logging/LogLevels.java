package dev.maas4j.gateway.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The levels {@code MAAS_LOG_LEVEL} asks for: a level for everything, and levels for some loggers
 * (a logger's level covers the loggers below it).
 *
 * <pre>{@code
 * MAAS_LOG_LEVEL=debug
 * MAAS_LOG_LEVEL=info,org.eclipse.jetty=debug,dev.maas4j=trace
 * }</pre>
 *
 * @param root    the root logger's level ({@code info} unless set)
 * @param loggers the levels of named loggers, in the order given
 */
record LogLevels(Level root, Map<String, Level> loggers) {
    /** {@code info} for everything. */
    static final LogLevels DEFAULT = new LogLevels(Level.INFO, Map.of());

    private static final List<String> NAMES = List.of("trace", "debug", "info", "warn", "error", "off");

    LogLevels {
        loggers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(loggers));
    }

    /**
     * Parses comma-separated entries, each a level (for everything) or {@code logger=level};
     * {@code null} or blank is {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException naming {@code MAAS_LOG_LEVEL} and the entry that is wrong
     */
    static LogLevels parse(String spec) {
        if (spec == null) {
            return DEFAULT;
        }
        Level root = Level.INFO;
        Map<String, Level> loggers = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int equals = e.indexOf('=');
            if (equals < 0) {
                root = level(e);
            } else {
                String logger = e.substring(0, equals).strip();
                if (logger.isEmpty()) {
                    throw new IllegalArgumentException(GatewayLogConfigurator.LEVEL_VARIABLE + ": '" + e
                            + "' names no logger; write logger=level, e.g. org.eclipse.jetty=debug");
                }
                loggers.put(logger, level(e.substring(equals + 1).strip()));
            }
        }
        return new LogLevels(root, loggers);
    }

    private static Level level(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(lower)) {
            throw new IllegalArgumentException(GatewayLogConfigurator.LEVEL_VARIABLE + ": '" + name
                    + "' is not a level; use one of " + String.join(", ", NAMES)
                    + ", or logger=level entries, e.g. info,org.eclipse.jetty=debug");
        }
        return Level.toLevel(lower);
    }

    /** Sets these levels in {@code context}. */
    void applyTo(LoggerContext context) {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(root);
        loggers.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }
}
