-- Reviewing at scale; same meaning as migrations/county-sqlite/12-review-filters.
ALTER TABLE entries ADD COLUMN severity TEXT;
UPDATE entries SET severity = document::jsonb #>> '{body,severity}'
    WHERE kind = 'hazard' AND local_day IS NOT NULL;
CREATE INDEX entries_page_by_author ON entries (author, occurred_corrected_ms, id)
    WHERE NOT deleted;
CREATE INDEX entries_page_by_severity ON entries (severity, occurred_corrected_ms, id)
    WHERE NOT deleted AND severity IS NOT NULL;
CREATE INDEX entries_returned ON entries (occurred_corrected_ms, id)
    WHERE NOT deleted AND review_decision = 'returned';
