//! Commands over the entries of the device store.

use patrol_device::{EntryListQuery, EntryPage};
use tauri::State;

use crate::{AppError, StoreState};

/// One page of the log, newest first. `query` is the UI's filter and the cursor of the
/// previous page; unknown fields are refused by its deserializer.
#[tauri::command]
pub async fn list_entries(
    store: State<'_, StoreState>,
    query: EntryListQuery,
) -> Result<EntryPage, AppError> {
    let store = store.lock().map_err(|_| AppError::StoreUnavailable)?;
    Ok(store.list_entries(&query)?)
}
