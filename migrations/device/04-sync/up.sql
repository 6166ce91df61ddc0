-- Sync state. Each outbox record gets the hybrid logical clock of its change (records written
-- before this version get one from their creation time), and can be marked rejected by the
-- county with its reasons. Versions pulled from the server are kept apart from local ones: only
-- local versions have an outbox record. Photos remember which variants the server has.

ALTER TABLE outbox ADD COLUMN hlc TEXT;
UPDATE outbox SET hlc = printf('%016d-%05d-%s', created_at_ms, seq % 100000,
                               (SELECT device_id FROM device_identity WHERE singleton = 1))
WHERE hlc IS NULL;
ALTER TABLE outbox ADD COLUMN rejected_at_ms INTEGER;
ALTER TABLE outbox ADD COLUMN rejection TEXT CHECK (rejection IS NULL OR json_valid(rejection));

ALTER TABLE entry_versions ADD COLUMN source TEXT NOT NULL DEFAULT 'local'
    CHECK (source IN ('local', 'server'));

ALTER TABLE photos ADD COLUMN thumbnail_uploaded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE photos ADD COLUMN original_uploaded INTEGER NOT NULL DEFAULT 0;
