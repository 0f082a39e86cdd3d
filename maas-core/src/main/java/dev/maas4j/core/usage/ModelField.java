package dev.maas4j.core.usage;

import dev.maas4j.core.usage.internal.ModelRewriter;

/**
 * Makes a request body name the model the gateway authorized, so that the model that was
 * authorized is the model the upstream runs and the ledger charges. A route such as
 * {@code /<namespace>/<model>/v1/chat/completions} names the model outside the body; a server
 * shared by several models would otherwise pick one by the body's own {@code model}, or its default.
 *
 * <pre>{@code
 * byte[] forwarded = ModelField.withModel(body, "granite");
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelField {

    private ModelField() {
    }

    /**
     * The body with its top-level {@code model} set to {@code model}: added as the last member when
     * absent, put in place of a {@code null} or another name (the model's upstream alias for the
     * name a client used); everything else is kept byte for byte.
     *
     * @param body  a request body, UTF-8 JSON
     * @param model the authorized model's name
     * @return {@code body} itself when it already names {@code model}, else a new array
     * @throws MalformedRequestException if the body is not a JSON object, has a {@code model} that
     *                                   is not a string or appears twice,
     *                                   or must change and is not UTF-8
     */
    public static byte[] withModel(byte[] body, String model) {
        return ModelRewriter.rewrite(body, model);
    }
}
