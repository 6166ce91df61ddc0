-- The county dashboard at a million entries; same meaning as
-- migrations/county-sqlite/05-dashboard-at-scale.

ALTER TABLE posts ADD COLUMN live_entries BIGINT NOT NULL DEFAULT 0,
                  ADD COLUMN awaiting_review BIGINT NOT NULL DEFAULT 0;
UPDATE posts SET
    live_entries = (SELECT COUNT(*) FROM entries e WHERE e.post_id = posts.id AND NOT e.deleted),
    awaiting_review = (SELECT COUNT(*) FROM entries e
                       WHERE e.post_id = posts.id AND NOT e.deleted
                         AND e.review_decision IS NULL);

-- Keeps the counts per post in the transaction that writes the entry. A sync or a review
-- already holds the post's row (SELECT … FOR UPDATE), so this adds no waiting.
CREATE FUNCTION entries_count_per_post() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE posts SET
            live_entries = live_entries - (NOT OLD.deleted)::int,
            awaiting_review = awaiting_review
                - (NOT OLD.deleted AND OLD.review_decision IS NULL)::int
        WHERE id = OLD.post_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE posts SET
            live_entries = live_entries + (NOT NEW.deleted)::int,
            awaiting_review = awaiting_review
                + (NOT NEW.deleted AND NEW.review_decision IS NULL)::int
        WHERE id = NEW.post_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER entries_counted AFTER INSERT OR DELETE OR UPDATE OF deleted, review_decision, post_id
    ON entries FOR EACH ROW EXECUTE FUNCTION entries_count_per_post();

DROP INDEX entries_by_local_day;
CREATE INDEX entries_by_local_day ON entries
    (local_day, kind, category, post_id, status, quantity, occurred_corrected_ms, id)
    WHERE NOT deleted;
