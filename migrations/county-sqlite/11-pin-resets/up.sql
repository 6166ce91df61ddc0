-- PIN resets by the county (重置 PIN): a member of a post forgot their PIN; every device of the
-- post receives the reset with its next sync (for PIN_RESET_DAYS days) and forgets that
-- member's PIN once, by `id`. Rows are only ever added.
CREATE TABLE pin_resets (
    id           TEXT PRIMARY KEY,                  -- UUIDv7
    post_id      TEXT NOT NULL REFERENCES posts (id),
    member       TEXT NOT NULL,
    issued_at_ms INTEGER NOT NULL,
    issued_by    TEXT NOT NULL
) STRICT;
CREATE INDEX pin_resets_by_post ON pin_resets (post_id, issued_at_ms);
