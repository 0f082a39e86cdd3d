package dev.maas4j.servlet.internal;

import dev.maas4j.api.EndpointKind;
import dev.maas4j.core.usage.MediaEstimates;
import dev.maas4j.core.usage.ModelField;
import dev.maas4j.core.usage.RequestInfo;
import dev.maas4j.core.usage.StreamOptions;
import dev.maas4j.core.usage.TokenEstimates;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the filter needs from a request body: the model, whether it streams, its output limit and
 * a prompt token estimate. JSON bodies are inspected, and so is the {@code model} field of a
 * {@code multipart/form-data} form; other bodies are only measured.
 *
 * @param format                how the body is encoded
 * @param model                 the body's {@code model}, if any
 * @param stream                whether the client asked for a stream
 * @param maxOutputTokens       {@code max_tokens} / {@code max_completion_tokens}, if given
 * @param includeUsageRequested whether the client already asked for {@code stream_options.include_usage}
 * @param promptTokensEstimate  estimated prompt tokens
 * @param choices               how many completions it asks for ({@code max(n, best_of, 1)})
 */
public record RequestFacts(Format format, Optional<String> model, boolean stream, OptionalLong maxOutputTokens,
                           boolean includeUsageRequested, long promptTokensEstimate, int choices) {

    /** How a body is encoded, which decides how it is inspected and how its model is set. */
    public enum Format {
        /** No body. */
        EMPTY,
        /** A JSON object. */
        JSON,
        /** A {@code multipart/form-data} form. */
        FORM,
        /** Anything else: measured, not inspected. */
        OPAQUE
    }

    /**
     * Whether a content type may carry the body of a token-consuming endpoint (every kind but
     * {@link EndpointKind#OTHER}): JSON ({@code application/json}, {@code application/*+json}) in
     * UTF-8, or none at all (read as JSON). Anything else would be forwarded without being metered
     * by the same rules, so it is refused.
     */
    public static boolean acceptableForTokens(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String[] parts = contentType.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring(8).replace("\"", "").strip();
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Reads the facts from a body.
     *
     * @throws IllegalArgumentException with a client-safe message when a JSON body or a form is malformed
     */
    public static RequestFacts of(byte[] body, String contentType, EndpointKind endpoint, MediaEstimates media) {
        if (body.length == 0) {
            return new RequestFacts(Format.EMPTY, Optional.empty(), false, OptionalLong.empty(), false, 0, 1);
        }
        boolean json = endpoint != EndpointKind.OTHER || contentType == null
                || contentType.toLowerCase(Locale.ROOT).contains("json");
        if (json) {
            RequestInfo info = RequestInfo.parse(body, media);
            return new RequestFacts(Format.JSON, info.model(), info.stream(), info.maxOutputTokens(),
                    info.includeUsageRequested(), info.promptTokensEstimate(), info.choices());
        }
        long estimate = TokenEstimates.fromCharacters(body.length);
        if (MultipartForm.isForm(contentType)) {
            return new RequestFacts(Format.FORM, MultipartForm.model(body, contentType), false, OptionalLong.empty(),
                    false, estimate, 1);
        }
        return new RequestFacts(Format.OPAQUE, Optional.empty(), false, OptionalLong.empty(), false, estimate, 1);
    }

    /**
     * The body as the model must receive it: naming {@code upstreamModel} (the authorized model's
     * name at its upstream) when it names none or another spelling of it, for a JSON body or a form
     * (other bodies cannot), and asking a stream for its usage when {@code includeUsage}.
     */
    public byte[] forwardedBody(byte[] body, String contentType, String upstreamModel, boolean includeUsage) {
        byte[] forwarded = body;
        if (format == Format.JSON && !model.filter(upstreamModel::equals).isPresent()) {
            forwarded = ModelField.withModel(forwarded, upstreamModel);
        } else if (format == Format.FORM && model.isEmpty()) {
            forwarded = MultipartForm.withModel(forwarded, contentType, upstreamModel);
        }
        if (includeUsage && format == Format.JSON && stream && !includeUsageRequested) {
            forwarded = StreamOptions.withIncludeUsage(forwarded);
        }
        return forwarded;
    }
}
