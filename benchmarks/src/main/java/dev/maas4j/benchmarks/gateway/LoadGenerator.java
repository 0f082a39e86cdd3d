package dev.maas4j.benchmarks.gateway;

/**
 * Sends a {@link Scenario}'s requests open-loop: each at its due time whether or not earlier ones
 * were answered, latency counted from the due time (so a stall delays every request due during it,
 * and is not hidden: no coordinated omission). Implementations are used by one thread at a time.
 */
interface LoadGenerator extends AutoCloseable {

    /**
     * Runs the scenario, calling {@link Probe#start()} just before the first measured request is due
     * and {@link Probe#end()} once every measured request is answered (or the drain time is over).
     */
    Recording run(Scenario scenario, Probe probe) throws Exception;

    @Override
    void close();
}
