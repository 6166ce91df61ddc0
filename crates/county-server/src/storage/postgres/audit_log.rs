//! The audit log's rows on PostgreSQL.

use crate::audit::NewAuditRow;
use crate::error::StorageError;
use crate::storage::audit_log::{audit_record, AuditPage, AuditQuery};
use deadpool_postgres::GenericClient;

/// Appends `row` (inside the caller's transaction, when it has one).
pub async fn insert(client: &impl GenericClient, row: &NewAuditRow) -> Result<(), StorageError> {
    client
        .execute(
            "INSERT INTO audit_log (at_ms, action, outcome, actor, address, target, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &row.at_ms,
                &row.action.code(),
                &if row.failed { "failed" } else { "ok" },
                &row.actor,
                &row.address,
                &row.target,
                &row.detail,
            ],
        )
        .await?;
    Ok(())
}

pub async fn page(
    client: &impl GenericClient,
    query: &AuditQuery,
) -> Result<AuditPage, StorageError> {
    let rows = client
        .query(
            "SELECT id, at_ms, action, outcome, actor, address, target, detail FROM audit_log
             WHERE ($1::text IS NULL OR action = $1) AND ($2::bigint IS NULL OR at_ms >= $2)
               AND ($3::bigint IS NULL OR at_ms < $3) AND ($4::bigint IS NULL OR id < $4)
             ORDER BY id DESC LIMIT $5",
            &[
                &query.action.map(|action| action.code()),
                &query.since_ms,
                &query.until_ms,
                &query.before_id,
                &(i64::from(query.limit) + 1),
            ],
        )
        .await?;
    let records = rows
        .iter()
        .map(|row| {
            audit_record(
                row.get(0),
                row.get(1),
                row.get::<_, &str>(2),
                row.get::<_, &str>(3),
                row.get(4),
                row.get(5),
                row.get(6),
                row.get(7),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(AuditPage::from_rows(records, query.limit))
}
