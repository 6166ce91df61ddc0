//! The background sync task. While the device is enrolled it probes the county server (with
//! exponential backoff and jitter while it is out of reach), and when the server answers and
//! something is waiting to be sent (or every few minutes, to pull the post's changes) it runs
//! `patrol_device::sync::sync_device`. Recording an entry wakes it at once; `sync_now` runs a
//! sync without waiting for the backoff. Only one sync runs at a time.
//!
//! It tells the UI through two events: `sync-progress` (the engine's progress) and `sync-state`
//! (the same object `sync_status` returns) after every change: an entry recorded, edited or
//! deleted, a sync started, finished or failed, the server found or lost.
//!
//! The state lives in [`BackgroundSync`], managed by Tauri; the store's lock is never held
//! across an await (the engine takes it for each step itself).

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use patrol_device::sync::{
    sync_device, Backoff, SyncClient, SyncOptions, SyncProgress, SyncReport,
};
use patrol_device::{DeviceError, SyncStatus};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::{lock_store, AppError, StoreState};

pub const SYNC_STATE_EVENT: &str = "sync-state";
pub const SYNC_PROGRESS_EVENT: &str = "sync-progress";

/// How often an online device with nothing to send syncs anyway, to pull the post's changes.
pub const PULL_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// How long an unenrolled device sleeps before looking again (enrolment wakes it sooner).
const UNENROLLED_WAIT: Duration = Duration::from_secs(3600);

/// What `sync_status` returns and `sync-state` carries: the store's status and what the task
/// is doing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncStateView {
    #[serde(flatten)]
    pub status: SyncStatus,
    /// Distinct entries with a change not yet acknowledged (what the sync chip counts);
    /// `pending_records` counts outbox records.
    pub pending_entries: u64,
    pub syncing: bool,
    /// Whether the server answered the last probe or sync; `null` before the first.
    pub online: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<SyncProgress>,
}

/// Where the task's events go: the app's window, or a test's recorder.
pub trait SyncEvents: Send + Sync {
    fn state(&self, state: &SyncStateView);
    fn progress(&self, progress: &SyncProgress);
}

#[derive(Debug, Default)]
struct Activity {
    syncing: bool,
    online: Option<bool>,
    progress: Option<SyncProgress>,
    /// When the last sync (the task's or the member's) succeeded.
    last_success: Option<Instant>,
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
            Err(error) => eprintln!("patrol-log: sync state not published: {error}"),
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
            self.activity().progress = Some(progress.clone());
            events.progress(progress);
        };
        let result = sync_device(store, &self.options, &progress).await;
        {
            let mut activity = self.activity();
            activity.syncing = false;
            activity.progress = None;
            if result.is_ok() {
                activity.last_success = Some(Instant::now());
            }
            match &result {
                Ok(_) | Err(DeviceError::Refused { .. } | DeviceError::Protocol(_)) => {
                    activity.online = Some(true)
                }
                Err(DeviceError::Unreachable { .. }) => activity.online = Some(false),
                Err(_) => {}
            }
        }
        self.publish(store, events);
        result
    }

    /// The probe's client for `server_url`, made once per URL.
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
                    eprintln!("patrol-log: background sync cannot read the store: {error}");
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
                PULL_INTERVAL
            }
            Err(error) => {
                eprintln!("patrol-log: background sync failed: {error}");
                backoff.next_delay()
            }
        }
    }
}

/// Events to the app's windows.
pub struct TauriSyncEvents<R: Runtime>(AppHandle<R>);

impl<R: Runtime> SyncEvents for TauriSyncEvents<R> {
    fn state(&self, state: &SyncStateView) {
        if let Err(error) = self.0.emit(SYNC_STATE_EVENT, state) {
            eprintln!("patrol-log: {SYNC_STATE_EVENT} not sent: {error}");
        }
    }

    fn progress(&self, progress: &SyncProgress) {
        if let Err(error) = self.0.emit(SYNC_PROGRESS_EVENT, progress) {
            eprintln!("patrol-log: {SYNC_PROGRESS_EVENT} not sent: {error}");
        }
    }
}

pub fn tauri_events<R: Runtime>(app: &AppHandle<R>) -> TauriSyncEvents<R> {
    TauriSyncEvents(app.clone())
}

/// After a command changed what the sync sees (an entry, the enrolment): `sync-state` now, and
/// the task woken to send it.
pub fn sync_state_changed<R: Runtime>(app: &AppHandle<R>) {
    let sync = app.state::<BackgroundSync>();
    sync.publish(app.state::<StoreState>().inner(), &tauri_events(app));
    sync.wake();
}

/// Starts the task on Tauri's async runtime; it runs as long as the app.
pub fn spawn<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let events = tauri_events(&app);
        let sync = app.state::<BackgroundSync>();
        let store = app.state::<StoreState>();
        sync.run(store.inner(), &events).await;
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use patrol_device::DeviceStore;
    use patrol_model::sync::EnrolResponse;
    use patrol_model::{parse_entry_draft, DeviceId, PostId};

    #[derive(Default)]
    struct Recorder {
        states: Mutex<Vec<SyncStateView>>,
    }

    impl SyncEvents for Recorder {
        fn state(&self, state: &SyncStateView) {
            self.states.lock().unwrap().push(state.clone());
        }
        fn progress(&self, _: &SyncProgress) {}
    }

    fn closed_port_url() -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    }

    #[tokio::test]
    async fn an_unreachable_server_is_reported_offline_once_and_probed_with_growing_waits() {
        let directory = tempfile::tempdir().unwrap();
        let store: StoreState = Mutex::new(DeviceStore::open(directory.path()).unwrap());
        let sync = BackgroundSync::default();
        let events = Recorder::default();
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(10));

        // Not enrolled: nothing to probe, nothing to tell.
        let wait = sync.step(&store, &events, &mut backoff).await;
        assert_eq!(wait, UNENROLLED_WAIT);
        assert!(events.states.lock().unwrap().is_empty());

        {
            let mut store = store.lock().unwrap();
            let response = EnrolResponse {
                device_id: DeviceId::new_v7(),
                post_id: PostId::new_v7(),
                post_name: "岩脚联防所".into(),
                device_token: "token".into(),
                server_time: chrono::Utc::now(),
            };
            store.save_enrolment(&closed_port_url(), &response).unwrap();
            let draft = parse_entry_draft(
                r#"{"kind":"hazard","occurred_at":"2024-03-02T09:00:00+08:00",
                    "body":{"category":"fence","severity":"high","description":"铁网破"}}"#,
                None,
            )
            .unwrap();
            store.record_entry(draft, vec![]).unwrap();
        }
        let first = sync.step(&store, &events, &mut backoff).await;
        let second = sync.step(&store, &events, &mut backoff).await;
        assert!(
            (50..=100).contains(&first.as_millis()),
            "first wait {first:?}"
        );
        assert!(
            (100..=200).contains(&second.as_millis()),
            "second wait {second:?}"
        );
        {
            let states = events.states.lock().unwrap();
            assert_eq!(states.len(), 1, "offline is told once: {states:?}");
            assert_eq!(states[0].online, Some(false));
            assert_eq!(states[0].status.pending_records, 1);
            assert!(!states[0].syncing);
        }

        // "Sync now" tries at once, says so, and keeps the failure for the sync screen.
        let error = sync.sync_now(&store, &events).await.unwrap_err();
        assert_eq!(error.kind_code(), "unreachable");
        let states = events.states.lock().unwrap();
        assert_eq!(states.len(), 3, "{states:?}");
        assert!(states[1].syncing);
        assert!(!states[2].syncing);
        assert_eq!(states[2].online, Some(false));
        assert_eq!(states[2].status.pending_records, 1);
        assert!(states[2]
            .status
            .last_error
            .as_deref()
            .is_some_and(|error| error.contains("连不上")));
        let json = serde_json::to_value(&states[2]).unwrap();
        assert_eq!(json["syncing"], false);
        assert_eq!(
            json["pending_records"], 1,
            "the store's status is flattened"
        );
        assert_eq!(json["pending_entries"], 1);
    }
}
