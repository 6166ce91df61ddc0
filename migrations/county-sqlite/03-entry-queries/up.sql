-- What the county dashboard and the year-end report query, as columns of `entries` derived
-- from the entry when its current version is written (storage/query_columns.rs). Rows written
-- before this migration get them at open (a backfill in Rust for rows where local_day IS NULL).
ALTER TABLE entries ADD COLUMN category TEXT;               -- EntryBody::category_code
ALTER TABLE entries ADD COLUMN quantity REAL;               -- the counted quantity, in quantity_unit
ALTER TABLE entries ADD COLUMN quantity_unit TEXT;          -- km, m, count, persons
ALTER TABLE entries ADD COLUMN status TEXT;                 -- open, fixed, running, ended
ALTER TABLE entries ADD COLUMN author TEXT;
ALTER TABLE entries ADD COLUMN local_day TEXT;              -- YYYY-MM-DD of occurred_at, member's offset
ALTER TABLE entries ADD COLUMN occurred_offset_minutes INTEGER; -- the offset occurred_at was written in
ALTER TABLE entries ADD COLUMN occurred_corrected_ms INTEGER;   -- occurred_at_ms + occurred_correction_ms
ALTER TABLE entries ADD COLUMN review_decision TEXT;        -- approved, returned; NULL = pending
ALTER TABLE entries ADD COLUMN lat REAL;
ALTER TABLE entries ADD COLUMN lon REAL;
ALTER TABLE entries ADD COLUMN search_text TEXT;            -- lower-cased; matched with LIKE '%q%'
ALTER TABLE entries ADD COLUMN title_zh TEXT;
ALTER TABLE entries ADD COLUMN photo_count INTEGER;
-- Who wrote a version: a device's record or the county (a review).
ALTER TABLE entries ADD COLUMN written_by TEXT NOT NULL DEFAULT 'device';
ALTER TABLE entry_versions ADD COLUMN written_by TEXT NOT NULL DEFAULT 'device';

-- How long the oldest record of the device's last sync had waited on the device.
ALTER TABLE devices ADD COLUMN pending_age_ms INTEGER;

UPDATE entries SET occurred_corrected_ms = occurred_at_ms + occurred_correction_ms;

-- The entries list: newest first by corrected time, then id (keyset), alone or by post or kind.
DROP INDEX entries_by_post_time;
CREATE INDEX entries_page_by_time ON entries (occurred_corrected_ms, id);
CREATE INDEX entries_page_by_post ON entries (post_id, deleted, occurred_corrected_ms, id);
CREATE INDEX entries_page_by_kind ON entries (kind, occurred_corrected_ms, id);
-- Awaiting review: live entries without a decision.
CREATE INDEX entries_awaiting_review ON entries (occurred_corrected_ms, id)
    WHERE review_decision IS NULL AND deleted = 0;
-- The year-end report and the statistics read only this index (live entries by local day).
CREATE INDEX entries_by_local_day ON entries
    (local_day, kind, category, post_id, status, quantity) WHERE deleted = 0;
