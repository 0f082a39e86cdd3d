/** JMH benchmarks of maas4j's hot path and usage parsing. */
package dev.maas4j.benchmarks;
