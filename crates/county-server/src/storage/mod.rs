//! The one storage trait of the county server, and its two backends. The sync rules are not
//! here: they live once in [`crate::sync`], over the per-transaction trait
//! [`crate::sync::SyncTransaction`] that each backend implements.

pub mod admin_sessions;
pub mod audit_log;
pub mod dashboard;
pub mod device_standing;
pub mod pin_resets;
pub mod postgres;
pub mod query_columns;
pub mod sqlite;

use crate::audit::Actor;
use crate::error::{EnrolError, StorageError, SyncError};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use patrol_model::sync::{PinReset, SyncRequest, SyncResponse, WipeReport};
use patrol_model::{DeviceId, PostId};
use serde::Serialize;
use std::sync::Arc;

pub use device_standing::{DeviceStanding, DeviceWipe, Revocation};

/// One joint-defence post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Post {
    #[schema(value_type = uuid::Uuid)]
    pub id: PostId,
    pub name: String,
}

/// A device as the county sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceSummary {
    pub id: DeviceId,
    pub post_id: PostId,
    pub label: String,
    pub revoked: bool,
    pub standing: DeviceStanding,
    pub wipe: Option<DeviceWipe>,
    pub last_contact_ms: Option<i64>,
    pub clock_offset_ms: i64,
    pub clock_flagged: bool,
    pub highest_seq: u64,
    pub acknowledged_through: u64,
    /// Gaps `[from, to]` in the device's sequence the server is waiting for.
    pub missing: Vec<[u64; 2]>,
}

/// The device a bearer token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthenticatedDevice {
    pub device_id: DeviceId,
    pub post_id: PostId,
    pub standing: DeviceStanding,
}

/// What a new device asks for when it trades an enrolment code.
#[derive(Debug, Clone)]
pub struct NewDevice {
    pub code_sha256: String,
    pub device_id: DeviceId,
    pub label: String,
    pub token_sha256: String,
    pub now_ms: i64,
}

/// What a valid enrolment code does for a device id, decided once for every backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enrolment {
    /// An id the county has not seen: a new device.
    New,
    /// A device the county revoked, enrolling again in its own post with a fresh code (the
    /// admin who made the code has decided): it gets a new token, the old one stays dead, and
    /// it delivers what it still holds from where its sequence stood.
    AgainAfterRevocation,
}

impl Enrolment {
    /// `known`: the device's post and standing, when the id is already enrolled. A device
    /// ordered to wipe its data may not enrol again before it has: its next sync wipes it.
    pub fn of(
        device: DeviceId,
        code_post: PostId,
        known: Option<(PostId, DeviceStanding)>,
    ) -> Result<Enrolment, EnrolError> {
        match known {
            None => Ok(Enrolment::New),
            Some((_, DeviceStanding::Active)) => Err(EnrolError::DeviceAlreadyEnrolled(device)),
            Some((_, DeviceStanding::WipeOrdered)) => Err(EnrolError::DeviceToBeWiped(device)),
            Some((post, _)) if post != code_post => Err(EnrolError::DeviceOfAnotherPost(device)),
            Some(_) => Ok(Enrolment::AgainAfterRevocation),
        }
    }
}

/// Which entries to list or export.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub post_id: Option<PostId>,
    /// Only entries whose corrected `occurred_at` is at or after this instant.
    pub since_ms: Option<i64>,
}

/// An entry's current version, as the server holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEntryView {
    pub post_id: PostId,
    pub document: serde_json::Value,
    /// `occurred_at` corrected by the clock offset of the device that wrote it.
    pub occurred_corrected_ms: i64,
}

/// Everything the county server keeps. One implementation per database; every implementation
/// passes the same contract tests (`tests/storage_contract.rs`).
#[async_trait]
pub trait CountyStorage:
    admin_sessions::AdminSessions + audit_log::AuditLog + dashboard::DashboardQueries + Send + Sync
{
    /// Adds a post (and its audit row, in one transaction).
    async fn create_post(&self, name: &str, by: &Actor) -> Result<Post, StorageError>;
    async fn list_posts(&self) -> Result<Vec<Post>, StorageError>;
    /// A post by its id or by its exact name.
    async fn find_post(&self, id_or_name: &str) -> Result<Option<Post>, StorageError>;

    /// Stores the hash of a one-time enrolment code for `post`, valid until `expires_at_ms`
    /// (and its audit row, in one transaction).
    async fn create_enrolment_code(
        &self,
        post: PostId,
        code_sha256: &str,
        expires_at_ms: i64,
        by: &Actor,
    ) -> Result<(), StorageError>;
    /// Resets `member`'s PIN on the phones of `post` (and its audit row, in one transaction);
    /// `None` when there is no such post.
    async fn reset_member_pin(
        &self,
        post: PostId,
        member: &str,
        now_ms: i64,
        by: &Actor,
    ) -> Result<Option<PinReset>, StorageError>;
    /// Uses up the code and registers the device with its token hash, in one transaction.
    async fn enrol_device(&self, device: NewDevice) -> Result<Post, EnrolError>;
    async fn authenticate(
        &self,
        token_sha256: &str,
    ) -> Result<Option<AuthenticatedDevice>, StorageError>;
    async fn list_devices(&self) -> Result<Vec<DeviceSummary>, StorageError>;
    /// Returns false when there is no such device (and writes no audit row); the revoke and its
    /// audit row are one transaction. A wipe may be ordered for a device revoked earlier.
    async fn revoke_device(
        &self,
        device: DeviceId,
        revocation: Revocation,
        now_ms: i64,
        by: &Actor,
    ) -> Result<bool, StorageError>;
    /// Keeps what a device ordered to wipe its data still held unsent when it did. Only the
    /// first report counts; returns false when no wipe was ordered for the device.
    async fn record_device_wipe(
        &self,
        device: DeviceId,
        report: WipeReport,
        now_ms: i64,
    ) -> Result<bool, StorageError>;

    /// Adds or replaces an admin's argon2 password hash.
    async fn set_admin_password(
        &self,
        username: &str,
        password_phc: &str,
        now_ms: i64,
    ) -> Result<(), StorageError>;

    /// Applies one `POST /api/v1/sync` in one transaction (see `docs/sync-protocol.md`).
    async fn sync(
        &self,
        device: AuthenticatedDevice,
        request: SyncRequest,
        received_at: DateTime<Utc>,
    ) -> Result<SyncResponse, SyncError>;

    /// Current versions, ordered by corrected `occurred_at`, then id.
    async fn list_entries(&self, filter: EntryFilter)
        -> Result<Vec<StoredEntryView>, StorageError>;
}

/// A shared handle on whichever backend the server runs on.
pub type SharedStorage = Arc<dyn CountyStorage>;

/// Opens the database a URL names, applying migrations: `postgres://…` / `postgresql://…` is
/// PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or a plain path is the embedded SQLite file.
pub async fn open_storage(url: &str) -> Result<SharedStorage, StorageError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PostgresStorage::connect(url).await?))
    } else {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() {
            return Err(StorageError::BadUrl("empty SQLite path".into()));
        }
        Ok(Arc::new(sqlite::SqliteStorage::open(path).await?))
    }
}
