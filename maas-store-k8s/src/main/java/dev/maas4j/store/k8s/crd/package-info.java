/**
 * Custom-resource classes for Open Data Hub's {@code maas.opendatahub.io/v1alpha1} API:
 * {@link dev.maas4j.store.k8s.crd.MaaSModelRef}, {@link dev.maas4j.store.k8s.crd.MaaSSubscription} and
 * {@link dev.maas4j.store.k8s.crd.MaaSAuthPolicy}, with the field names of the CRDs shipped in
 * {@code crds/} on this module's class path.
 *
 * <p>These classes mirror the wire format: a field the resource leaves out is {@code null} (or an
 * absent list), exactly as the API server holds it, so that the store can tell "missing" from
 * "empty" when it validates a resource as the CRD does. Unknown fields are ignored, so that a newer
 * CRD with more fields still loads. The spec and status types are immutable records; the resource
 * classes themselves are mutable beans, as fabric8 requires, and not thread-safe.
 *
 * <pre>{@code
 * MaaSAuthPolicy policy = new MaaSAuthPolicy();
 * policy.setMetadata(new ObjectMetaBuilder().withName("premium-access").withNamespace("models-as-a-service").build());
 * policy.setSpec(new MaaSAuthPolicySpec(
 *         List.of(new ModelReference("granite-8b", "llm")),
 *         new Subjects(List.of(new GroupReference("premium-user")), List.of()), null));
 * client.resources(MaaSAuthPolicy.class).resource(policy).create();
 * }</pre>
 */
package dev.maas4j.store.k8s.crd;
