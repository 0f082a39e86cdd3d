/**
 * The implementation of maas-testing's fakes. Unsupported: these types may change in any release;
 * use {@link dev.maas4j.testing.FakeOpenAiUpstream}.
 */
package dev.maas4j.testing.internal;
