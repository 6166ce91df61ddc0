-- PIN resets the county issued (重置 PIN), pulled with the sync: each is applied once, by its
-- id (the member's PIN forgotten, their wrong-PIN count cleared), and remembered here so a
-- reset pulled again is not applied again.
CREATE TABLE applied_pin_resets (
    id TEXT PRIMARY KEY NOT NULL,
    member TEXT NOT NULL,
    applied_at_ms INTEGER NOT NULL
) STRICT;
