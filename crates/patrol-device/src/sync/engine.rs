//! The sync engine: one sync is the protocol's steps in order — push the outbox
//! ([`super::push`]), pull the post's changes ([`super::pull`]), upload photos
//! ([`super::photos`]), and push again whenever the member records something meanwhile, so a
//! new entry never waits behind a photo. Request sizes follow the measured link
//! ([`super::link`]); a cut request is tried again for as long as the sync makes progress
//! ([`super::persistence`]). How it went is kept for the member to see. A device the county
//! ordered wiped is wiped here, whichever step learnt it ([`super::wipe`]).

use super::client::{SyncClient, Transfer};
use super::photos::{upload_photos, PhotosOutcome};
use super::pull::pull_changes;
use super::push::push_records;
use super::run::SyncRun;
use super::transport::check_transport;
use crate::error::DeviceError;
use crate::store::DeviceStore;
use patrol_model::sync::{EnrolRequest, EnrolResponse};
use serde::Serialize;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// The compressed size of the first request of a sync, before the link is measured.
    pub first_request_bytes: usize,
    /// The largest request body (compressed), however fast the link.
    pub max_request_bytes: usize,
    /// Each request is sized to take about this long on the measured link.
    pub target_request_time: Duration,
    /// Batch requests in flight at once on a fast link (one on a slow link).
    pub max_in_flight: usize,
    /// Changes pulled per request.
    pub pull_limit: u32,
    /// The largest photo chunk of one PATCH (the server takes up to 1 MiB).
    pub max_photo_chunk_bytes: usize,
    /// Each photo chunk is sized to take about this long on the measured link: longer than a
    /// request, since a cut chunk keeps what arrived; a record made meanwhile waits at most one.
    pub photo_chunk_time: Duration,
    /// A request in which no byte has moved for this long is given up and tried again.
    pub stall_timeout: Duration,
    /// The sync gives up after this long without delivering anything, across its retries.
    pub give_up_after: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            first_request_bytes: 32 * 1024,
            max_request_bytes: 1024 * 1024,
            target_request_time: Duration::from_secs(4),
            max_in_flight: 4,
            pull_limit: 500,
            max_photo_chunk_bytes: 1024 * 1024,
            photo_chunk_time: Duration::from_secs(12),
            stall_timeout: Duration::from_secs(30),
            give_up_after: Duration::from_secs(120),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SyncPhase {
    #[default]
    Records,
    Pull,
    Photos,
}

/// How far a sync has got: records, then photo bytes, and what the link is doing.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncProgress {
    pub phase: SyncPhase,
    pub records_done: u64,
    pub records_total: u64,
    /// Photo bytes uploaded of `bytes_total`.
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Bytes this sync has put on the link so far, cut requests included.
    pub bytes_sent: u64,
    /// Bytes still to send: the records as they compress, and the photos' bytes left.
    pub bytes_remaining: u64,
    /// The upload rate measured so far, bytes per second.
    pub upload_bytes_per_second: Option<u64>,
    /// How long the rest should take on the measured link.
    pub seconds_remaining: Option<u64>,
    /// The link is slow (under 64 kB/s): the sync goes on, it has not failed.
    pub slow_link: bool,
    /// Requests tried again after the link cut or stalled.
    pub retries: u32,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncReport {
    pub requests: u32,
    pub bytes_up: u64,
    pub bytes_down: u64,
    pub acknowledged: u64,
    pub rejected: u64,
    pub pulled: u64,
    pub photos_uploaded: u64,
    /// Records the server says it lacks (still pending here; the next sync sends them).
    pub missing: Vec<[u64; 2]>,
    pub clock_flagged: bool,
    /// Requests tried again after the link cut or stalled.
    pub retries: u32,
    /// Bytes put on the link, cut requests included (`bytes_up` counts answered ones).
    pub bytes_sent: u64,
}

impl SyncReport {
    pub(super) fn count(&mut self, transfer: Transfer) {
        self.requests += 1;
        self.bytes_up += transfer.bytes_up;
        self.bytes_down += transfer.bytes_down;
    }
}

pub(crate) fn lock(store: &Mutex<DeviceStore>) -> MutexGuard<'_, DeviceStore> {
    // A panic while holding the lock cannot leave SQLite half-written (transactions roll
    // back), so the store is still usable.
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Trades a one-time enrolment code for this device's token and keeps it. Plain `http://` off
/// this machine is refused unless the store's insecure setting is on
/// ([`super::transport`]).
pub async fn enroll_device(
    store: &Mutex<DeviceStore>,
    server_url: &str,
    code: &str,
    label: &str,
) -> Result<EnrolResponse, DeviceError> {
    let client = SyncClient::new(server_url)?;
    check_transport(client.base_url(), lock(store).allow_insecure_http()?)?;
    let data_dir = lock(store).data_dir().to_path_buf();
    super::wipe::report_pending_wipe(&data_dir, Some(&client)).await;
    let device_id = lock(store).device_id();
    let response = client
        .enroll(&EnrolRequest {
            code: code.trim().to_string(),
            device_id,
            label: label.to_string(),
        })
        .await?;
    lock(store).save_enrolment(client.base_url(), &response)?;
    Ok(response)
}

/// One whole sync. Its outcome is kept (`last_sync_at` or `last_sync_error`) for the status.
pub async fn sync_device(
    store: &Mutex<DeviceStore>,
    options: &SyncOptions,
    progress: &(dyn Fn(&SyncProgress) + Send + Sync),
) -> Result<SyncReport, DeviceError> {
    sync_device_with_client(store, None, options, progress).await
}

/// [`sync_device`] reusing `client` (its connections, TLS sessions) when it is for the server
/// this device is enrolled with; an app keeps one client for all its syncs.
pub async fn sync_device_with_client(
    store: &Mutex<DeviceStore>,
    client: Option<&SyncClient>,
    options: &SyncOptions,
    progress: &(dyn Fn(&SyncProgress) + Send + Sync),
) -> Result<SyncReport, DeviceError> {
    let data_dir = lock(store).data_dir().to_path_buf();
    super::wipe::report_pending_wipe(&data_dir, client).await;
    let outcome = match run_sync(store, client, options, progress).await {
        Err(DeviceError::WipeOrdered) => Err(super::wipe::carry_out_wipe(store, client).await),
        outcome => outcome,
    };
    let error_text = outcome.as_ref().err().map(DeviceError::message_zh);
    lock(store).finish_sync(error_text.as_deref())?;
    outcome
}

async fn run_sync(
    store: &Mutex<DeviceStore>,
    kept_client: Option<&SyncClient>,
    options: &SyncOptions,
    progress: &(dyn Fn(&SyncProgress) + Send + Sync),
) -> Result<SyncReport, DeviceError> {
    let enrolment = lock(store).enrolment()?.ok_or_else(|| {
        DeviceError::not_allowed(
            "本设备尚未登记：请先在设置里填写县服务器地址和登记码",
            "this device is not enrolled: run `patrol enroll SERVER_URL CODE` first",
        )
    })?;
    check_transport(&enrolment.server_url, lock(store).allow_insecure_http()?)?;
    let client = match kept_client {
        Some(client) if client.base_url() == enrolment.server_url => client.clone(),
        _ => SyncClient::new(&enrolment.server_url)?,
    };
    let mut run = SyncRun::new(store, &client, &enrolment.device_token, options, progress)?;
    run.report_progress();
    loop {
        push_records(&mut run).await?;
        if run.pull_needed() {
            pull_changes(&mut run).await?;
        }
        match upload_photos(&mut run).await? {
            PhotosOutcome::Done => break,
            // The member recorded something meanwhile: it goes before the next chunk.
            PhotosOutcome::RecordsWaiting => continue,
        }
    }
    Ok(run.finish())
}
