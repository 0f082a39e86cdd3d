/**
 * The management API's catalog documents, read outside the API with the API's own rules
 * ({@link dev.maas4j.management.CatalogDocuments}): how the gateway's configuration file
 * uses the very shapes and validation of {@code POST /models}, {@code /policies} and
 * {@code /subscriptions}.
 */
package dev.maas4j.management;
