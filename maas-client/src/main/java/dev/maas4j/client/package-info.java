/**
 * A typed client of OpenAI-compatible endpoints: start at {@link dev.maas4j.client.MaasClient}.
 *
 * <p>Requests and responses are immutable records; properties a server sends that this version
 * does not know are kept in each record's {@code extra()}. Errors are unchecked and typed
 * ({@link dev.maas4j.client.MaasClientException} and its subclasses). Stable API.
 */
package dev.maas4j.client;
