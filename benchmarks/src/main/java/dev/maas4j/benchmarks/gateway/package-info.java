/**
 * The gateway's end-to-end overhead benchmark: {@link dev.maas4j.benchmarks.gateway.GatewayOverhead}
 * drives an open-loop load at fixed rates against a fake OpenAI-compatible upstream
 * ({@link dev.maas4j.benchmarks.gateway.FakeUpstream}), directly and through the gateway, and
 * reports the latency and CPU the gateway adds.
 */
package dev.maas4j.benchmarks.gateway;
