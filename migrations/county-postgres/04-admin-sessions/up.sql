-- Admin roles and dashboard sessions (docs/county-api.md, "Sessions and roles"). Same tables
-- and meaning as migrations/county-sqlite/04-admin-sessions.
ALTER TABLE admins ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'
    CHECK (role IN ('admin', 'viewer'));

CREATE TABLE admin_sessions (
    token_sha256    TEXT PRIMARY KEY,
    username        TEXT NOT NULL REFERENCES admins(username) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
    created_at_ms   BIGINT NOT NULL,
    expires_at_ms   BIGINT NOT NULL
);
CREATE INDEX admin_sessions_by_username ON admin_sessions (username);
CREATE INDEX admin_sessions_by_expiry ON admin_sessions (expires_at_ms);
