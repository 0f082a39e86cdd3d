/**
 * Implementation of maas4j's engine. Unsupported: anything here may change in any release.
 */
package dev.maas4j.core.internal;
