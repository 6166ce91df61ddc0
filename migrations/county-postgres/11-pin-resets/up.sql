-- PIN resets by the county (重置 PIN): a member of a post forgot their PIN; every device of the
-- post receives the reset with its next sync (for PIN_RESET_DAYS days) and forgets that
-- member's PIN once, by `id`. Rows are only ever added.
CREATE TABLE pin_resets (
    id           UUID PRIMARY KEY,
    post_id      UUID NOT NULL REFERENCES posts (id),
    member       TEXT NOT NULL,
    issued_at_ms BIGINT NOT NULL,
    issued_by    TEXT NOT NULL
);
CREATE INDEX pin_resets_by_post ON pin_resets (post_id, issued_at_ms);
