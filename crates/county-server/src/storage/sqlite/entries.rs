//! Reading entries' current versions (export, the dashboard).

use super::parse_id;
use crate::error::StorageError;
use crate::storage::{EntryFilter, StoredEntryView};
use rusqlite::{params, Connection};

pub fn list_entries(
    connection: &mut Connection,
    filter: &EntryFilter,
) -> Result<Vec<StoredEntryView>, StorageError> {
    let mut statement = connection.prepare(
        "SELECT post_id, document, occurred_at_ms + occurred_correction_ms AS corrected
         FROM entries
         WHERE (?1 IS NULL OR post_id = ?1) AND (?2 IS NULL OR occurred_at_ms + occurred_correction_ms >= ?2)
         ORDER BY corrected, id",
    )?;
    let mut rows = statement.query(params![
        filter.post_id.map(|id| id.to_string()),
        filter.since_ms
    ])?;
    let mut entries = Vec::new();
    while let Some(row) = rows.next()? {
        let document: String = row.get(1)?;
        entries.push(StoredEntryView {
            post_id: parse_id(&row.get::<_, String>(0)?)?,
            document: serde_json::from_str(&document).map_err(StorageError::corrupt)?,
            occurred_corrected_ms: row.get(2)?,
        });
    }
    Ok(entries)
}
