//! What the background sync tells the UI, and how: the `sync-state` payload
//! ([`SyncStateView`]), the [`SyncEvents`] sink (the app's windows, or a test's recorder), and
//! the glue to Tauri (emitting, waking the task after a command's change, spawning the task).

use patrol_device::sync::SyncProgress;
use patrol_device::SyncStatus;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use super::BackgroundSync;
use crate::{SessionState, StoreState};

pub const SYNC_STATE_EVENT: &str = "sync-state";
pub const SYNC_PROGRESS_EVENT: &str = "sync-progress";

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
    /// The county had this phone wiped: the store is now a fresh one, so whoever was unlocked
    /// belonged to the store that is gone.
    fn wiped(&self) {}
}

/// Events to the app's windows.
pub struct TauriSyncEvents<R: Runtime>(AppHandle<R>);

impl<R: Runtime> SyncEvents for TauriSyncEvents<R> {
    fn state(&self, state: &SyncStateView) {
        if let Err(error) = self.0.emit(SYNC_STATE_EVENT, state) {
            log::warn!("{SYNC_STATE_EVENT} not sent: {error}");
        }
    }

    fn progress(&self, progress: &SyncProgress) {
        if let Err(error) = self.0.emit(SYNC_PROGRESS_EVENT, progress) {
            log::warn!("{SYNC_PROGRESS_EVENT} not sent: {error}");
        }
    }

    fn wiped(&self) {
        if let Ok(mut session) = crate::lock_session(self.0.state::<SessionState>().inner()) {
            session.lock();
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
