/**
 * The public model and service-provider interfaces of maas4j.
 *
 * <p>Everything here is either an immutable value (a record or a final class) or a small SPI
 * interface. Values validate their arguments on construction and never hold {@code null}:
 * absent values are {@link java.util.Optional}, empty collections or documented sentinels.
 * Collections handed to a value are copied, so a value is safe to share between threads.
 *
 * <p>The main concepts follow Open Data Hub's Models-as-a-Service:
 * {@link dev.maas4j.api.ModelRef} ({@code MaaSModelRef}), {@link dev.maas4j.api.Subscription}
 * ({@code MaaSSubscription}), {@link dev.maas4j.api.AuthPolicy} ({@code MaaSAuthPolicy}) and
 * {@link dev.maas4j.api.ApiKey} ({@code sk-oai-} keys).
 */
package dev.maas4j.api;
