-- maas4j schema, version 2, for PostgreSQL 12 or later: usage events say whether the upstream's
-- reported usage was clamped to what the request could produce (UsageEvent.anomalous). Events
-- stored before are not. A constant default adds the column without rewriting the table.
--
-- Applied at start by JdbcStore, or by hand:  psql -v ON_ERROR_STOP=1 -1 -f V2__usage_event_anomalous.sql

ALTER TABLE maas_usage_event ADD COLUMN IF NOT EXISTS anomalous BOOLEAN NOT NULL DEFAULT FALSE;

INSERT INTO maas_schema_version (version, description) VALUES (2, 'usage event anomalous') ON CONFLICT (version) DO NOTHING;
