/**
 * The management API's implementation: routing, JSON shapes, authorization and audit. Not a
 * supported API: everything here may change in any release; use
 * {@link dev.maas4j.management.ManagementServlet} instead.
 */
package dev.maas4j.management.internal;
