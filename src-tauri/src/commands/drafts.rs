//! Half-filled forms kept in the store, so a form survives the app being closed or killed.
//! `form` is a kind (`patrol`, `hazard`, `repair`, `incident`, `outreach`, `activity`) or
//! `edit.<entry id>`; `json` is the UI's own text.

use tauri::State;

use crate::{lock_store, unlocked_member, AppError, SessionState, StoreState};

#[tauri::command]
pub async fn save_draft(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    form: String,
    json: String,
) -> Result<(), AppError> {
    unlocked_member(&session)?;
    Ok(lock_store(&store)?.save_draft(&form, &json)?)
}

#[tauri::command]
pub async fn load_draft(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    form: String,
) -> Result<Option<String>, AppError> {
    unlocked_member(&session)?;
    Ok(lock_store(&store)?.load_draft(&form)?)
}

#[tauri::command]
pub async fn clear_draft(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    form: String,
) -> Result<(), AppError> {
    unlocked_member(&session)?;
    Ok(lock_store(&store)?.clear_draft(&form)?)
}
