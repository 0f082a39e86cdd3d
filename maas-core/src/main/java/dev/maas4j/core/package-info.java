/**
 * The maas4j engine: {@link dev.maas4j.core.MaasEngine} authenticates API keys, authorizes models,
 * chooses subscriptions, enforces quotas and budgets, and meters and records usage.
 *
 * <pre>{@code
 * InMemoryStore store = new InMemoryStore();
 * try (MaasEngine engine = MaasEngine.builder().store(store).build()) {
 *     CreatedKey created = engine.createKey(KeyRequest.builder(Subject.user("alice"), "laptop").build());
 *     try (Lease lease = engine.admit(AdmissionRequest.builder(created.secret().reveal(), "granite").build())) {
 *         if (lease.allowed()) {
 *             // call the model, then
 *             lease.complete(TokenUsage.reported(12, 40), 200);
 *         }
 *     }
 * }
 * }</pre>
 */
package dev.maas4j.core;
