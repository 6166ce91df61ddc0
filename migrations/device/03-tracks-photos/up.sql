-- GPS points are appended one row at a time while a patrol runs (so they survive the app being
-- killed), then packed into patrol_tracks when it ends.
CREATE TABLE track_points (
    patrol_id      TEXT NOT NULL REFERENCES entries (id),
    seq            INTEGER NOT NULL,
    recorded_at_ms INTEGER NOT NULL,
    lat            REAL NOT NULL,
    lon            REAL NOT NULL,
    accuracy_m     REAL,
    altitude_m     REAL,
    PRIMARY KEY (patrol_id, seq)
) WITHOUT ROWID;

CREATE TABLE patrol_tracks (
    patrol_id   TEXT PRIMARY KEY REFERENCES entries (id),
    point_count INTEGER NOT NULL,
    distance_m  REAL NOT NULL,
    packed      BLOB NOT NULL
) WITHOUT ROWID;

-- Photos are files under photos/ named by their SHA-256; this table knows what is there.
CREATE TABLE photos (
    sha256        TEXT PRIMARY KEY,
    byte_len      INTEGER NOT NULL,
    media_type    TEXT NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    thumbnail     BLOB NOT NULL,
    created_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
