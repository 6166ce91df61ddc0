//! One sync while it runs: the store, the client and token, what the link has shown so far,
//! how long to keep trying, the report and the member's progress. The steps (push, pull,
//! photos) each take it in turn.

use super::client::{SyncClient, Transfer, TransferWatch};
use super::engine::{lock, SyncOptions, SyncPhase, SyncProgress, SyncReport};
use super::link::LinkEstimate;
use super::persistence::Persistence;
use crate::error::DeviceError;
use crate::store::DeviceStore;
use patrol_model::sync::{SyncResponse, PROTOCOL_VERSION};
use std::sync::{Arc, Mutex};

pub(super) struct SyncRun<'a> {
    pub store: &'a Mutex<DeviceStore>,
    pub client: &'a SyncClient,
    pub token: &'a str,
    pub options: &'a SyncOptions,
    pub watch: Arc<TransferWatch>,
    pub link: LinkEstimate,
    pub persistence: Persistence,
    pub report: SyncReport,
    pub progress: SyncProgress,
    /// The post's changes were pulled with a push; `more_changes` says whether more wait.
    pub pulled: bool,
    pub more_changes: bool,
    /// Record bytes still to send, as they compress (an estimate until sent).
    pub record_bytes_left: u64,
    /// Photo bytes still to upload.
    pub photo_bytes_left: u64,
    /// Bytes of the photo variants this sync has finished uploading.
    pub photo_bytes_finished: u64,
    on_progress: &'a (dyn Fn(&SyncProgress) + Send + Sync),
}

impl<'a> SyncRun<'a> {
    pub fn new(
        store: &'a Mutex<DeviceStore>,
        client: &'a SyncClient,
        token: &'a str,
        options: &'a SyncOptions,
        on_progress: &'a (dyn Fn(&SyncProgress) + Send + Sync),
    ) -> Result<Self, DeviceError> {
        let (records_total, photo_bytes_left) = {
            let store = lock(store);
            (
                store.pending_outbox_count()?,
                store.sync_status()?.pending_photo_bytes,
            )
        };
        Ok(SyncRun {
            store,
            client,
            token,
            options,
            watch: TransferWatch::new(options.stall_timeout),
            link: LinkEstimate::new(
                options.first_request_bytes,
                options.max_request_bytes,
                options.target_request_time,
            ),
            persistence: Persistence::new(options.give_up_after),
            report: SyncReport::default(),
            progress: SyncProgress {
                records_total,
                ..SyncProgress::default()
            },
            pulled: false,
            more_changes: false,
            record_bytes_left: 0,
            photo_bytes_left,
            photo_bytes_finished: 0,
            on_progress,
        })
    }

    pub fn pull_needed(&self) -> bool {
        !self.pulled || self.more_changes
    }

    pub fn set_phase(&mut self, phase: SyncPhase) {
        self.progress.phase = phase;
        self.report_progress();
    }

    /// Tells the member how far the sync is, and what the link is doing.
    pub fn report_progress(&mut self) {
        let progress = &mut self.progress;
        progress.bytes_sent = self.watch.bytes_up();
        progress.bytes_remaining = self.record_bytes_left + self.photo_bytes_left;
        progress.upload_bytes_per_second = self.link.upload_rate().map(|rate| rate as u64);
        progress.seconds_remaining = self
            .link
            .time_for(progress.bytes_remaining)
            .map(|left| left.as_secs());
        progress.slow_link = self.link.is_slow();
        progress.retries = self.persistence.retries;
        (self.on_progress)(progress);
    }

    /// A request that was answered: counted, measured, and progress made.
    pub fn answered(&mut self, transfer: Transfer) {
        self.report.count(transfer);
        self.link.completed(transfer.bytes_up, transfer.elapsed);
        self.persistence.progressed();
    }

    /// A request that failed: `Ok` to try again (after a wait), or the error that ends the sync.
    pub async fn failed(&mut self, error: DeviceError) -> Result<(), DeviceError> {
        self.link.failed();
        let outcome = self.persistence.try_again(error).await;
        self.report_progress();
        outcome
    }

    /// Applies a sync answer to the store: acknowledgements, rejections, pulled changes.
    pub fn apply(&mut self, response: &SyncResponse) -> Result<(), DeviceError> {
        if response.protocol != PROTOCOL_VERSION {
            return Err(DeviceError::Protocol(format!(
                "server speaks protocol {}, this app {PROTOCOL_VERSION}",
                response.protocol
            )));
        }
        let applied = lock(self.store).apply_sync_response(response)?;
        self.report.acknowledged += applied.acknowledged;
        self.report.rejected += applied.rejected;
        self.report.pulled += applied.pulled;
        self.report.missing = response.missing.clone();
        self.report.clock_flagged = response.clock_flagged;
        Ok(())
    }

    pub fn finish(mut self) -> SyncReport {
        self.report.retries = self.persistence.retries;
        self.report.bytes_sent = self.watch.bytes_up();
        self.report
    }
}
