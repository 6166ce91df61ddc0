//! The settings screen: who uses the phone, the post's roster, the language, and enrolment
//! with the county server.

use patrol_device::AppSettings;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use crate::background_sync::sync_state_changed;
use crate::{lock_store, AppError, StoreState};

#[tauri::command]
pub async fn get_settings(store: State<'_, StoreState>) -> Result<AppSettings, AppError> {
    Ok(lock_store(&store)?.app_settings()?)
}

/// The member using this phone now; new entries are written in their name.
#[tauri::command]
pub async fn set_current_member(
    store: State<'_, StoreState>,
    name: String,
) -> Result<(), AppError> {
    Ok(lock_store(&store)?.set_current_member(&name)?)
}

/// The post's members, to choose from on a patrol.
#[tauri::command]
pub async fn set_roster(store: State<'_, StoreState>, names: Vec<String>) -> Result<(), AppError> {
    Ok(lock_store(&store)?.set_roster(&names)?)
}

/// `zh-CN` or `en`.
#[tauri::command]
pub async fn set_language(store: State<'_, StoreState>, language: String) -> Result<(), AppError> {
    lock_store(&store)?.set_language(&language)?;
    Ok(())
}

/// Whether the token may go over plain `http://` to a county server that is not this machine
/// (anyone on the network could read it); off unless the member turns it on.
#[tauri::command]
pub async fn set_allow_insecure_http(
    store: State<'_, StoreState>,
    allow: bool,
) -> Result<(), AppError> {
    Ok(lock_store(&store)?.set_allow_insecure_http(allow)?)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enrolled {
    pub post_name: String,
}

/// Trades a one-time code from the county office for this device's token; the background
/// sync starts at once.
#[tauri::command]
pub async fn enroll_device<R: Runtime>(
    app: AppHandle<R>,
    store: State<'_, StoreState>,
    server_url: String,
    code: String,
) -> Result<Enrolled, AppError> {
    let label = format!("巡防日志（{}）", std::env::consts::OS);
    let response =
        patrol_device::sync::enroll_device(store.inner(), &server_url, &code, &label).await?;
    sync_state_changed(&app);
    Ok(Enrolled {
        post_name: response.post_name,
    })
}
