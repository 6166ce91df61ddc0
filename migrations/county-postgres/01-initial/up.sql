-- The county server's schema (PostgreSQL). Append-only: add a new NN-name folder instead of
-- editing this one. Same tables and meaning as migrations/county-sqlite.

CREATE TABLE posts (
    id              UUID PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    change_counter  BIGINT NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
);

CREATE TABLE enrolment_codes (
    code_sha256     TEXT PRIMARY KEY,
    post_id         UUID NOT NULL REFERENCES posts(id),
    expires_at_ms   BIGINT NOT NULL,
    used_at_ms      BIGINT,
    used_by_device  UUID
);

CREATE TABLE devices (
    id                    UUID PRIMARY KEY,
    post_id               UUID NOT NULL REFERENCES posts(id),
    label                 TEXT NOT NULL,
    token_sha256          TEXT NOT NULL UNIQUE,
    enrolled_at_ms        BIGINT NOT NULL,
    revoked_at_ms         BIGINT,
    last_contact_ms       BIGINT,
    clock_offset_ms       BIGINT NOT NULL DEFAULT 0,
    clock_flagged         BOOLEAN NOT NULL DEFAULT FALSE,
    highest_seq           BIGINT NOT NULL DEFAULT 0,
    acknowledged_through  BIGINT NOT NULL DEFAULT 0,
    missing_json          TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE admins (
    username        TEXT PRIMARY KEY,
    password_phc    TEXT NOT NULL,
    created_at_ms   BIGINT NOT NULL
);

CREATE TABLE sync_records (
    device_id       UUID NOT NULL REFERENCES devices(id),
    seq             BIGINT NOT NULL,
    record_id       UUID NOT NULL UNIQUE,
    entry_id        UUID NOT NULL,
    change          TEXT NOT NULL,
    hlc             TEXT NOT NULL,
    accepted        BOOLEAN NOT NULL,
    problems_json   TEXT,
    record_json     TEXT NOT NULL,
    received_at_ms  BIGINT NOT NULL,
    PRIMARY KEY (device_id, seq)
);

CREATE TABLE entries (
    id                     UUID PRIMARY KEY,
    post_id                UUID NOT NULL REFERENCES posts(id),
    kind                   TEXT NOT NULL,
    document               TEXT NOT NULL,
    field_clocks           TEXT NOT NULL,
    revision               BIGINT NOT NULL,
    occurred_at_ms         BIGINT NOT NULL,
    occurred_correction_ms BIGINT NOT NULL,
    deleted                BOOLEAN NOT NULL,
    change_cursor          BIGINT NOT NULL,
    echo_of_device         UUID
);
CREATE INDEX entries_by_post_cursor ON entries (post_id, change_cursor);
CREATE INDEX entries_by_post_time ON entries (post_id, (occurred_at_ms + occurred_correction_ms));

CREATE TABLE entry_versions (
    entry_id        UUID NOT NULL,
    revision        BIGINT NOT NULL,
    record_id       UUID NOT NULL,
    document        TEXT NOT NULL,
    created_at_ms   BIGINT NOT NULL,
    PRIMARY KEY (entry_id, revision)
);
