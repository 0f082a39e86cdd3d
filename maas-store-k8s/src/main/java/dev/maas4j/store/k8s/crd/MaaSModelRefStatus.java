package dev.maas4j.store.k8s.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * {@code MaaSModelRef.status}, written by the Open Data Hub controller. Every field may be
 * {@code null}.
 *
 * @param phase                     {@code Pending}, {@code Ready}, {@code Unhealthy}, {@code Failed} or {@code Invalid}
 * @param endpoint                  the endpoint URL of the model
 * @param conditions                the latest observations ({@code Ready}, {@code GovernanceAttached}, ...)
 * @param httpRouteName             the HTTPRoute of the model
 * @param httpRouteNamespace        the HTTPRoute's namespace
 * @param httpRouteGatewayName      the Gateway the HTTPRoute references
 * @param httpRouteGatewayNamespace the Gateway's namespace
 * @param httpRouteHostnames        the hostnames on the HTTPRoute
 * @param resolvedModelAlias        the model identity used in body-based routing
 * @param resolvedTenantRef         the AITenant the model was resolved to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MaaSModelRefStatus(String phase, String endpoint, List<Condition> conditions, String httpRouteName,
                                 String httpRouteNamespace, String httpRouteGatewayName,
                                 String httpRouteGatewayNamespace, List<String> httpRouteHostnames,
                                 String resolvedModelAlias, String resolvedTenantRef) {

    /** Phase: awaiting governance pairing or backend readiness. */
    public static final String PENDING = "Pending";
    /** Phase: governed and runtime-healthy. */
    public static final String READY = "Ready";
    /** Phase: governed but runtime-failed. */
    public static final String UNHEALTHY = "Unhealthy";
    /** Phase: a reconciliation error. */
    public static final String FAILED = "Failed";
    /** Phase: a bad spec. */
    public static final String INVALID = "Invalid";
}
