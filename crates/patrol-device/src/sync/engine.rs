//! The sync engine: pushes the outbox in compressed batches (several in flight for a large
//! backlog; a small sync is one request that also pulls), pulls the post's changes until none
//! are left, uploads photos, and records how it went for the member to see.

use super::client::{SyncClient, Transfer};
use super::photos::upload_photos;
use crate::error::DeviceError;
use crate::store::DeviceStore;
use chrono::Utc;
use futures::stream::{self, StreamExt};
use patrol_model::sync::{
    EnrolRequest, EnrolResponse, PullRequest, SyncRecord, SyncRequest, SyncResponse,
    PROTOCOL_VERSION,
};
use serde::Serialize;
use std::sync::{Mutex, MutexGuard};

#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Aim for request bodies of about this many compressed bytes.
    pub batch_target_bytes: usize,
    /// Batch requests in flight at once for a large backlog.
    pub max_in_flight: usize,
    /// Changes pulled per request.
    pub pull_limit: u32,
    /// Photo bytes per PATCH.
    pub photo_chunk_bytes: usize,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            batch_target_bytes: 256 * 1024,
            max_in_flight: 4,
            pull_limit: 500,
            photo_chunk_bytes: 256 * 1024,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    Records,
    Pull,
    Photos,
}

/// How far a sync has got: records, then photo bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncProgress {
    pub phase: SyncPhase,
    pub records_done: u64,
    pub records_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
}

impl SyncReport {
    fn count(&mut self, transfer: Transfer) {
        self.requests += 1;
        self.bytes_up += transfer.bytes_up;
        self.bytes_down += transfer.bytes_down;
    }
}

/// Most records read from the store at once (bounds memory for a huge backlog).
const RECORDS_PER_ROUND: usize = 20_000;
/// Assumed JSON-to-zstd ratio before the first answer tells the real one.
const INITIAL_COMPRESSION_RATIO: f64 = 6.0;

pub(super) fn lock(store: &Mutex<DeviceStore>) -> MutexGuard<'_, DeviceStore> {
    // A panic while holding the lock cannot leave SQLite half-written (transactions roll
    // back), so the store is still usable.
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Trades a one-time enrolment code for this device's token and keeps it.
pub async fn enroll_device(
    store: &Mutex<DeviceStore>,
    server_url: &str,
    code: &str,
    label: &str,
) -> Result<EnrolResponse, DeviceError> {
    let client = SyncClient::new(server_url)?;
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
    let outcome = run_sync(store, client, options, progress).await;
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
    let (enrolment, records_total) = {
        let store = lock(store);
        let enrolment = store.enrolment()?.ok_or_else(|| {
            DeviceError::not_allowed(
                "本设备尚未注册：请先在设置里填写县服务器地址和注册码",
                "this device is not enrolled: run `patrol enroll SERVER_URL CODE` first",
            )
        })?;
        (enrolment, store.pending_outbox_count()?)
    };
    let client = match kept_client {
        Some(client) if client.base_url() == enrolment.server_url => client.clone(),
        _ => SyncClient::new(&enrolment.server_url)?,
    };
    let token = enrolment.device_token.as_str();
    let mut report = SyncReport::default();
    let mut state = PushState {
        progress: SyncProgress {
            phase: SyncPhase::Records,
            records_done: 0,
            records_total,
            bytes_done: 0,
            bytes_total: 0,
        },
        raw_limit: (options.batch_target_bytes as f64 * INITIAL_COMPRESSION_RATIO) as usize,
        pulled: false,
        more_changes: false,
    };
    progress(&state.progress);

    let mut last_seq = 0;
    loop {
        let records = lock(store).pending_records(last_seq, RECORDS_PER_ROUND)?;
        let Some(last) = records.last() else { break };
        last_seq = last.seq;
        let whole_backlog = records.len() < RECORDS_PER_ROUND;
        let batches = split_into_batches(records, state.raw_limit);
        // A small sync is one request that pushes and pulls.
        let pull_now = whole_backlog && batches.len() == 1 && !state.pulled;
        let cursor = lock(store).pull_cursor()?;
        let requests = batches.into_iter().map(|(records, raw_bytes)| {
            let request = SyncRequest {
                protocol: PROTOCOL_VERSION,
                device_time: Utc::now(),
                records,
                pull: pull_now.then(|| PullRequest {
                    cursor: cursor.clone(),
                    limit: Some(options.pull_limit),
                }),
            };
            let client = &client;
            let sent = request.records.len() as u64;
            let request = request.into_wire();
            async move {
                let answer = client.sync(token, &request).await;
                (answer, raw_bytes, sent)
            }
        });
        let mut answers = stream::iter(requests).buffer_unordered(options.max_in_flight.max(1));
        while let Some((answer, raw_bytes, sent)) = answers.next().await {
            let (response, transfer) = answer?;
            report.count(transfer);
            if transfer.bytes_up > 0 {
                let ratio = (raw_bytes as f64 / transfer.bytes_up as f64).clamp(1.0, 30.0);
                state.raw_limit = (options.batch_target_bytes as f64 * ratio) as usize;
            }
            apply(store, &response, &mut report)?;
            if pull_now {
                state.pulled = true;
                state.more_changes = response.more_changes;
            }
            state.progress.records_done = (state.progress.records_done + sent).min(records_total);
            progress(&state.progress);
        }
    }

    if !state.pulled || state.more_changes {
        state.progress.phase = SyncPhase::Pull;
        progress(&state.progress);
        loop {
            let cursor = lock(store).pull_cursor()?;
            let request = SyncRequest {
                protocol: PROTOCOL_VERSION,
                device_time: Utc::now(),
                records: Vec::new(),
                pull: Some(PullRequest {
                    cursor,
                    limit: Some(options.pull_limit),
                }),
            };
            let (response, transfer) = client.sync(token, &request.into_wire()).await?;
            report.count(transfer);
            apply(store, &response, &mut report)?;
            if !response.more_changes || response.changes.is_empty() {
                break;
            }
        }
    }

    report.photos_uploaded = upload_photos(
        store,
        &client,
        token,
        options,
        &mut state.progress,
        progress,
        &mut report,
    )
    .await?;
    Ok(report)
}

struct PushState {
    progress: SyncProgress,
    raw_limit: usize,
    pulled: bool,
    more_changes: bool,
}

fn apply(
    store: &Mutex<DeviceStore>,
    response: &SyncResponse,
    report: &mut SyncReport,
) -> Result<(), DeviceError> {
    if response.protocol != PROTOCOL_VERSION {
        return Err(DeviceError::Protocol(format!(
            "server speaks protocol {}, this app {PROTOCOL_VERSION}",
            response.protocol
        )));
    }
    let applied = lock(store).apply_sync_response(response)?;
    report.acknowledged += applied.acknowledged;
    report.rejected += applied.rejected;
    report.pulled += applied.pulled;
    report.missing = response.missing.clone();
    report.clock_flagged = response.clock_flagged;
    Ok(())
}

/// What a compact wire record adds to its entry's JSON (clock, change, the odd id), roughly.
const RECORD_OVERHEAD_BYTES: usize = 48;

/// The length of `value` as JSON, without keeping the text.
fn json_len(value: &serde_json::Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, value) {
        Ok(()) => counter.0,
        Err(_) => 512,
    }
}

/// Splits records into batches of about `raw_limit` bytes of JSON each (at least one record a
/// batch); returns each batch with its JSON size.
fn split_into_batches(records: Vec<SyncRecord>, raw_limit: usize) -> Vec<(Vec<SyncRecord>, usize)> {
    let mut batches = Vec::new();
    let mut current = Vec::new();
    let mut current_bytes = 0;
    for record in records {
        let size = json_len(&record.entry) + RECORD_OVERHEAD_BYTES;
        if !current.is_empty() && current_bytes + size > raw_limit {
            batches.push((std::mem::take(&mut current), current_bytes));
            current_bytes = 0;
        }
        current_bytes += size;
        current.push(record);
    }
    if !current.is_empty() {
        batches.push((current, current_bytes));
    }
    batches
}
