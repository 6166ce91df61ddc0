//! The sync chip and the "sync now" button; the work itself is the background task's
//! (`crate::background_sync`).

use patrol_device::sync::SyncReport;
use tauri::{AppHandle, Runtime, State};

use crate::background_sync::{tauri_events, BackgroundSync, SyncStateView};
use crate::{AppError, StoreState};

/// The store's sync status plus whether a sync runs, whether the server answered last time,
/// and the running sync's progress.
#[tauri::command]
pub async fn sync_status(
    store: State<'_, StoreState>,
    sync: State<'_, BackgroundSync>,
) -> Result<SyncStateView, AppError> {
    sync.state_view(store.inner())
}

/// Syncs now, even while the background task waits out its backoff; returns the report.
#[tauri::command]
pub async fn sync_now<R: Runtime>(
    app: AppHandle<R>,
    store: State<'_, StoreState>,
    sync: State<'_, BackgroundSync>,
) -> Result<SyncReport, AppError> {
    Ok(sync.sync_now(store.inner(), &tauri_events(&app)).await?)
}
