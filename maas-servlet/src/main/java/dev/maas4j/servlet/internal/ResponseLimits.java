package dev.maas4j.servlet.internal;

import dev.maas4j.api.DurationText;
import dev.maas4j.api.ModelRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The longest and the largest response the proxy relays for a model: the proxy's defaults, or the
 * model's own ({@link ModelRef#MAX_RESPONSE_DURATION} and {@link ModelRef#MAX_RESPONSE_BYTES} in
 * its metadata). A model's value that does not parse is ignored with a warning, keeping the default.
 *
 * @param maxDuration from the response's start; {@link Duration#ZERO} for no limit
 * @param maxBytes    of the response body; 0 for no limit
 */
public record ResponseLimits(Duration maxDuration, long maxBytes) {
    private static final Logger log = LoggerFactory.getLogger(ResponseLimits.class);

    /** The limits for {@code model}, falling back to {@code defaults}. */
    public static ResponseLimits of(ModelRef model, ResponseLimits defaults) {
        if (model.metadata().isEmpty()) {
            return defaults;
        }
        Duration duration = defaults.maxDuration;
        String durationText = model.metadata().get(ModelRef.MAX_RESPONSE_DURATION);
        if (durationText != null) {
            try {
                duration = DurationText.parse(durationText, ModelRef.MAX_RESPONSE_DURATION);
            } catch (IllegalArgumentException e) {
                log.warn("model {}: {}; using {}", model.name(), e.getMessage(), DurationText.format(duration));
            }
        }
        long bytes = defaults.maxBytes;
        String bytesText = model.metadata().get(ModelRef.MAX_RESPONSE_BYTES);
        if (bytesText != null) {
            try {
                bytes = Long.parseLong(bytesText.strip());
                if (bytes < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                bytes = defaults.maxBytes;
                log.warn("model {}: metadata {} is not a number of bytes: '{}', using {}", model.name(),
                        ModelRef.MAX_RESPONSE_BYTES, bytesText, bytes);
            }
        }
        return duration.equals(defaults.maxDuration) && bytes == defaults.maxBytes ? defaults
                : new ResponseLimits(duration, bytes);
    }
}
