/**
 * Token accounting: what a request asks for, and what its response used.
 *
 * <p>Before forwarding, {@link dev.maas4j.core.usage.RequestInfo#parse} reads the model, whether
 * the response streams, the output limit, how many choices are asked for and a prompt-token
 * estimate (text by {@link dev.maas4j.core.usage.TokenEstimates}, each image, audio or file part
 * by {@link dev.maas4j.core.usage.MediaEstimates}), and
 * {@link dev.maas4j.core.usage.StreamOptions#withIncludeUsage} makes a streamed request report
 * its usage. While the response passes, a {@link dev.maas4j.core.usage.UsageObserver} extracts
 * the reported usage, or the generated characters for an estimate by
 * {@link dev.maas4j.core.usage.TokenEstimates}.
 *
 * <pre>{@code
 * EndpointKind kind = EndpointKind.fromPath(path);
 * RequestInfo info = RequestInfo.parse(body);
 * byte[] forwarded = info.stream() && kind == EndpointKind.CHAT_COMPLETIONS
 *         ? StreamOptions.withIncludeUsage(body) : body;
 * // ... forward forwarded; when the response starts:
 * UsageObserver observer = UsageObserver.forContentType(contentType, kind);
 * // ... for each chunk written to the client:
 * observer.accept(chunk, 0, n);
 * // ... at the end, whatever happened to the connection:
 * observer.finish();
 * TokenUsage usage = observer.usageOrEstimate(info.promptTokensEstimate());
 * }</pre>
 *
 * <p>Only Jackson's streaming API is used: no body is ever held in a tree, and a response is
 * never held at all. {@code dev.maas4j.core.usage.internal} is not part of the API.
 */
package dev.maas4j.core.usage;
