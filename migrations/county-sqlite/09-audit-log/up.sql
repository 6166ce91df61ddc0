-- The county's audit log (操作记录): one row per county action — a login or a failed one, a
-- review, a revoke, an export or report written, an enrolment code made, a post added, an admin
-- added or reset — written by the action itself, in its transaction where it has one. Rows are
-- only ever added. `id` orders them (the dashboard pages newest first by id); `at_ms` is the
-- server's clock; `detail` is the action's JSON (entry, decision, format, ...).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
    actor TEXT NOT NULL,
    address TEXT,
    target TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
CREATE INDEX audit_log_by_time ON audit_log (at_ms);
