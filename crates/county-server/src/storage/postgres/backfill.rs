//! Gives rows written before migration 03 their derived query columns, at start: every entry
//! whose `local_day` is still NULL, a thousand per transaction. After the first start it finds
//! nothing, at once (it reads the index of migration 08, which holds only such entries).

use super::sync_tx::query_column_values;
use crate::error::StorageError;
use crate::storage::query_columns::{query_column_assignments, EntryQueryColumns};
use patrol_model::Entry;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

const BATCH: i64 = 1000;

/// Fills the query columns of the entries that lack them; returns how many it filled.
pub async fn backfill_query_columns(
    client: &mut deadpool_postgres::Object,
) -> Result<usize, StorageError> {
    let mut filled = 0;
    let mut after = Uuid::nil();
    loop {
        let tx = client.transaction().await?;
        let rows = tx
            .query(
                "SELECT id, document FROM entries WHERE local_day IS NULL AND id > $1
                 ORDER BY id LIMIT $2",
                &[&after, &BATCH],
            )
            .await?;
        let Some(last) = rows.last() else {
            return Ok(filled);
        };
        after = last.try_get(0)?;
        let update = tx
            .prepare(&format!(
                "UPDATE entries SET {},
                     occurred_corrected_ms = occurred_at_ms + occurred_correction_ms
                 WHERE id = $1",
                query_column_assignments('$', 2)
            ))
            .await?;
        for row in &rows {
            let id: Uuid = row.try_get(0)?;
            let document: String = row.try_get(1)?;
            let entry: Entry = match serde_json::from_str(&document) {
                Ok(entry) => entry,
                Err(error) => {
                    tracing::warn!(entry = %id, %error, "stored entry does not read: left out of the dashboard");
                    continue;
                }
            };
            let columns = EntryQueryColumns::of(&entry);
            let values: Vec<&(dyn ToSql + Sync)> = std::iter::once(&id as &(dyn ToSql + Sync))
                .chain(query_column_values(&columns))
                .collect();
            tx.execute(&update, &values).await?;
            filled += 1;
        }
        tx.commit().await?;
    }
}
