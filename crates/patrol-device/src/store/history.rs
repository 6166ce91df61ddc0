//! An entry's history: every version it has had, oldest first.

use super::rows::entry_from_document;
use super::DeviceStore;
use crate::error::DeviceError;
use chrono::{DateTime, Utc};
use patrol_model::{Entry, EntryId};
use serde::Serialize;

/// One version of an entry and what made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntryVersion {
    pub revision: u32,
    /// `create`, `edit`, `delete` or `status` (a repair fixed or re-opened a hazard).
    pub change: String,
    pub changed_at: DateTime<Utc>,
    pub entry: Entry,
}

impl DeviceStore {
    pub fn entry_history(&self, id: EntryId) -> Result<Vec<EntryVersion>, DeviceError> {
        let mut statement = self.connection.prepare(
            "SELECT revision, change, changed_at_ms, document FROM entry_versions
             WHERE entry_id = ?1 ORDER BY revision",
        )?;
        let rows = statement.query_map([id.to_string()], |row| {
            Ok((
                row.get::<_, u32>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, String>(3)?,
            ))
        })?;
        let mut versions = Vec::new();
        for row in rows {
            let (revision, change, changed_at_ms, document) = row?;
            versions.push(EntryVersion {
                revision,
                change,
                changed_at: super::utc_from_millis(changed_at_ms),
                entry: entry_from_document(&document)?,
            });
        }
        if versions.is_empty() {
            return Err(DeviceError::EntryNotFound(id));
        }
        Ok(versions)
    }
}
