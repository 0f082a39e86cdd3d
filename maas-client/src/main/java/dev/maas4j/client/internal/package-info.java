/**
 * Implementation of the clients: transport, retries, SSE parsing, JSON. Public only so that the
 * other packages can use it; <b>not a supported API</b>, it changes without notice.
 */
package dev.maas4j.client.internal;
