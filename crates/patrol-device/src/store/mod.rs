//! The local store: one SQLite file in the data directory, plus `photos/`, both encrypted at
//! rest (`at_rest/`) and readable by their owner only (`private_files.rs`).
//!
//! Invariants: every change to an entry writes its new version to `entry_versions` and appends
//! one row to `outbox`, in the same transaction as the change; outbox sequence numbers are
//! contiguous from 1; deletes are tombstones; nothing invalid is ever written.

pub mod app_settings;
pub mod at_rest;
pub mod display_settings;
pub mod entries;
pub mod entry_list;
pub mod history;
pub mod home_summary;
pub mod members;
pub mod month_summary;
pub mod open_hazards;
pub mod outbox;
pub mod pending_entries;
pub mod photos;
pub mod send_state;
pub mod statistics;
pub mod sync_state;
pub mod tracks;
pub mod wipe;

mod opening;
pub mod private_files;
mod pulled;
mod rows;

use crate::error::DeviceError;
use chrono::{DateTime, Local, Utc};
use patrol_model::{DeviceId, LocalTime};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};

/// A device's local store. Open one per process; SQLite's WAL lets the app and the CLI share the
/// file.
pub struct DeviceStore {
    connection: Connection,
    data_dir: PathBuf,
    device_id: DeviceId,
    /// The key of the database and the photo files (`at_rest/`).
    key: at_rest::StoreKey,
    key_storage: at_rest::KeyStorage,
}

impl DeviceStore {
    /// Opens the store in `data_dir`, applying any pending migrations. Only a missing file
    /// makes a new store; an empty or damaged one is [`DeviceError::StoreDamaged`] and is kept.
    pub fn open(data_dir: &Path) -> Result<DeviceStore, DeviceError> {
        private_files::create_private_dir_all(data_dir)?;
        private_files::tighten_data_dir(data_dir)?;
        wipe::finish_interrupted_wipe(data_dir)?;
        DeviceStore::from_opened(data_dir, opening::open_store_file(data_dir)?)
    }

    /// A store whose database is NOT encrypted, as before the store was encrypted at rest: only
    /// for the benchmarks that compare the two (`benches/store_at_rest.rs`).
    #[doc(hidden)]
    pub fn open_plain_for_benchmarks(data_dir: &Path) -> Result<DeviceStore, DeviceError> {
        private_files::create_private_dir_all(data_dir)?;
        DeviceStore::from_opened(data_dir, opening::open_plain_store_file(data_dir)?)
    }

    fn from_opened(
        data_dir: &Path,
        opened: opening::OpenedStore,
    ) -> Result<DeviceStore, DeviceError> {
        Ok(DeviceStore {
            connection: opened.connection,
            data_dir: data_dir.to_path_buf(),
            device_id: opened.device_id,
            key: opened.key,
            key_storage: opened.key_storage,
        })
    }

    /// Where this store's key is kept: the platform keystore, or the file beside the store
    /// (which the app's Settings warns about).
    pub fn key_storage(&self) -> at_rest::KeyStorage {
        self.key_storage
    }

    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The path of the SQLite file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(crate::STORE_FILE_NAME)
    }

    /// SQLite's own check of the file: `"ok"` when the file is sound.
    pub fn integrity_check(&self) -> Result<String, DeviceError> {
        let mut statement = self.connection.prepare("PRAGMA integrity_check")?;
        let lines: Vec<String> = statement
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(lines.join("\n"))
    }

    /// A device setting (e.g. `current_member`), if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>, DeviceError> {
        read_setting(&self.connection, key)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), DeviceError> {
        write_setting(&self.connection, key, value)
    }

    /// A write transaction that takes the write lock at once: a deferred one that reads first
    /// could fail with SQLITE_BUSY when another process (the app, the CLI) writes meanwhile.
    pub(crate) fn begin_write(&mut self) -> Result<Transaction<'_>, DeviceError> {
        Ok(self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }
}

/// A device setting read on any connection or transaction.
pub(crate) fn read_setting(
    connection: &Connection,
    key: &str,
) -> Result<Option<String>, DeviceError> {
    Ok(connection
        .query_row(
            "SELECT value FROM device_settings WHERE key = ?1",
            [key],
            |row| row.get(0),
        )
        .optional()?)
}

/// A device setting written on any connection or transaction.
pub(crate) fn write_setting(
    connection: &Connection,
    key: &str,
    value: &str,
) -> Result<(), DeviceError> {
    connection.execute(
        "INSERT INTO device_settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The setting that names the member using this phone now (a post shares phones).
pub const CURRENT_MEMBER_SETTING: &str = "current_member";
/// The post this device was enrolled in.
pub const POST_ID_SETTING: &str = "post_id";

/// The device's clock now, in its own offset: what a member means by "now".
pub fn local_now() -> LocalTime {
    LocalTime::from_datetime(Local::now().fixed_offset())
}

pub(crate) fn utc_from_millis(millis: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(millis).unwrap_or_default()
}
