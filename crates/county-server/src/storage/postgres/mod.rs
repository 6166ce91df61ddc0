//! PostgreSQL, for a province or the whole border: the same stateless server, several copies
//! behind a load balancer, a connection pool (deadpool-postgres over tokio-postgres). Syncs of
//! one post are serialised by locking the post's row, so its change cursors are handed out in
//! commit order.

mod admin_sessions;
mod audit_log;
mod backfill;
mod dashboard;
mod devices;
mod migrations;
mod posts;
mod report;
mod sync_tx;

use crate::audit::{Actor, AuditEvent, NewAuditRow};
use crate::error::{EnrolError, StorageError, SyncError};
use crate::storage::audit_log::{AuditLog, AuditPage, AuditQuery};
use crate::storage::pin_resets::new_pin_reset;
use crate::storage::{
    AuthenticatedDevice, CountyStorage, DeviceSummary, EntryFilter, NewDevice, Post, Revocation,
    StoredEntryView,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use patrol_model::sync::{PinReset, SyncRequest, SyncResponse, WipeReport};
use patrol_model::{DeviceId, PostId};

/// The county's data in a PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStorage {
    pool: Pool,
}

impl PostgresStorage {
    /// Connects with a libpq-style URL or key=value string (no TLS: keep the database on the
    /// server's own network) and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|error: tokio_postgres::Error| StorageError::BadUrl(error.to_string()))?;
        let manager = Manager::from_config(
            config,
            tokio_postgres::NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .build()
            .map_err(|error| StorageError::PostgresPool(error.to_string()))?;
        let mut client = pool.get().await?;
        migrations::migrate(&mut client).await?;
        backfill::backfill_query_columns(&mut client).await?;
        Ok(Self { pool })
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, StorageError> {
        Ok(self.pool.get().await?)
    }
}

#[async_trait]
impl CountyStorage for PostgresStorage {
    async fn create_post(&self, name: &str, by: &Actor) -> Result<Post, StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let post = posts::create_post(&tx, name).await?;
        let event = AuditEvent::PostAdded {
            post: post.id,
            name: post.name.clone(),
        };
        audit_log::insert(&tx, &event.row(by, now_ms())).await?;
        tx.commit().await?;
        Ok(post)
    }

    async fn reset_member_pin(
        &self,
        post: PostId,
        member: &str,
        now_ms: i64,
        by: &Actor,
    ) -> Result<Option<PinReset>, StorageError> {
        let reset = new_pin_reset(member, now_ms)?;
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        if !posts::insert_pin_reset(&tx, post, &reset, &by.user).await? {
            return Ok(None);
        }
        let event = AuditEvent::PinReset {
            post,
            member: reset.member.clone(),
        };
        audit_log::insert(&tx, &event.row(by, now_ms)).await?;
        tx.commit().await?;
        Ok(Some(reset))
    }

    async fn list_posts(&self) -> Result<Vec<Post>, StorageError> {
        posts::list_posts(&self.client().await?).await
    }

    async fn find_post(&self, id_or_name: &str) -> Result<Option<Post>, StorageError> {
        posts::find_post(&self.client().await?, id_or_name).await
    }

    async fn create_enrolment_code(
        &self,
        post: PostId,
        code_sha256: &str,
        expires_at_ms: i64,
        by: &Actor,
    ) -> Result<(), StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        posts::create_enrolment_code(&tx, post, code_sha256, expires_at_ms).await?;
        let event = AuditEvent::EnrolmentCodeMade { post };
        audit_log::insert(&tx, &event.row(by, now_ms())).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn enrol_device(&self, device: NewDevice) -> Result<Post, EnrolError> {
        let mut client = self.client().await?;
        devices::enrol_device(&mut client, &device).await
    }

    async fn authenticate(
        &self,
        token_sha256: &str,
    ) -> Result<Option<AuthenticatedDevice>, StorageError> {
        devices::authenticate(&self.client().await?, token_sha256).await
    }

    async fn list_devices(&self) -> Result<Vec<DeviceSummary>, StorageError> {
        devices::list_devices(&self.client().await?).await
    }

    async fn revoke_device(
        &self,
        device: DeviceId,
        revocation: Revocation,
        now_ms: i64,
        by: &Actor,
    ) -> Result<bool, StorageError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let revoked = devices::revoke_device(&tx, device, revocation, now_ms).await?;
        if revoked {
            let wipe = revocation == Revocation::WipeData;
            let event = AuditEvent::DeviceRevoked { device, wipe };
            audit_log::insert(&tx, &event.row(by, now_ms)).await?;
        }
        tx.commit().await?;
        Ok(revoked)
    }

    async fn record_device_wipe(
        &self,
        device: DeviceId,
        report: WipeReport,
        now_ms: i64,
    ) -> Result<bool, StorageError> {
        devices::record_device_wipe(&self.client().await?, device, &report, now_ms).await
    }

    async fn set_admin_password(
        &self,
        username: &str,
        password_phc: &str,
        now_ms: i64,
    ) -> Result<(), StorageError> {
        posts::set_admin_password(&self.client().await?, username, password_phc, now_ms).await
    }

    async fn sync(
        &self,
        device: AuthenticatedDevice,
        request: SyncRequest,
        received_at: DateTime<Utc>,
    ) -> Result<SyncResponse, SyncError> {
        let mut client = self.client().await?;
        sync_tx::sync(&mut client, device, request, received_at).await
    }

    async fn list_entries(
        &self,
        filter: EntryFilter,
    ) -> Result<Vec<StoredEntryView>, StorageError> {
        posts::list_entries(&self.client().await?, &filter).await
    }
}

#[async_trait]
impl AuditLog for PostgresStorage {
    async fn append_audit(&self, row: NewAuditRow) -> Result<(), StorageError> {
        audit_log::insert(&self.client().await?, &row).await
    }

    async fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage, StorageError> {
        audit_log::page(&self.client().await?, query).await
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub(crate) fn to_i64(value: u64) -> Result<i64, StorageError> {
    i64::try_from(value).map_err(|_| StorageError::corrupt(format!("{value} exceeds i64")))
}

pub(crate) fn to_u64(value: i64) -> Result<u64, StorageError> {
    u64::try_from(value).map_err(|_| StorageError::corrupt(format!("negative counter {value}")))
}
