-- The counts per post are kept by the sync and the review themselves (one UPDATE of the post
-- per request); see migrations/county-sqlite/07-entry-counts-in-sync.
DROP TRIGGER entries_counted ON entries;
DROP FUNCTION entries_count_per_post();
UPDATE posts SET
    live_entries = (SELECT COUNT(*) FROM entries e WHERE e.post_id = posts.id AND NOT e.deleted),
    awaiting_review = (SELECT COUNT(*) FROM entries e
                       WHERE e.post_id = posts.id AND NOT e.deleted
                         AND e.review_decision IS NULL);
