//! How long the phone keeps camera originals. An original stays until either
//! - its send version was confirmed uploaded [`ORIGINAL_KEEP_DAYS`] days ago, or
//! - the member deleted the entries that show it (it is referenced by deleted entries only),
//!
//! and is then pruned: its file is deleted and its row marked, while the send version, the
//! thumbnail and the camera metadata stay. An original that is the send version itself is never
//! pruned. Deleting the file comes before marking the row, so a crash in between is finished by
//! the next prune. Nothing calls the prune on its own yet (the app is to run it at start).

use super::super::DeviceStore;
use crate::error::DeviceError;
use chrono::{DateTime, Duration, Utc};
use patrol_model::PhotoHash;
use serde::Serialize;

/// Days an original is kept after its send version reached the county.
pub const ORIGINAL_KEEP_DAYS: i64 = 180;

/// What one prune freed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PrunedOriginals {
    pub originals: u64,
    pub bytes: u64,
}

impl DeviceStore {
    /// Deletes the originals that are due at `now` (see the module's rules).
    pub fn prune_photo_originals(
        &mut self,
        now: DateTime<Utc>,
    ) -> Result<PrunedOriginals, DeviceError> {
        let uploaded_before = (now - Duration::days(ORIGINAL_KEEP_DAYS)).timestamp_millis();
        let due = self.originals_due(uploaded_before)?;
        let mut pruned = PrunedOriginals::default();
        for (sha256, original, byte_len) in due {
            let path = self.original_path(&original);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(DeviceError::Io { path, source }),
            }
            self.connection.execute(
                "UPDATE photos SET original_pruned_at_ms = ?2 WHERE sha256 = ?1",
                rusqlite::params![sha256.as_str(), now.timestamp_millis()],
            )?;
            pruned.originals += 1;
            pruned.bytes += byte_len;
        }
        Ok(pruned)
    }

    /// Photos whose original is kept apart and due: (send hash, original hash, original bytes).
    fn originals_due(
        &self,
        uploaded_before_ms: i64,
    ) -> Result<Vec<(PhotoHash, PhotoHash, u64)>, DeviceError> {
        let mut statement = self.connection.prepare(
            "WITH shown AS (
                 SELECT json_extract(photo.value, '$.sha256') AS sha256,
                        MIN(entries.deleted) AS only_deleted
                 FROM entries, json_each(entries.document, '$.photos') AS photo
                 GROUP BY 1)
             SELECT photos.sha256, photos.original_sha256, photos.original_byte_len
             FROM photos LEFT JOIN shown ON shown.sha256 = photos.sha256
             WHERE photos.original_pruned_at_ms IS NULL
               AND photos.original_sha256 <> photos.sha256
               AND (photos.send_uploaded_at_ms <= ?1 OR shown.only_deleted = 1)
             ORDER BY photos.sha256",
        )?;
        let rows = statement.query_map([uploaded_before_ms], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?;
        let mut due = Vec::new();
        for row in rows {
            let (sha256, original, byte_len) = row?;
            due.push((
                PhotoHash::try_from(sha256).map_err(DeviceError::Damaged)?,
                PhotoHash::try_from(original).map_err(DeviceError::Damaged)?,
                byte_len.max(0) as u64,
            ));
        }
        Ok(due)
    }
}
