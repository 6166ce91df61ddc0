-- An accepted record is its entry's version in entry_versions: only a refused record keeps its
-- JSON (record_json becomes nullable). SQLite cannot drop NOT NULL in place: the table is
-- rebuilt with the same rows.
CREATE TABLE sync_records_rebuilt (
    device_id       TEXT NOT NULL REFERENCES devices(id),
    seq             INTEGER NOT NULL,
    record_id       TEXT NOT NULL UNIQUE,
    entry_id        TEXT NOT NULL,
    change          TEXT NOT NULL,
    hlc             TEXT NOT NULL,
    accepted        INTEGER NOT NULL,
    problems_json   TEXT,
    record_json     TEXT,                  -- the record as received, when it was refused
    received_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO sync_records_rebuilt
    SELECT device_id, seq, record_id, entry_id, change, hlc, accepted, problems_json,
           CASE WHEN accepted THEN NULL ELSE record_json END, received_at_ms
    FROM sync_records;
DROP TABLE sync_records;
ALTER TABLE sync_records_rebuilt RENAME TO sync_records;

-- The pull skips a device's own echoes: with echo_of_device in the index it never reads a row
-- it does not send.
DROP INDEX entries_by_post_cursor;
CREATE INDEX entries_by_post_cursor ON entries (post_id, change_cursor, echo_of_device);

-- An entry's current version lives once, in entries (with the record that made it and when);
-- entry_versions keeps the versions it replaced. History = entry_versions + the current row
-- (rows written before this migration are in both: same revision, same document).
ALTER TABLE entries ADD COLUMN record_id TEXT;
ALTER TABLE entries ADD COLUMN written_at_ms INTEGER;
UPDATE entries SET
    record_id = (SELECT v.record_id FROM entry_versions v
                 WHERE v.entry_id = entries.id AND v.revision = entries.revision),
    written_at_ms = (SELECT v.created_at_ms FROM entry_versions v
                     WHERE v.entry_id = entries.id AND v.revision = entries.revision);
