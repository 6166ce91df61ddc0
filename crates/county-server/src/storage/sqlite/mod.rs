//! The embedded default: one SQLite file (WAL, `synchronous=FULL`), every call on a blocking
//! thread. One writing connection behind a mutex (SQLite has one writer at a time anyway; a
//! county's hundreds of devices fit in that), and one read-only connection for the reads every
//! request makes (device authentication), which WAL lets run while a sync writes; the
//! dashboard's queries have a read-only connection of their own. The file and its `-wal` /
//! `-shm` are `0600` ([`crate::private_files`]).

mod admin_sessions;
mod admins;
mod audit_log;
mod backfill;
mod dashboard;
mod devices;
mod entries;
mod migrations;
mod posts;
mod report;
mod sync_tx;

pub use migrations::{county_sqlite_migrations, county_sqlite_schema_version};

use crate::audit::{Actor, AuditEvent, NewAuditRow};
use crate::error::{EnrolError, StorageError, SyncError};
use crate::private_files;
use crate::storage::audit_log::{AuditLog, AuditPage, AuditQuery};
use crate::storage::pin_resets::new_pin_reset;
use crate::storage::{
    AuthenticatedDevice, CountyStorage, DeviceSummary, EntryFilter, NewDevice, Post, Revocation,
    StoredEntryView,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use patrol_model::sync::{PinReset, SyncRequest, SyncResponse, WipeReport};
use patrol_model::{DeviceId, PostId};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The county's data in one SQLite file.
#[derive(Clone)]
pub struct SqliteStorage {
    connection: Arc<Mutex<Connection>>,
    reader: Arc<Mutex<Connection>>,
    /// Read-only, for the dashboard's longer queries, so they never hold up authentication.
    dashboard: Arc<Mutex<Connection>>,
}

impl SqliteStorage {
    /// Opens (creating it and its folder if needed) and migrates the file at `path`.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StorageError> {
        let path = path.as_ref().to_path_buf();
        let (connection, reader, dashboard) = tokio::task::spawn_blocking(move || {
            create_owner_only(&path)?;
            let mut connection = Connection::open(&path)?;
            connection.execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = FULL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 5000;
                 PRAGMA cache_size = -65536;
                 PRAGMA wal_autocheckpoint = 8000;",
            )?;
            connection.set_prepared_statement_cache_capacity(64);
            county_sqlite_migrations().to_latest(&mut connection)?;
            backfill::backfill_query_columns(&mut connection)?;
            let reader = open_reader(&path, "")?;
            let dashboard_reader = open_reader(&path, "PRAGMA cache_size = -65536;")?;
            restrict_database_files(&path)?;
            Ok::<_, StorageError>((connection, reader, dashboard_reader))
        })
        .await??;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
            reader: Arc::new(Mutex::new(reader)),
            dashboard: Arc::new(Mutex::new(dashboard)),
        })
    }

    /// Runs `work` on a blocking thread with the connection (never inside a transaction left
    /// open by a failed call).
    async fn run<R, E>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<R, E> + Send + 'static,
    ) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        tokio::task::spawn_blocking(move || {
            let mut connection = connection
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if !connection.is_autocommit() {
                connection
                    .execute_batch("ROLLBACK")
                    .map_err(|error| E::from(StorageError::from(error)))?;
            }
            work(&mut connection)
        })
        .await
        .map_err(|error| E::from(StorageError::Join(error)))?
    }

    /// Runs `work` on a blocking thread with the read-only connection, which WAL lets read
    /// while the writing connection is inside a sync.
    async fn read<R: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<R, StorageError> + Send + 'static,
    ) -> Result<R, StorageError> {
        read_on(&self.reader, work).await
    }

    /// Runs `work` on a blocking thread with the dashboard's read-only connection.
    async fn query<R: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<R, StorageError> + Send + 'static,
    ) -> Result<R, StorageError> {
        read_on(&self.dashboard, work).await
    }
}

/// Creates the database's missing folders (`0700`) and, when it is new, the empty file `0600`,
/// so SQLite (which gives the `-wal` and `-shm` files the database's mode) never makes one
/// that others can read.
fn create_owner_only(path: &Path) -> Result<(), StorageError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        private_files::create_private_dir_all(parent)?;
    }
    match private_files::private_open_options()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// Makes the database file and its `-wal` / `-shm` files `0600`, telling when one was not.
fn restrict_database_files(path: &Path) -> Result<(), StorageError> {
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        if file.exists() && private_files::restrict_file(&file)? {
            tracing::warn!(file = %file.display(), "others could read this file: made it 0600");
        }
    }
    Ok(())
}

/// Opens a read-only connection to the file at `path` (`extra_pragmas` after the common ones).
fn open_reader(path: &Path, extra_pragmas: &str) -> Result<Connection, StorageError> {
    let reader = Connection::open(path)?;
    reader.execute_batch(&format!(
        "PRAGMA query_only = ON;
         PRAGMA busy_timeout = 5000;
         {extra_pragmas}"
    ))?;
    Ok(reader)
}

/// Runs `work` on a blocking thread with one of the read-only connections.
async fn read_on<R: Send + 'static>(
    reader: &Arc<Mutex<Connection>>,
    work: impl FnOnce(&Connection) -> Result<R, StorageError> + Send + 'static,
) -> Result<R, StorageError> {
    let reader = Arc::clone(reader);
    tokio::task::spawn_blocking(move || {
        work(
            &reader
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    })
    .await
    .map_err(StorageError::Join)?
}

#[async_trait]
impl CountyStorage for SqliteStorage {
    async fn create_post(&self, name: &str, by: &Actor) -> Result<Post, StorageError> {
        let (name, by) = (name.to_string(), by.clone());
        self.run(move |c| {
            let tx = c.transaction()?;
            let post = posts::create_post(&tx, &name)?;
            let event = AuditEvent::PostAdded {
                post: post.id,
                name: post.name.clone(),
            };
            audit_log::insert(&tx, &event.row(&by, now_ms()))?;
            tx.commit()?;
            Ok(post)
        })
        .await
    }

    async fn reset_member_pin(
        &self,
        post: PostId,
        member: &str,
        now_ms: i64,
        by: &Actor,
    ) -> Result<Option<PinReset>, StorageError> {
        let reset = new_pin_reset(member, now_ms)?;
        let by = by.clone();
        self.run(move |c| {
            let tx = c.transaction()?;
            if !posts::insert_pin_reset(&tx, post, &reset, &by.user)? {
                return Ok(None);
            }
            let event = AuditEvent::PinReset {
                post,
                member: reset.member.clone(),
            };
            audit_log::insert(&tx, &event.row(&by, now_ms))?;
            tx.commit()?;
            Ok(Some(reset))
        })
        .await
    }

    async fn list_posts(&self) -> Result<Vec<Post>, StorageError> {
        self.run(posts::list_posts).await
    }

    async fn find_post(&self, id_or_name: &str) -> Result<Option<Post>, StorageError> {
        let key = id_or_name.to_string();
        self.run(move |c| posts::find_post(c, &key)).await
    }

    async fn create_enrolment_code(
        &self,
        post: PostId,
        code_sha256: &str,
        expires_at_ms: i64,
        by: &Actor,
    ) -> Result<(), StorageError> {
        let (code, by) = (code_sha256.to_string(), by.clone());
        self.run(move |c| {
            let tx = c.transaction()?;
            posts::create_enrolment_code(&tx, post, &code, expires_at_ms)?;
            let event = AuditEvent::EnrolmentCodeMade { post };
            audit_log::insert(&tx, &event.row(&by, now_ms()))?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn enrol_device(&self, device: NewDevice) -> Result<Post, EnrolError> {
        self.run(move |c| devices::enrol_device(c, &device)).await
    }

    async fn authenticate(
        &self,
        token_sha256: &str,
    ) -> Result<Option<AuthenticatedDevice>, StorageError> {
        let token = token_sha256.to_string();
        self.read(move |c| devices::authenticate(c, &token)).await
    }

    async fn list_devices(&self) -> Result<Vec<DeviceSummary>, StorageError> {
        self.run(devices::list_devices).await
    }

    async fn revoke_device(
        &self,
        device: DeviceId,
        revocation: Revocation,
        now_ms: i64,
        by: &Actor,
    ) -> Result<bool, StorageError> {
        let by = by.clone();
        self.run(move |c| {
            let tx = c.transaction()?;
            let revoked = devices::revoke_device(&tx, device, revocation, now_ms)?;
            if revoked {
                let wipe = revocation == Revocation::WipeData;
                let event = AuditEvent::DeviceRevoked { device, wipe };
                audit_log::insert(&tx, &event.row(&by, now_ms))?;
            }
            tx.commit()?;
            Ok(revoked)
        })
        .await
    }

    async fn record_device_wipe(
        &self,
        device: DeviceId,
        report: WipeReport,
        now_ms: i64,
    ) -> Result<bool, StorageError> {
        self.run(move |c| devices::record_device_wipe(c, device, &report, now_ms))
            .await
    }

    async fn set_admin_password(
        &self,
        username: &str,
        password_phc: &str,
        now_ms: i64,
    ) -> Result<(), StorageError> {
        let (user, phc) = (username.to_string(), password_phc.to_string());
        self.run(move |c| admins::set_admin_password(c, &user, &phc, now_ms))
            .await
    }

    async fn sync(
        &self,
        device: AuthenticatedDevice,
        request: SyncRequest,
        received_at: DateTime<Utc>,
    ) -> Result<SyncResponse, SyncError> {
        self.run(move |c| sync_tx::sync(c, device, request, received_at))
            .await
    }

    async fn list_entries(
        &self,
        filter: EntryFilter,
    ) -> Result<Vec<StoredEntryView>, StorageError> {
        self.run(move |c| entries::list_entries(c, &filter)).await
    }
}

/// Reads a typed id stored as text.
pub(crate) fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T, StorageError> {
    text.parse()
        .map_err(|_| StorageError::corrupt(format!("bad id {text:?} in the database")))
}

/// u64 counters are stored as SQLite's i64.
pub(crate) fn to_i64(value: u64) -> Result<i64, StorageError> {
    i64::try_from(value).map_err(|_| StorageError::corrupt(format!("{value} exceeds i64")))
}

pub(crate) fn to_u64(value: i64) -> Result<u64, StorageError> {
    u64::try_from(value).map_err(|_| StorageError::corrupt(format!("negative counter {value}")))
}

#[async_trait]
impl AuditLog for SqliteStorage {
    async fn append_audit(&self, row: NewAuditRow) -> Result<(), StorageError> {
        self.run(move |c| audit_log::insert(c, &row)).await
    }

    async fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage, StorageError> {
        let query = query.clone();
        self.query(move |c| audit_log::page(c, &query)).await
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
