-- An accepted record is its entry's version in entry_versions: only a refused record keeps its
-- JSON.
ALTER TABLE sync_records ALTER COLUMN record_json DROP NOT NULL;
UPDATE sync_records SET record_json = NULL WHERE accepted;

-- The pull skips a device's own echoes: with echo_of_device in the index it never reads a row
-- it does not send.
DROP INDEX entries_by_post_cursor;
CREATE INDEX entries_by_post_cursor ON entries (post_id, change_cursor, echo_of_device);

-- An entry's current version lives once, in entries (with the record that made it and when);
-- entry_versions keeps the versions it replaced. History = entry_versions + the current row
-- (rows written before this migration are in both: same revision, same document).
ALTER TABLE entries ADD COLUMN record_id UUID;
ALTER TABLE entries ADD COLUMN written_at_ms BIGINT;
UPDATE entries e SET record_id = v.record_id, written_at_ms = v.created_at_ms
    FROM entry_versions v WHERE v.entry_id = e.id AND v.revision = e.revision;
