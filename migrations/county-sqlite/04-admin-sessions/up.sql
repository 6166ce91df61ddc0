-- Admin roles and dashboard sessions (docs/county-api.md, "Sessions and roles").
-- `admin` may change things, `viewer` only reads; admins added before roles existed are `admin`.
ALTER TABLE admins ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'
    CHECK (role IN ('admin', 'viewer'));

-- One row per logged-in browser. Only the SHA-256 of the cookie's token is kept; a session
-- lives 12 h after its last use (the server moves expires_at_ms forward).
CREATE TABLE admin_sessions (
    token_sha256    TEXT PRIMARY KEY,
    username        TEXT NOT NULL REFERENCES admins(username) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
    created_at_ms   INTEGER NOT NULL,
    expires_at_ms   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX admin_sessions_by_username ON admin_sessions (username);
CREATE INDEX admin_sessions_by_expiry ON admin_sessions (expires_at_ms);
