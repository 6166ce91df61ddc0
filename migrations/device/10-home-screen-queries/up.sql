-- Home's queries read indexes instead of walking every entry.
--
-- The county's review decision of each entry as a column, so Home's count of returned entries
-- and the log's review filter read an index instead of parsing every entry's document. It is
-- derived from the document on every write, as the other query columns are; the partial index
-- holds only reviewed entries, so recording an unreviewed entry writes no page more.
ALTER TABLE entries ADD COLUMN review_decision TEXT;
UPDATE entries SET review_decision = document ->> '$.review.decision';
CREATE INDEX entries_by_review ON entries (review_decision, occurred_at_ms DESC)
    WHERE review_decision IS NOT NULL;

-- The patrol still running (Home's "继续巡逻"): the index holds only running patrols, one or two
-- rows, so it costs nothing for other entries and Home no longer reads every patrol to find it.
-- Its columns are the query's equalities, so the planner prefers it to entries_kind_timeline.
CREATE INDEX entries_running_patrols ON entries (kind, status, deleted, occurred_at_ms DESC)
    WHERE status = 'running';
