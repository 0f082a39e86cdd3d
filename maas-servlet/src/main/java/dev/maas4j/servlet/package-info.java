/**
 * The governed OpenAI-compatible endpoint for Jakarta Servlet 6 containers (Jetty 12, Tomcat 11).
 *
 * <ul>
 *   <li>{@link dev.maas4j.servlet.MaasFilter}: keys, quotas, metering and {@code GET /v1/models},
 *       in front of any model endpoint;</li>
 *   <li>{@link dev.maas4j.servlet.MaasProxyServlet}: the streaming proxy to a model's upstreams.</li>
 * </ul>
 * Everything in {@code dev.maas4j.servlet.internal} is unsupported implementation.
 */
package dev.maas4j.servlet;
