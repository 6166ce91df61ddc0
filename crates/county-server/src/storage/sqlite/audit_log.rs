//! The audit log's rows on SQLite.

use crate::audit::NewAuditRow;
use crate::error::StorageError;
use crate::storage::audit_log::{audit_record, AuditPage, AuditQuery};
use rusqlite::{params, Connection};

/// Appends `row` (inside the caller's transaction, when it has one).
pub fn insert(connection: &Connection, row: &NewAuditRow) -> Result<(), StorageError> {
    connection.execute(
        "INSERT INTO audit_log (at_ms, action, outcome, actor, address, target, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            row.at_ms,
            row.action.code(),
            if row.failed { "failed" } else { "ok" },
            row.actor,
            row.address,
            row.target,
            row.detail.to_string(),
        ],
    )?;
    Ok(())
}

type Columns = (
    i64,
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
);

pub fn page(connection: &Connection, query: &AuditQuery) -> Result<AuditPage, StorageError> {
    let mut statement = connection.prepare_cached(
        "SELECT id, at_ms, action, outcome, actor, address, target, detail FROM audit_log
         WHERE (?1 IS NULL OR action = ?1) AND (?2 IS NULL OR at_ms >= ?2)
           AND (?3 IS NULL OR at_ms < ?3) AND (?4 IS NULL OR id < ?4)
         ORDER BY id DESC LIMIT ?5",
    )?;
    let rows = statement.query_map(
        params![
            query.action.map(|action| action.code()),
            query.since_ms,
            query.until_ms,
            query.before_id,
            i64::from(query.limit) + 1,
        ],
        |row| -> rusqlite::Result<Columns> {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
                row.get(7)?,
            ))
        },
    )?;
    let mut records = Vec::new();
    for row in rows {
        let (id, at_ms, action, outcome, actor, address, target, detail) = row?;
        let detail = serde_json::from_str(&detail)
            .map_err(|error| StorageError::corrupt(format!("audit row {id}: {error}")))?;
        records.push(audit_record(
            id, at_ms, &action, &outcome, actor, address, target, detail,
        )?);
    }
    Ok(AuditPage::from_rows(records, query.limit))
}
