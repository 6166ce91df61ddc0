-- What the county dashboard and the year-end report query, as columns of `entries` derived
-- from the entry when its current version is written (storage/query_columns.rs). Rows written
-- before this migration get them at start (a backfill in Rust for rows where local_day IS NULL).
-- Same columns and meaning as migrations/county-sqlite/03-entry-queries.
ALTER TABLE entries
    ADD COLUMN category TEXT,
    ADD COLUMN quantity DOUBLE PRECISION,
    ADD COLUMN quantity_unit TEXT,
    ADD COLUMN status TEXT,
    ADD COLUMN author TEXT,
    ADD COLUMN local_day TEXT,
    ADD COLUMN occurred_offset_minutes INTEGER,
    ADD COLUMN occurred_corrected_ms BIGINT,
    ADD COLUMN review_decision TEXT,
    ADD COLUMN lat DOUBLE PRECISION,
    ADD COLUMN lon DOUBLE PRECISION,
    ADD COLUMN search_text TEXT,
    ADD COLUMN title_zh TEXT,
    ADD COLUMN photo_count INTEGER,
    ADD COLUMN written_by TEXT NOT NULL DEFAULT 'device';
ALTER TABLE entry_versions ADD COLUMN written_by TEXT NOT NULL DEFAULT 'device';

ALTER TABLE devices ADD COLUMN pending_age_ms BIGINT;

UPDATE entries SET occurred_corrected_ms = occurred_at_ms + occurred_correction_ms;

DROP INDEX entries_by_post_time;
CREATE INDEX entries_page_by_time ON entries (occurred_corrected_ms, id);
CREATE INDEX entries_page_by_post ON entries (post_id, deleted, occurred_corrected_ms, id);
CREATE INDEX entries_page_by_kind ON entries (kind, occurred_corrected_ms, id);
CREATE INDEX entries_awaiting_review ON entries (occurred_corrected_ms, id)
    WHERE review_decision IS NULL AND NOT deleted;
CREATE INDEX entries_by_local_day ON entries
    (local_day, kind, category, post_id, status, quantity) WHERE NOT deleted;

-- Text search: LIKE '%q%' on search_text; a trigram index makes it fast for q of three or more
-- characters where the server ships pg_trgm (the query is the same without it).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE INDEX entries_search_trigram ON entries USING gin (search_text gin_trgm_ops);
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'pg_trgm not usable (%): text search scans', SQLERRM;
        END;
    END IF;
END
$$;
