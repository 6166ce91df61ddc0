//! Gives rows written before migration 03 their derived query columns, at start: every entry
//! whose `local_day` is still NULL, a thousand per transaction. After the first start it finds
//! nothing, at once (it reads the index of migration 08, which holds only such entries).

use crate::error::StorageError;
use crate::storage::query_columns::EntryQueryColumns;
use patrol_model::Entry;
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
            .prepare(
                "UPDATE entries SET category = $2, quantity = $3, quantity_unit = $4,
                     status = $5, author = $6, local_day = $7, occurred_offset_minutes = $8,
                     review_decision = $9, lat = $10, lon = $11, search_text = $12,
                     title_zh = $13, photo_count = $14,
                     occurred_corrected_ms = occurred_at_ms + occurred_correction_ms
                 WHERE id = $1",
            )
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
            tx.execute(
                &update,
                &[
                    &id,
                    &columns.category,
                    &columns.quantity,
                    &columns.quantity_unit,
                    &columns.status,
                    &columns.author,
                    &columns.local_day,
                    &columns.occurred_offset_minutes,
                    &columns.review_decision,
                    &columns.lat,
                    &columns.lon,
                    &columns.search_text,
                    &columns.title_zh,
                    &columns.photo_count,
                ],
            )
            .await?;
            filled += 1;
        }
        tx.commit().await?;
    }
}
