-- The post's roster moves from the JSON list in `device_settings` (key `roster`) into its own
-- table, so each member can hold a PIN: a shared phone asks who holds it.
--   pin_hash         argon2id PHC string; NULL while the member has set none (new on this
--                    phone, or reset by the post leader), to be set at their next unlock
--   leader           the post leader (所长/负责人): at most one; may reset a member's PIN
--   failed_attempts  wrong PINs in a row; a right PIN sets it back to 0
--   blocked_until_ms no PIN of this member is tried before this time (back-off after 5 wrong)
CREATE TABLE members (
    name TEXT PRIMARY KEY NOT NULL,
    position INTEGER NOT NULL,
    pin_hash TEXT,
    leader INTEGER NOT NULL DEFAULT 0 CHECK (leader IN (0, 1)),
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    blocked_until_ms INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE UNIQUE INDEX members_one_leader ON members (leader) WHERE leader = 1;

INSERT OR IGNORE INTO members (name, position)
SELECT trim(value), CAST(key AS INTEGER)
FROM json_each((SELECT value FROM device_settings WHERE key = 'roster' AND json_valid(value)))
WHERE type = 'text' AND trim(value) <> '';

-- A roster that is not valid JSON (never written by the app) is left where it was.
DELETE FROM device_settings WHERE key = 'roster' AND json_valid(value);
