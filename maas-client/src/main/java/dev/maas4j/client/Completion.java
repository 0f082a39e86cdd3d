package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A text completion ({@code object: text_completion}); streamed chunks have the same shape.
 *
 * @param id                the completion id
 * @param object            {@code text_completion}
 * @param created           creation time, epoch seconds
 * @param model             the model that answered
 * @param choices           the choices
 * @param usage             token usage
 * @param systemFingerprint the backend configuration fingerprint, if sent
 * @param extra             properties this version does not know
 */
public record Completion(String id, String object, long created, String model, List<Choice> choices,
                         Optional<Usage> usage, Optional<String> systemFingerprint,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Copies the components. */
    public Completion {
        id = Values.text(id);
        object = Values.text(object);
        model = Values.text(model);
        choices = Values.list(choices);
        usage = Values.opt(usage);
        systemFingerprint = Values.opt(systemFingerprint);
        extra = Values.extra(extra);
    }

    /** The first choice's text, or the empty string if there is no choice. */
    public String text() {
        return choices.isEmpty() ? "" : choices.get(0).text();
    }

    /**
     * One choice.
     *
     * @param index        its index
     * @param text         the generated text (in a chunk: the text added)
     * @param finishReason why generation stopped
     * @param extra        properties this version does not know (e.g. {@code logprobs})
     */
    public record Choice(int index, String text, Optional<String> finishReason,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Copies the components. */
        public Choice {
            text = Values.text(text);
            finishReason = Values.opt(finishReason);
            extra = Values.extra(extra);
        }
    }
}
