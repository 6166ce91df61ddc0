//! Gives rows written before migration 03 their derived query columns, at open: every entry
//! whose `local_day` is still NULL, a thousand per transaction. Run on every open; after the
//! first it finds nothing, at once (it reads the index of migration 08, which holds only such
//! entries).

use super::sync_tx::query_column_values;
use crate::error::StorageError;
use crate::storage::query_columns::{query_column_assignments, EntryQueryColumns};
use patrol_model::Entry;
use rusqlite::{params, params_from_iter, Connection, ToSql};

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
            let mut update = tx.prepare(&format!(
                "UPDATE entries SET {},
                     occurred_corrected_ms = occurred_at_ms + occurred_correction_ms
                 WHERE id = ?1",
                query_column_assignments('?', 2)
            ))?;
            for (id, document) in &rows {
                let entry: Entry = match serde_json::from_str(document) {
                    Ok(entry) => entry,
                    Err(error) => {
                        tracing::warn!(entry = %id, %error, "stored entry does not read: left out of the dashboard");
                        continue;
                    }
                };
                let columns = EntryQueryColumns::of(&entry);
                let id: &dyn ToSql = id;
                update.execute(params_from_iter(
                    std::iter::once(id).chain(query_column_values(&columns)),
                ))?;
                filled += 1;
            }
        }
        tx.commit()?;
    }
}
