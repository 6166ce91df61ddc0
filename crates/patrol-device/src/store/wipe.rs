//! Wiping the store on the county's order (停用并清除). The county revoked this device and
//! ordered its data deleted; the sync learns it ([`crate::sync::wipe`]) and calls
//! [`DeviceStore::wipe_on_county_order`], which:
//!
//! 1. counts what the county never received ([`DeviceStore::unsent_at_wipe`]);
//! 2. writes the wipe notice `wiped.json` (0600, fsynced): those counts, when, and the old
//!    token, which the county accepts for the wipe report alone;
//! 3. destroys the store's key (key file, keystore entry), so nothing left on the disk can be
//!    read, then deletes the store's files (`patrol.sqlite3*`), the `photos/` tree and `basemap/`;
//! 4. opens a fresh, empty store in its place (a new device id, a new key, not enrolled), and
//!    marks the notice finished.
//!
//! Steps 3 and 4 are [`DeviceStore::open`] itself ([`finish_interrupted_wipe`] first), so a
//! crash after step 2 is finished the same way by the next open. Other files a member put in the folder are left alone. The
//! notice stays until the wipe is reported and the device is enrolled anew, so the member sees
//! what happened.

use super::at_rest::key;
use super::private_files::{store_entries, sync_directory, write_private_file_durably, StoreEntry};
use super::DeviceStore;
use crate::error::DeviceError;
use chrono::{DateTime, Utc};
use patrol_model::sync::WipeReport;
use patrol_model::DeviceId;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The wipe notice's file in the data directory.
pub const WIPE_NOTICE_FILE_NAME: &str = "wiped.json";

/// What the wipe leaves behind: `wiped.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WipeNotice {
    pub wiped_at: DateTime<Utc>,
    /// The id of the device that was wiped (the fresh store has a new one).
    pub wiped_device_id: DeviceId,
    pub server_url: String,
    /// The old token, good for the wipe report alone; emptied once the report is kept.
    pub device_token: String,
    pub unsent: WipeReport,
    /// The wiped store's "insecure http" setting, which the report follows too.
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// The store's files are gone and a fresh store is in their place.
    pub finished: bool,
    /// The county has the report.
    pub reported: bool,
}

/// What the member is shown of a wipe (no token).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WipeSummary {
    pub wiped_at: DateTime<Utc>,
    pub unsent: WipeReport,
    pub reported: bool,
    /// The sentence the app and `patrol status` show.
    pub message_zh: String,
}

impl WipeNotice {
    pub fn summary(&self) -> WipeSummary {
        WipeSummary {
            wiped_at: self.wiped_at,
            unsent: self.unsent,
            reported: self.reported,
            message_zh: crate::error::wiped_message_zh(&self.unsent),
        }
    }
}

/// The wipe notice in `data_dir`, if a wipe happened there.
pub fn read_wipe_notice(data_dir: &Path) -> Result<Option<WipeNotice>, DeviceError> {
    let path = data_dir.join(WIPE_NOTICE_FILE_NAME);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|error| DeviceError::Damaged(format!("{}: {error}", path.display()))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(DeviceError::Io { path, source }),
    }
}

/// Writes the notice durably (0600, fsynced, renamed into place).
pub fn write_wipe_notice(data_dir: &Path, notice: &WipeNotice) -> Result<(), DeviceError> {
    let json = serde_json::to_vec_pretty(notice).expect("a wipe notice serialises");
    write_private_file_durably(&data_dir.join(WIPE_NOTICE_FILE_NAME), &json)
}

/// The county has the report: the old token is dropped from the notice.
pub fn mark_wipe_reported(data_dir: &Path) -> Result<(), DeviceError> {
    if let Some(mut notice) = read_wipe_notice(data_dir)? {
        notice.reported = true;
        notice.device_token.clear();
        write_wipe_notice(data_dir, &notice)?;
    }
    Ok(())
}

/// Enrolled anew after a wipe the county has the report of: the notice has done its work.
pub(super) fn forget_reported_wipe(data_dir: &Path) -> Result<(), DeviceError> {
    if read_wipe_notice(data_dir)?.is_some_and(|notice| notice.reported) {
        let path = data_dir.join(WIPE_NOTICE_FILE_NAME);
        std::fs::remove_file(&path).map_err(|source| DeviceError::Io { path, source })?;
    }
    Ok(())
}

/// Called before the store is opened: a wipe that a crash interrupted is carried to its end
/// (the store's key and files deleted; the caller then makes a fresh store).
pub(super) fn finish_interrupted_wipe(data_dir: &Path) -> Result<(), DeviceError> {
    let Some(mut notice) = read_wipe_notice(data_dir)? else {
        return Ok(());
    };
    if notice.finished {
        return Ok(());
    }
    delete_store_files(data_dir)?;
    notice.finished = true;
    write_wipe_notice(data_dir, &notice)
}

/// Destroys the key, then deletes the store's files, the `photos/` tree and the basemap
/// ([`store_entries`]).
fn delete_store_files(data_dir: &Path) -> Result<(), DeviceError> {
    key::forget(data_dir)?;
    for entry in store_entries(data_dir)? {
        let (path, removed) = match entry {
            StoreEntry::Tree(path) => {
                let removed = std::fs::remove_dir_all(&path);
                (path, removed)
            }
            StoreEntry::File(path) => {
                let removed = std::fs::remove_file(&path);
                (path, removed)
            }
        };
        removed.map_err(|source| DeviceError::Io { path, source })?;
    }
    sync_directory(data_dir);
    Ok(())
}

impl DeviceStore {
    /// What the county has not received: entries with changes not acknowledged or refused
    /// (a refused change never reached the county's records), and photos not uploaded with
    /// their bytes.
    pub fn unsent_at_wipe(&self) -> Result<WipeReport, DeviceError> {
        let unsent_entries: i64 = self.connection.query_row(
            "SELECT COUNT(DISTINCT o.entry_id) FROM outbox o
             WHERE o.acknowledged_at_ms IS NULL
                OR (o.rejected_at_ms IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM outbox later
                                    WHERE later.entry_id = o.entry_id AND later.seq > o.seq))",
            [],
            |row| row.get(0),
        )?;
        let (unsent_photos, unsent_photo_bytes): (i64, i64) = self.connection.query_row(
            "SELECT COUNT(*), COALESCE(SUM(byte_len), 0) FROM photos WHERE original_uploaded = 0",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok(WipeReport {
            unsent_entries: unsent_entries.max(0) as u64,
            unsent_photos: unsent_photos.max(0) as u64,
            unsent_photo_bytes: unsent_photo_bytes.max(0) as u64,
        })
    }

    /// Carries out the county's order to wipe this device (see the module's steps) and returns
    /// the notice. Afterwards `self` is a fresh, empty, unenrolled store.
    pub fn wipe_on_county_order(&mut self) -> Result<WipeNotice, DeviceError> {
        let enrolment = self.enrolment()?;
        let mut notice = WipeNotice {
            wiped_at: Utc::now(),
            wiped_device_id: self.device_id,
            server_url: enrolment
                .as_ref()
                .map(|enrolment| enrolment.server_url.clone())
                .unwrap_or_default(),
            device_token: enrolment
                .map(|enrolment| enrolment.device_token)
                .unwrap_or_default(),
            unsent: self.unsent_at_wipe()?,
            allow_insecure_http: self.allow_insecure_http()?,
            finished: false,
            reported: false,
        };
        write_wipe_notice(&self.data_dir, &notice)?;
        // Close the store's connection before its files go; opening again then finishes the
        // wipe the notice records, as after a crash, and makes the fresh store.
        self.connection = rusqlite::Connection::open_in_memory()?;
        *self = DeviceStore::open(&self.data_dir.clone())?;
        notice.finished = true;
        Ok(notice)
    }

    /// The wipe this folder went through, if any, as the member is shown it.
    pub fn wipe_summary(&self) -> Result<Option<WipeSummary>, DeviceError> {
        Ok(read_wipe_notice(&self.data_dir)?.map(|notice| notice.summary()))
    }
}
