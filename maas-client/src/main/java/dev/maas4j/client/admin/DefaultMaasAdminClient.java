package dev.maas4j.client.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.client.MaasClientException;
import dev.maas4j.client.internal.Call;
import dev.maas4j.client.internal.HttpTransport;
import dev.maas4j.client.internal.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** The {@link MaasAdminClient}. */
final class DefaultMaasAdminClient implements MaasAdminClient {

    private static final ObjectMapper JSON = Json.ADMIN;

    private final HttpTransport transport;
    private final ApiKeys apiKeys = new Keys();
    private final CatalogResource<ModelRef> models;
    private final CatalogResource<Subscription> subscriptions;
    private final CatalogResource<AuthPolicy> policies;

    DefaultMaasAdminClient(HttpTransport transport) {
        this.transport = transport;
        this.models = new Catalog<>("models", ModelRef.class, ModelRef::name);
        this.subscriptions = new Catalog<>("subscriptions", Subscription.class, Subscription::name);
        this.policies = new Catalog<>("policies", AuthPolicy.class, AuthPolicy::name);
    }

    @Override
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    @Override
    public UsageReport usage(UsageQuery query) {
        return fetch(withQuery(Call.get("usage"), query.toQueryParameters()), UsageReport.class);
    }

    @Override
    public CatalogResource<ModelRef> models() {
        return models;
    }

    @Override
    public CatalogResource<Subscription> subscriptions() {
        return subscriptions;
    }

    @Override
    public CatalogResource<AuthPolicy> policies() {
        return policies;
    }

    @Override
    public AuditPage audit(AuditQuery query) {
        return fetch(withQuery(Call.get("audit"), query.toQueryParameters()), AuditPage.class);
    }

    @Override
    public String toString() {
        return "MaasAdminClient[baseUrl=" + transport.settings().baseUri() + ", token="
                + transport.credential().map(Object::toString).orElse("none") + "]";
    }

    private static Call withQuery(Call call, Map<String, String> query) {
        Call c = call;
        for (Map.Entry<String, String> e : query.entrySet()) {
            c = c.query(e.getKey(), e.getValue());
        }
        return c;
    }

    private static byte[] json(Object body) {
        try {
            return JSON.writeValueAsBytes(Objects.requireNonNull(body, "request"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private <T> T fetch(Call call, Class<T> type) {
        return transport.send(call, body -> JSON.readValue(body, type)).body();
    }

    private final class Keys implements ApiKeys {
        @Override
        public CreatedApiKey create(CreateApiKeyRequest request) {
            return fetch(Call.post("api-keys", json(request)), CreatedApiKey.class);
        }

        @Override
        public ApiKeyList list() {
            return search(ApiKeySearch.defaults());
        }

        @Override
        public ApiKeyList search(ApiKeySearch search) {
            return fetch(Call.post("api-keys/search", json(search)), ApiKeyList.class);
        }

        @Override
        public List<ApiKey> searchAll(ApiKeySearch search) {
            List<ApiKey> all = new ArrayList<>();
            ApiKeySearch page = search;
            while (true) {
                ApiKeyList result = search(page);
                all.addAll(result.data());
                // An empty page ends the loop even if a server keeps saying has_more.
                if (!result.hasMore() || result.data().isEmpty()) {
                    return List.copyOf(all);
                }
                page = page.nextPage();
            }
        }

        @Override
        public ApiKey get(String id) {
            return fetch(Call.get(keyPath(id)), ApiKey.class);
        }

        @Override
        public ApiKey revoke(String id) {
            return fetch(Call.delete(keyPath(id)), ApiKey.class);
        }

        @Override
        public CreatedApiKey rotate(String id, java.time.Duration overlap) {
            if (overlap.isNegative()) {
                throw new IllegalArgumentException("overlap must not be negative, was " + overlap);
            }
            return fetch(Call.post(keyPath(id) + "/rotate", json(java.util.Map.of("overlap", overlap.toSeconds() + "s"))),
                    CreatedApiKey.class);
        }

        @Override
        public BulkRevokeResult bulkRevoke(BulkRevokeRequest request) {
            return fetch(Call.post("api-keys/bulk-revoke", json(request)),
                    BulkRevokeResult.class);
        }

        @Override
        public KeyUsage usage(String id, UsageRange range) {
            Objects.requireNonNull(range, "range");
            return fetch(Call.get(keyPath(id) + "/usage").query("range", range.wire()),
                    KeyUsage.class);
        }

        @Override
        public ApiKeyConfig config() {
            return fetch(Call.get("api-keys/config"), ApiKeyConfig.class);
        }

        private String keyPath(String id) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("id must not be blank");
            }
            return "api-keys/" + Call.segment(id);
        }
    }

    /**
     * One catalog kind. The list may come as {@code {"object": "list", "data": [...]}} or as a
     * bare array (Open Data Hub's {@code GET /subscriptions}); both are read.
     */
    private final class Catalog<T> implements CatalogResource<T> {
        private final String path;
        private final Class<T> type;
        private final Function<T, String> name;

        Catalog(String path, Class<T> type, Function<T, String> name) {
            this.path = path;
            this.type = type;
            this.name = name;
        }

        @Override
        public List<T> list() {
            JsonNode node = fetch(Call.get(path), JsonNode.class);
            JsonNode items = node.isArray() ? node : node.path("data");
            if (!items.isArray()) {
                throw new MaasClientException("GET " + path + " returned neither a list object nor an array");
            }
            JavaType listType = JSON.getTypeFactory().constructCollectionType(List.class, type);
            try {
                List<T> list = JSON.readerFor(listType).readValue(items);
                return List.copyOf(list);
            } catch (IOException | IllegalArgumentException e) {
                throw new MaasClientException("could not decode the response to GET " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public T get(String resourceName) {
            return fetch(Call.get(itemPath(resourceName)), type);
        }

        @Override
        public T create(T resource) {
            return fetch(Call.post(path, json(resource)), type);
        }

        @Override
        public T update(T resource) {
            Objects.requireNonNull(resource, "resource");
            return fetch(Call.put(itemPath(name.apply(resource)), json(resource)), type);
        }

        @Override
        public void delete(String resourceName) {
            transport.send(Call.delete(itemPath(resourceName)), HttpTransport.RAW);
        }

        private String itemPath(String resourceName) {
            if (resourceName == null || resourceName.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            return path + "/" + Call.segment(resourceName);
        }
    }
}
