//! The background sync task. While the device is enrolled it probes the county server (with
//! exponential backoff and jitter while it is out of reach), and when the server answers and
//! something is waiting to be sent (or every few minutes, to pull the post's changes) it runs
//! `patrol_device::sync::sync_device`. Recording an entry wakes it at once; `sync_now` runs a
//! sync without waiting for the backoff. Only one sync runs at a time. After a sync that
//! succeeded it fetches the county's basemap (`patrol_device::basemap::download_basemap`), which
//! goes only on a link the sync measured good enough and stops for any record or photo waiting.
//!
//! It tells the UI through two events: `sync-progress` (the engine's progress) and `sync-state`
//! (the same object `sync_status` returns) after every change: an entry recorded, edited or
//! deleted, a sync started, finished or failed, the server found or lost.
//!
//! The state lives in [`BackgroundSync`], managed by Tauri; the store's lock is never held
//! across an await (the engine takes it for each step itself).

mod events;
#[cfg(test)]
mod tests;

pub use events::{
    spawn, sync_state_changed, tauri_events, SyncEvents, SyncStateView, TauriSyncEvents,
    SYNC_PROGRESS_EVENT, SYNC_STATE_EVENT,
};

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use patrol_device::basemap::{download_basemap, BasemapDownloadOptions};
use patrol_device::sync::{
    sync_device_with_client, Backoff, SyncClient, SyncOptions, SyncProgress, SyncReport,
};
use patrol_device::DeviceError;

use crate::{lock_store, AppError, StoreState};

/// How often an online device with nothing to send syncs anyway, to pull the post's changes.
pub const PULL_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// How long an unenrolled device sleeps before looking again (enrolment wakes it sooner).
const UNENROLLED_WAIT: Duration = Duration::from_secs(3600);

#[derive(Debug, Default)]
struct Activity {
    syncing: bool,
    online: Option<bool>,
    progress: Option<SyncProgress>,
    /// When the last sync (the task's or the member's) succeeded.
    last_success: Option<Instant>,
    /// The upload rate the last sync measured, for the basemap's link gate.
    measured_link_bytes_per_second: Option<u64>,
}

/// The background sync's shared state (Tauri-managed; no globals).
pub struct BackgroundSync {
    activity: Mutex<Activity>,
    wake: tokio::sync::Notify,
    one_sync_at_a_time: tokio::sync::Mutex<()>,
    /// The probe's HTTP client, kept while the server URL stays the same.
    probe_client: Mutex<Option<SyncClient>>,
    options: SyncOptions,
}

impl Default for BackgroundSync {
    fn default() -> Self {
        Self::new(SyncOptions::default())
    }
}

impl BackgroundSync {
    pub fn new(options: SyncOptions) -> Self {
        BackgroundSync {
            activity: Mutex::new(Activity::default()),
            wake: tokio::sync::Notify::new(),
            one_sync_at_a_time: tokio::sync::Mutex::new(()),
            probe_client: Mutex::new(None),
            options,
        }
    }

    fn activity(&self) -> MutexGuard<'_, Activity> {
        // The activity is plain flags: still meaningful after a panic elsewhere.
        self.activity
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Wakes the task now (an entry was recorded, the device was enrolled). A wake while it
    /// is busy is kept for its next wait.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn state_view(&self, store: &StoreState) -> Result<SyncStateView, AppError> {
        let (status, pending_entries) = {
            let store = lock_store(store)?;
            (store.sync_status()?, store.pending_entry_count()?)
        };
        let activity = self.activity();
        Ok(SyncStateView {
            status,
            pending_entries,
            syncing: activity.syncing,
            online: activity.online,
            progress: activity.progress.clone(),
        })
    }

    /// Sends `sync-state` now.
    pub fn publish(&self, store: &StoreState, events: &dyn SyncEvents) {
        match self.state_view(store) {
            Ok(view) => events.state(&view),
            Err(error) => log::warn!("sync state not published: {error}"),
        }
    }

    fn set_online(&self, online: bool, store: &StoreState, events: &dyn SyncEvents) {
        let changed = {
            let mut activity = self.activity();
            let changed = activity.online != Some(online);
            activity.online = Some(online);
            changed
        };
        if changed {
            self.publish(store, events);
        }
    }

    /// The member's "sync now": runs at once (after a sync already running), then lets the
    /// task start its probing afresh.
    pub async fn sync_now(
        &self,
        store: &StoreState,
        events: &dyn SyncEvents,
    ) -> Result<SyncReport, DeviceError> {
        let result = self.run_one_sync(store, events).await;
        self.wake();
        result
    }

    /// One whole sync, with `sync-state` before and after and `sync-progress` during.
    async fn run_one_sync(
        &self,
        store: &StoreState,
        events: &dyn SyncEvents,
    ) -> Result<SyncReport, DeviceError> {
        let _turn = self.one_sync_at_a_time.lock().await;
        {
            let mut activity = self.activity();
            activity.syncing = true;
            activity.progress = None;
        }
        self.publish(store, events);
        let progress = |progress: &SyncProgress| {
            let mut activity = self.activity();
            activity.progress = Some(progress.clone());
            if progress.upload_bytes_per_second.is_some() {
                activity.measured_link_bytes_per_second = progress.upload_bytes_per_second;
            }
            drop(activity);
            events.progress(progress);
        };
        // The probe's HTTP client (connections, TLS sessions) serves the sync too; the engine
        // makes its own if the device has since enrolled with another server.
        let client = self
            .probe_client
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        let result =
            sync_device_with_client(store, client.as_ref(), &self.options, &progress).await;
        {
            let mut activity = self.activity();
            activity.syncing = false;
            activity.progress = None;
            if result.is_ok() {
                activity.last_success = Some(Instant::now());
            }
            match &result {
                Ok(_)
                | Err(
                    DeviceError::Refused { .. }
                    | DeviceError::Protocol(_)
                    | DeviceError::Wiped { .. },
                ) => activity.online = Some(true),
                Err(DeviceError::Unreachable { .. }) => activity.online = Some(false),
                Err(_) => {}
            }
        }
        if matches!(result, Err(DeviceError::Wiped { .. })) {
            events.wiped();
        }
        self.publish(store, events);
        result
    }

    /// The client for `server_url` (probe and sync), made once per URL.
    fn probe_client(&self, server_url: &str) -> Result<SyncClient, DeviceError> {
        let mut kept = self
            .probe_client
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match kept.as_ref() {
            Some(client) if client.base_url() == server_url => Ok(client.clone()),
            _ => {
                let client = SyncClient::new(server_url)?;
                *kept = Some(client.clone());
                Ok(client)
            }
        }
    }

    /// The task: one step, then wait for the time it asks or a wake, forever.
    pub async fn run(&self, store: &StoreState, events: &dyn SyncEvents) {
        let mut backoff = Backoff::default();
        loop {
            let wait = self.step(store, events, &mut backoff).await;
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.wake.notified() => {}
            }
        }
    }

    /// Probes and syncs if there is reason to; returns how long to wait before the next step.
    pub async fn step(
        &self,
        store: &StoreState,
        events: &dyn SyncEvents,
        backoff: &mut Backoff,
    ) -> Duration {
        let pending = {
            let Ok(store) = lock_store(store) else {
                return UNENROLLED_WAIT;
            };
            match (store.enrolment(), store.sync_status()) {
                (Ok(Some(enrolment)), Ok(status)) => Some((
                    enrolment.server_url,
                    status.pending_records > 0 || status.pending_photo_bytes > 0,
                )),
                (Ok(None), _) => None,
                (Err(error), _) | (_, Err(error)) => {
                    log::error!("background sync cannot read the store: {error}");
                    None
                }
            }
        };
        let Some((server_url, something_pending)) = pending else {
            return UNENROLLED_WAIT;
        };
        let probe = match self.probe_client(&server_url) {
            Ok(client) => client.probe().await,
            Err(error) => Err(error),
        };
        if probe.is_err() {
            self.set_online(false, store, events);
            return backoff.next_delay();
        }
        self.set_online(true, store, events);
        let since_last = self.activity().last_success.map(|time| time.elapsed());
        if !something_pending && since_last.is_some_and(|elapsed| elapsed < PULL_INTERVAL) {
            backoff.reset();
            return PULL_INTERVAL - since_last.unwrap_or_default();
        }
        match self.run_one_sync(store, events).await {
            Ok(_) => {
                backoff.reset();
                self.fetch_basemap(store).await;
                PULL_INTERVAL
            }
            Err(error) => {
                log::warn!("background sync failed: {error}");
                backoff.next_delay()
            }
        }
    }

    /// Fetches (or resumes) the county's basemap after a sync: its outcome is logged, never
    /// shown as a failure; the next sync tries again.
    async fn fetch_basemap(&self, store: &StoreState) {
        let options = BasemapDownloadOptions {
            measured_link_bytes_per_second: self.activity().measured_link_bytes_per_second,
            ..BasemapDownloadOptions::default()
        };
        let client = self
            .probe_client
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        match download_basemap(store, client.as_ref(), &options, &|_| {}).await {
            Ok(download) => log::info!(
                "basemap: {:?}, {} of {} bytes",
                download.outcome,
                download.bytes_done,
                download.bytes_total
            ),
            Err(error) => log::warn!("basemap not fetched: {error}"),
        }
    }
}
