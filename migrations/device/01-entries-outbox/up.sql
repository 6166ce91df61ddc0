-- The device's own identity, its settings, the entries with every version, and the outbox the
-- sync drains. Query columns of `entries` are derived from `document` (the entry's JSON) in the
-- same transaction that writes it.

CREATE TABLE device_identity (
    singleton     INTEGER PRIMARY KEY CHECK (singleton = 1),
    device_id     TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE device_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE entries (
    entry_rowid         INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL,
    category            TEXT NOT NULL,
    status              TEXT,
    occurred_at_ms      INTEGER NOT NULL,
    occurred_offset_min INTEGER NOT NULL,
    local_date          TEXT NOT NULL,
    ended_at_ms         INTEGER,
    lat                 REAL,
    lon                 REAL,
    quantity            REAL,
    unit                TEXT,
    closes_hazard       TEXT,
    author              TEXT,
    search_text         TEXT NOT NULL,
    revision            INTEGER NOT NULL CHECK (revision >= 1),
    created_at_ms       INTEGER NOT NULL,
    updated_at_ms       INTEGER NOT NULL,
    deleted             INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    document            TEXT NOT NULL CHECK (json_valid(document))
);

CREATE INDEX entries_timeline ON entries (deleted, occurred_at_ms DESC, id DESC);
CREATE INDEX entries_kind_timeline ON entries (kind, deleted, occurred_at_ms DESC, id DESC);
CREATE INDEX entries_statistics ON entries (deleted, local_date, kind, category, unit, status, quantity);
CREATE INDEX entries_closing_repairs ON entries (closes_hazard) WHERE closes_hazard IS NOT NULL;

CREATE TABLE entry_versions (
    entry_id      TEXT NOT NULL REFERENCES entries (id),
    revision      INTEGER NOT NULL,
    change        TEXT NOT NULL CHECK (change IN ('create', 'edit', 'delete', 'status')),
    changed_at_ms INTEGER NOT NULL,
    document      TEXT NOT NULL CHECK (json_valid(document)),
    PRIMARY KEY (entry_id, revision)
) WITHOUT ROWID;

-- One row per local change, numbered 1, 2, 3, ... with no gaps: the server can tell a missing
-- record from the sequence alone. The payload is the entry version it points at.
CREATE TABLE outbox (
    seq                INTEGER PRIMARY KEY,
    record_id          TEXT NOT NULL UNIQUE,
    entry_id           TEXT NOT NULL,
    revision           INTEGER NOT NULL,
    change             TEXT NOT NULL,
    created_at_ms      INTEGER NOT NULL,
    acknowledged_at_ms INTEGER,
    FOREIGN KEY (entry_id, revision) REFERENCES entry_versions (entry_id, revision)
);

CREATE INDEX outbox_unacknowledged ON outbox (seq) WHERE acknowledged_at_ms IS NULL;
