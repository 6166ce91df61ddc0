-- Reviewing at scale (issue 14): the entries list filtered by hazard severity, by author and to
-- the entries returned and not changed by the post since (review_decision = 'returned': a
-- member's edit clears a return). Severity becomes a derived query column like the others
-- (storage/query_columns.rs), filled here from each stored hazard's document; rows still
-- lacking every query column (local_day IS NULL) get it from the backfill at open.
ALTER TABLE entries ADD COLUMN severity TEXT;               -- a hazard's body.severity; NULL otherwise
UPDATE entries SET severity = json_extract(document, '$.body.severity')
    WHERE kind = 'hazard' AND local_day IS NOT NULL;
-- Each filter newest first by corrected time, then id, as the list pages; live entries only
-- (the list's default), so an index holds nothing the list does not show.
CREATE INDEX entries_page_by_author ON entries (author, occurred_corrected_ms, id)
    WHERE deleted = 0;
CREATE INDEX entries_page_by_severity ON entries (severity, occurred_corrected_ms, id)
    WHERE deleted = 0 AND severity IS NOT NULL;
CREATE INDEX entries_returned ON entries (occurred_corrected_ms, id)
    WHERE deleted = 0 AND review_decision = 'returned';
