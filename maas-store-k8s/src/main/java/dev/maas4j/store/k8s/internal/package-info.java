/**
 * The Kubernetes store's implementation: informers, mapping and validation of the custom
 * resources, the catalog snapshot and status write-back. Unsupported: these types may change in
 * any release; use {@link dev.maas4j.store.k8s.KubernetesCatalogStore}.
 */
package dev.maas4j.store.k8s.internal;
