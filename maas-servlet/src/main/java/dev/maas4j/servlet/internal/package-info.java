/**
 * Implementation of maas-servlet: request and response wrappers, settlement, the upstream relay.
 *
 * <p><b>Unsupported:</b> nothing here is public API; it may change in any release without notice.
 */
package dev.maas4j.servlet.internal;
