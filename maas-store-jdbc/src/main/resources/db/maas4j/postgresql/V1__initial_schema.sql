-- maas4j schema, version 1, for PostgreSQL 12 or later.
--
-- Applied at start by JdbcStore (under an advisory lock, so that replicas starting together do
-- not race), or by hand by a DBA:  psql -v ON_ERROR_STOP=1 -1 -f V1__initial_schema.sql
-- Every statement is idempotent: running the file again changes nothing. The last statement
-- records the version, so a store started later sees the schema as applied.

CREATE TABLE IF NOT EXISTS maas_schema_version (
    version      INTEGER PRIMARY KEY,
    description  VARCHAR(200) NOT NULL,
    installed_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- API keys: only a hash of the secret (lower-case hex) is stored.
CREATE TABLE IF NOT EXISTS maas_api_key (
    id             VARCHAR(128) PRIMARY KEY,
    name           VARCHAR NOT NULL,
    description    VARCHAR NOT NULL,
    owner_type     VARCHAR(32) NOT NULL,
    owner_name     VARCHAR(256) NOT NULL,
    secret_hash    VARCHAR(256) NOT NULL,
    display_prefix VARCHAR(128) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE,
    last_used_at   TIMESTAMP WITH TIME ZONE,
    revoked_at     TIMESTAMP WITH TIME ZONE,
    subscription   VARCHAR(256),
    scope_json     VARCHAR NOT NULL,
    limits_json    VARCHAR NOT NULL,
    metadata_json  VARCHAR NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS maas_api_key_secret_hash ON maas_api_key (secret_hash);
CREATE INDEX IF NOT EXISTS maas_api_key_owner ON maas_api_key (owner_type, owner_name, created_at);

-- Models, subscriptions and auth policies, each as a JSON document; names are unique per kind.
CREATE TABLE IF NOT EXISTS maas_catalog_entry (
    kind       VARCHAR(16) NOT NULL,
    name       VARCHAR(256) NOT NULL,
    namespace  VARCHAR(256) NOT NULL,
    spec_json  VARCHAR NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (kind, name)
);

-- Change feed read by every replica (woken by NOTIFY maas4j_changes). Writers take the counter's
-- row lock until they commit, so versions become visible in order and a reader never skips one.
CREATE TABLE IF NOT EXISTS maas_change_counter (
    id      INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO maas_change_counter (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS maas_change (
    version    BIGINT PRIMARY KEY,
    kind       VARCHAR(16) NOT NULL,
    key_id     VARCHAR(128),
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Usage events, idempotent by request id. Costs are exact: 0.15 per million tokens is 1.5e-7 a token.
CREATE TABLE IF NOT EXISTS maas_usage_event (
    request_id        VARCHAR(256) PRIMARY KEY,
    started_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    key_id            VARCHAR(128) NOT NULL,
    user_name         VARCHAR(256) NOT NULL,
    groups_json       VARCHAR NOT NULL,
    subscription      VARCHAR(256) NOT NULL,
    model             VARCHAR(256) NOT NULL,
    endpoint          VARCHAR(32) NOT NULL,
    prompt_tokens     BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    estimated         BOOLEAN NOT NULL,
    cost              NUMERIC(38, 18) NOT NULL,
    http_status       INTEGER NOT NULL,
    outcome           VARCHAR(32) NOT NULL,
    streamed          BOOLEAN NOT NULL,
    chargeback_json   VARCHAR NOT NULL
);
-- BRIN: events arrive in time order, so a block-range index is tiny and nearly free to maintain
CREATE INDEX IF NOT EXISTS maas_usage_event_started ON maas_usage_event USING brin (started_at);

-- Hourly rollups, maintained in the same transaction as the events they count and kept when old
-- events are purged. Pages are left 30 % free so that the constant increments are HOT updates
-- (no index maintenance). Queries read whole hours here and only the partial hours at the ends of a
-- range from maas_usage_event.
CREATE TABLE IF NOT EXISTS maas_usage_hourly (
    bucket_hour       TIMESTAMP WITH TIME ZONE NOT NULL,
    key_id            VARCHAR(128) NOT NULL,
    user_name         VARCHAR(256) NOT NULL,
    subscription      VARCHAR(256) NOT NULL,
    model             VARCHAR(256) NOT NULL,
    requests          BIGINT NOT NULL,
    successful        BIGINT NOT NULL,
    prompt_tokens     BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    estimated         BIGINT NOT NULL,
    cost              NUMERIC(38, 18) NOT NULL,
    PRIMARY KEY (bucket_hour, key_id, user_name, subscription, model)
) WITH (fillfactor = 70);
CREATE INDEX IF NOT EXISTS maas_usage_hourly_key ON maas_usage_hourly (key_id, bucket_hour);
CREATE INDEX IF NOT EXISTS maas_usage_hourly_user ON maas_usage_hourly (user_name, bucket_hour);

-- The same per model and subscription only: usage of a model across every key reads a few rows an hour.
CREATE TABLE IF NOT EXISTS maas_usage_hourly_model (
    bucket_hour       TIMESTAMP WITH TIME ZONE NOT NULL,
    subscription      VARCHAR(256) NOT NULL,
    model             VARCHAR(256) NOT NULL,
    requests          BIGINT NOT NULL,
    successful        BIGINT NOT NULL,
    prompt_tokens     BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    estimated         BIGINT NOT NULL,
    cost              NUMERIC(38, 18) NOT NULL,
    PRIMARY KEY (bucket_hour, subscription, model)
) WITH (fillfactor = 70);
CREATE INDEX IF NOT EXISTS maas_usage_hourly_model_model ON maas_usage_hourly_model (model, bucket_hour);

-- The same per group of the user, model and subscription (an event counts once for each of its
-- groups). A query that combines a group with a key or a user reads the events instead.
CREATE TABLE IF NOT EXISTS maas_usage_hourly_group (
    bucket_hour       TIMESTAMP WITH TIME ZONE NOT NULL,
    group_name        VARCHAR(256) NOT NULL,
    subscription      VARCHAR(256) NOT NULL,
    model             VARCHAR(256) NOT NULL,
    requests          BIGINT NOT NULL,
    successful        BIGINT NOT NULL,
    prompt_tokens     BIGINT NOT NULL,
    completion_tokens BIGINT NOT NULL,
    estimated         BIGINT NOT NULL,
    cost              NUMERIC(38, 18) NOT NULL,
    PRIMARY KEY (bucket_hour, group_name, subscription, model)
) WITH (fillfactor = 70);
CREATE INDEX IF NOT EXISTS maas_usage_hourly_group_group ON maas_usage_hourly_group (group_name, bucket_hour);

-- Management audit trail.
CREATE TABLE IF NOT EXISTS maas_audit_event (
    id           VARCHAR(128) PRIMARY KEY,
    occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    actor        VARCHAR(256) NOT NULL,
    action       VARCHAR(128) NOT NULL,
    resource     VARCHAR NOT NULL,
    outcome      VARCHAR(32) NOT NULL,
    details_json VARCHAR NOT NULL
);
CREATE INDEX IF NOT EXISTS maas_audit_event_occurred ON maas_audit_event (occurred_at);

-- Shared limit buckets (bucket4j state), one row each, locked with SELECT ... FOR UPDATE.
-- expires_at is in epoch milliseconds on the engines' clock; expired rows are deleted.
CREATE TABLE IF NOT EXISTS maas_limit_bucket (
    id         VARCHAR(512) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX IF NOT EXISTS maas_limit_bucket_expires ON maas_limit_bucket (expires_at);

INSERT INTO maas_schema_version (version, description) VALUES (1, 'initial schema') ON CONFLICT (version) DO NOTHING;
