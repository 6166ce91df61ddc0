//! Gives rows written before migration 03 their derived query columns, at open: every entry
//! whose `local_day` is still NULL, a thousand per transaction. Run on every open; after the
//! first it finds nothing, at once (it reads the index of migration 08, which holds only such
//! entries).

use crate::error::StorageError;
use crate::storage::query_columns::EntryQueryColumns;
use patrol_model::Entry;
use rusqlite::{params, Connection};

const BATCH: i64 = 1000;

/// Fills the query columns of the entries that lack them; returns how many it filled.
pub fn backfill_query_columns(connection: &mut Connection) -> Result<usize, StorageError> {
    let mut filled = 0;
    let mut after = String::new();
    loop {
        let tx = connection.transaction()?;
        let rows: Vec<(String, String)> = tx
            .prepare(
                "SELECT id, document FROM entries WHERE local_day IS NULL AND id > ?1
                 ORDER BY id LIMIT ?2",
            )?
            .query_map(params![after, BATCH], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let Some((last, _)) = rows.last() else {
            return Ok(filled);
        };
        after = last.clone();
        {
            let mut update = tx.prepare(
                "UPDATE entries SET category = ?2, quantity = ?3, quantity_unit = ?4,
                     status = ?5, author = ?6, local_day = ?7, occurred_offset_minutes = ?8,
                     review_decision = ?9, lat = ?10, lon = ?11, search_text = ?12,
                     title_zh = ?13, photo_count = ?14,
                     occurred_corrected_ms = occurred_at_ms + occurred_correction_ms
                 WHERE id = ?1",
            )?;
            for (id, document) in &rows {
                let entry: Entry = match serde_json::from_str(document) {
                    Ok(entry) => entry,
                    Err(error) => {
                        tracing::warn!(entry = %id, %error, "stored entry does not read: left out of the dashboard");
                        continue;
                    }
                };
                let columns = EntryQueryColumns::of(&entry);
                update.execute(params![
                    id,
                    columns.category,
                    columns.quantity,
                    columns.quantity_unit,
                    columns.status,
                    columns.author,
                    columns.local_day,
                    columns.occurred_offset_minutes,
                    columns.review_decision,
                    columns.lat,
                    columns.lon,
                    columns.search_text,
                    columns.title_zh,
                    columns.photo_count,
                ])?;
                filled += 1;
            }
        }
        tx.commit()?;
    }
}
