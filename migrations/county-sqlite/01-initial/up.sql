-- The county server's schema (embedded SQLite). Append-only: add a new NN-name folder instead
-- of editing this one.

CREATE TABLE posts (
    id              TEXT PRIMARY KEY,            -- PostId (UUIDv7)
    name            TEXT NOT NULL UNIQUE,
    change_counter  INTEGER NOT NULL DEFAULT 0,  -- last pull cursor handed out in this post
    created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE enrolment_codes (
    code_sha256     TEXT PRIMARY KEY,
    post_id         TEXT NOT NULL REFERENCES posts(id),
    expires_at_ms   INTEGER NOT NULL,
    used_at_ms      INTEGER,
    used_by_device  TEXT
) STRICT;

CREATE TABLE devices (
    id                    TEXT PRIMARY KEY,      -- DeviceId, chosen by the device
    post_id               TEXT NOT NULL REFERENCES posts(id),
    label                 TEXT NOT NULL,
    token_sha256          TEXT NOT NULL UNIQUE,
    enrolled_at_ms        INTEGER NOT NULL,
    revoked_at_ms         INTEGER,
    last_contact_ms       INTEGER,
    clock_offset_ms       INTEGER NOT NULL DEFAULT 0,
    clock_flagged         INTEGER NOT NULL DEFAULT 0,
    highest_seq           INTEGER NOT NULL DEFAULT 0,
    acknowledged_through  INTEGER NOT NULL DEFAULT 0,
    missing_json          TEXT NOT NULL DEFAULT '[]'
) STRICT;

CREATE TABLE admins (
    username        TEXT PRIMARY KEY,
    password_phc    TEXT NOT NULL,               -- argon2id PHC string
    created_at_ms   INTEGER NOT NULL
) STRICT;

-- Every record a device sent, accepted or rejected, exactly once.
CREATE TABLE sync_records (
    device_id       TEXT NOT NULL REFERENCES devices(id),
    seq             INTEGER NOT NULL,
    record_id       TEXT NOT NULL UNIQUE,
    entry_id        TEXT NOT NULL,
    change          TEXT NOT NULL,
    hlc             TEXT NOT NULL,
    accepted        INTEGER NOT NULL,
    problems_json   TEXT,
    record_json     TEXT NOT NULL,
    received_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (device_id, seq)
) STRICT, WITHOUT ROWID;

-- Each entry as the server now holds it (merged).
CREATE TABLE entries (
    id                    TEXT PRIMARY KEY,
    post_id               TEXT NOT NULL REFERENCES posts(id),
    kind                  TEXT NOT NULL,
    document              TEXT NOT NULL,         -- the entry's JSON, post_id set
    field_clocks          TEXT NOT NULL,         -- FieldClocks JSON
    revision              INTEGER NOT NULL,
    occurred_at_ms        INTEGER NOT NULL,      -- occurred_at as the device wrote it (UTC)
    occurred_correction_ms INTEGER NOT NULL,     -- clock offset of the device that set it
    deleted               INTEGER NOT NULL,
    change_cursor         INTEGER NOT NULL,      -- posts.change_counter when it last changed
    echo_of_device        TEXT                   -- device whose record equals this version
) STRICT;
CREATE INDEX entries_by_post_cursor ON entries (post_id, change_cursor);
CREATE INDEX entries_by_post_time ON entries (post_id, (occurred_at_ms + occurred_correction_ms));

-- Every version of every entry the server held.
CREATE TABLE entry_versions (
    entry_id        TEXT NOT NULL,
    revision        INTEGER NOT NULL,
    record_id       TEXT NOT NULL,
    document        TEXT NOT NULL,
    created_at_ms   INTEGER NOT NULL,
    PRIMARY KEY (entry_id, revision)
) STRICT, WITHOUT ROWID;
