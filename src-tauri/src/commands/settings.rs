//! The settings screen: the post's roster (changed by the post leader), the language, text size
//! and contrast, and enrolment with the county server. Who uses the phone is the member
//! unlocked (`members.rs`), not a choice here.

use std::time::Instant;

use patrol_device::AppSettings;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use crate::background_sync::sync_state_changed;
use crate::{lock_session, lock_store, unlocked_member, AppError, SessionState, StoreState};

/// The settings; `current_member` is the member unlocked now (none while locked).
#[tauri::command]
pub async fn get_settings(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
) -> Result<AppSettings, AppError> {
    let mut settings = lock_store(&store)?.app_settings()?;
    settings.current_member = lock_session(&session)?
        .peek(Instant::now())
        .map(|member| member.name);
    Ok(settings)
}

/// The post's members, to unlock the phone and to choose from on a patrol. Once the post has
/// a leader, only the leader changes it.
#[tauri::command]
pub async fn set_roster(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    names: Vec<String>,
) -> Result<(), AppError> {
    let member = unlocked_member(&session)?;
    let mut store = lock_store(&store)?;
    store.set_roster_as(&member.name, &names)?;
    lock_session(&session)?.forget_unless(&store.roster()?);
    Ok(())
}

/// `zh-CN` or `en`.
#[tauri::command]
pub async fn set_language(store: State<'_, StoreState>, language: String) -> Result<(), AppError> {
    lock_store(&store)?.set_language(&language)?;
    Ok(())
}

/// `standard`, `large` or `extra_large` (标准 / 大 / 特大).
#[tauri::command]
pub async fn set_text_size(store: State<'_, StoreState>, size: String) -> Result<(), AppError> {
    lock_store(&store)?.set_text_size(&size)?;
    Ok(())
}

/// Black on white with black borders, for direct sun.
#[tauri::command]
pub async fn set_high_contrast(store: State<'_, StoreState>, on: bool) -> Result<(), AppError> {
    Ok(lock_store(&store)?.set_high_contrast(on)?)
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
    session: State<'_, SessionState>,
    server_url: String,
    code: String,
) -> Result<Enrolled, AppError> {
    unlocked_member(&session)?;
    let label = format!("巡防日志（{}）", std::env::consts::OS);
    let response =
        patrol_device::sync::enroll_device(store.inner(), &server_url, &code, &label).await?;
    sync_state_changed(&app);
    Ok(Enrolled {
        post_name: response.post_name,
    })
}
