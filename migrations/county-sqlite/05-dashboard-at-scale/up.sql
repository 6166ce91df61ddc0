-- The county dashboard at a million entries (goals: overview <= 300 ms, a filtered entries
-- page <= 100 ms, the annual report <= 1 s).

-- The overview's counts per post, kept by triggers in the same transaction as every write of
-- an entry (an upsert fires the UPDATE trigger when the entry existed), so the overview reads
-- one row per post instead of counting a million entries.
ALTER TABLE posts ADD COLUMN live_entries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN awaiting_review INTEGER NOT NULL DEFAULT 0;
UPDATE posts SET
    live_entries = (SELECT COUNT(*) FROM entries e WHERE e.post_id = posts.id AND e.deleted = 0),
    awaiting_review = (SELECT COUNT(*) FROM entries e
                       WHERE e.post_id = posts.id AND e.deleted = 0 AND e.review_decision IS NULL);
CREATE TRIGGER entries_counted_on_insert AFTER INSERT ON entries
BEGIN
    UPDATE posts SET live_entries = live_entries + (NEW.deleted = 0),
        awaiting_review = awaiting_review + (NEW.deleted = 0 AND NEW.review_decision IS NULL)
    WHERE id = NEW.post_id;
END;
CREATE TRIGGER entries_counted_on_update AFTER UPDATE OF deleted, review_decision, post_id
    ON entries
BEGIN
    UPDATE posts SET live_entries = live_entries - (OLD.deleted = 0),
        awaiting_review = awaiting_review - (OLD.deleted = 0 AND OLD.review_decision IS NULL)
    WHERE id = OLD.post_id;
    UPDATE posts SET live_entries = live_entries + (NEW.deleted = 0),
        awaiting_review = awaiting_review + (NEW.deleted = 0 AND NEW.review_decision IS NULL)
    WHERE id = NEW.post_id;
END;
CREATE TRIGGER entries_counted_on_delete AFTER DELETE ON entries
BEGIN
    UPDATE posts SET live_entries = live_entries - (OLD.deleted = 0),
        awaiting_review = awaiting_review - (OLD.deleted = 0 AND OLD.review_decision IS NULL)
    WHERE id = OLD.post_id;
END;

-- A page of a day range sorts the range's rows by corrected time: with the time and id in the
-- report's index, that sort reads the index only.
DROP INDEX entries_by_local_day;
CREATE INDEX entries_by_local_day ON entries
    (local_day, kind, category, post_id, status, quantity, occurred_corrected_ms, id)
    WHERE deleted = 0;
-- The entries list newest first, and its text search (LIKE '%q%'): this index holds the text,
-- so the search walks it newest first and reads an entry only when its text matches, instead
-- of reading every entry. It replaces the time index of migration 03 (one index, so the
-- planner cannot pick the one that reads every entry).
DROP INDEX entries_page_by_time;
CREATE INDEX entries_page_by_time ON entries (occurred_corrected_ms, id, deleted, search_text);
