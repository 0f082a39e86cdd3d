/**
 * A client of the gateway's management API ({@code /maas-api/v1}): start at
 * {@link dev.maas4j.client.admin.MaasAdminClient}. The wire shapes are specified in
 * {@code docs/management-api.md}. Stable API.
 */
package dev.maas4j.client.admin;
