-- maas4j schema, version 2, for H2 2.x: usage events say whether the upstream's reported usage was
-- clamped to what the request could produce (UsageEvent.anomalous). Events stored before are not.
--
-- Idempotent like version 1: running the file again changes nothing.

ALTER TABLE maas_usage_event ADD COLUMN IF NOT EXISTS anomalous BOOLEAN DEFAULT FALSE NOT NULL;

MERGE INTO maas_schema_version t USING (VALUES (2, 'usage event anomalous')) s(version, description) ON t.version = s.version WHEN NOT MATCHED THEN INSERT (version, description) VALUES (s.version, s.description);
