//! Commands over the entries of the device store: list, show, send state, history, record, edit, delete,
//! and the queries behind the home screen, the month screen and the repair form.

use patrol_device::{
    local_now, EntryListQuery, EntryPage, EntrySendState, EntryVersion, HazardChoice, HomeSummary,
    MonthSummary,
};
use patrol_model::Entry;
use serde_json::Value;
use tauri::{AppHandle, Runtime, State};

use super::input;
use crate::background_sync::sync_state_changed;
use crate::{lock_store, unlocked_member, AppError, SessionState, StoreState};

/// One page of the log, newest first. `query` is the UI's filter and the cursor of the
/// previous page; unknown fields are refused by its deserializer.
#[tauri::command]
pub async fn list_entries(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    query: EntryListQuery,
) -> Result<EntryPage, AppError> {
    unlocked_member(&session)?;
    Ok(lock_store(&store)?.list_entries(&query)?)
}

#[tauri::command]
pub async fn get_entry(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    id: String,
) -> Result<Entry, AppError> {
    unlocked_member(&session)?;
    let id = input::entry_id(&id, "id")?;
    Ok(lock_store(&store)?.entry(id)?)
}

/// Whether the county has the entry (pending, sent, rejected with the reasons, received).
#[tauri::command]
pub async fn entry_send_state(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    id: String,
) -> Result<EntrySendState, AppError> {
    unlocked_member(&session)?;
    let id = input::entry_id(&id, "id")?;
    Ok(lock_store(&store)?.entry_send_state(id)?)
}

/// Every version of an entry, oldest first.
#[tauri::command]
pub async fn entry_history(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    id: String,
) -> Result<Vec<EntryVersion>, AppError> {
    unlocked_member(&session)?;
    let id = input::entry_id(&id, "id")?;
    Ok(lock_store(&store)?.entry_history(id)?)
}

/// Records a member's draft, written by the member unlocked (whatever `author` the draft
/// names); `photos` were imported first (`import_photo`).
#[tauri::command]
pub async fn record_entry<R: Runtime>(
    app: AppHandle<R>,
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    draft: Value,
    photos: Option<Vec<Value>>,
) -> Result<Entry, AppError> {
    let member = unlocked_member(&session)?;
    let mut draft = input::entry_draft(&draft, None)?;
    draft.author = Some(member.name);
    let photos = input::photo_attachments(&photos.unwrap_or_default())?;
    let entry = lock_store(&store)?.record_entry(draft, photos)?;
    sync_state_changed(&app);
    Ok(entry)
}

/// Replaces what the member wrote; the draft's `kind` may be left out (it cannot change).
/// `photos`, when given, replace the entry's (added ones imported first); left out, they stay.
#[tauri::command]
pub async fn edit_entry<R: Runtime>(
    app: AppHandle<R>,
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    id: String,
    draft: Value,
    photos: Option<Vec<Value>>,
) -> Result<Entry, AppError> {
    unlocked_member(&session)?;
    let id = input::entry_id(&id, "id")?;
    let photos = photos
        .map(|photos| input::photo_attachments(&photos))
        .transpose()?;
    let entry = {
        let mut store = lock_store(&store)?;
        let draft = input::entry_draft(&draft, Some(store.entry(id)?.kind()))?;
        match photos {
            Some(photos) => store.edit_entry_and_photos(id, draft, photos)?,
            None => store.edit_entry(id, draft)?,
        }
    };
    sync_state_changed(&app);
    Ok(entry)
}

/// Deletes an entry (a tombstone that syncs); returns the tombstone.
#[tauri::command]
pub async fn delete_entry<R: Runtime>(
    app: AppHandle<R>,
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    id: String,
) -> Result<Entry, AppError> {
    unlocked_member(&session)?;
    let id = input::entry_id(&id, "id")?;
    let entry = lock_store(&store)?.delete_entry(id)?;
    sync_state_changed(&app);
    Ok(entry)
}

/// Open hazards for the repair form: nearest to `near` first when given, else newest first.
#[tauri::command]
pub async fn open_hazards(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    near: Option<Value>,
    limit: Option<u32>,
) -> Result<Vec<HazardChoice>, AppError> {
    unlocked_member(&session)?;
    let near = near
        .map(|near| input::location(&near, "near"))
        .transpose()?;
    Ok(lock_store(&store)?.open_hazards(near.as_ref(), limit)?)
}

/// The home screen's counts, for today in the device's local time.
#[tauri::command]
pub async fn home_summary(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
) -> Result<HomeSummary, AppError> {
    unlocked_member(&session)?;
    Ok(lock_store(&store)?.home_summary(local_now().local_date())?)
}

/// The post's month (`YYYY-MM`, this month when left out): by kind and category, by member, and
/// the hazards open now by age.
#[tauri::command]
pub async fn month_summary(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    month: Option<String>,
) -> Result<MonthSummary, AppError> {
    unlocked_member(&session)?;
    let today = local_now().local_date();
    let month = month.unwrap_or_else(|| today.format("%Y-%m").to_string());
    Ok(lock_store(&store)?.month_summary(&month, today)?)
}
