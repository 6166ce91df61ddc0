//! The Tauri shell of Patrol Log (巡防日志): opens the device store in the app's data
//! directory, holds it as managed state, exposes thin commands over `patrol-device` to the UI
//! in `ui/` (`docs/app-commands.md`), and runs the background sync (`background_sync.rs`).
//!
//! It owns the window, the command surface, the events and the mapping of errors to
//! `{kind, message[, problems]}`, and who holds the phone (the member unlocked with their
//! PIN, `SessionState`): every command that shows or changes entries needs one, and entries
//! are written in their name; the GPS track and the background sync go on while locked. It
//! leaves every rule about entries to `patrol-device` and `patrol-model`: a command parses its
//! input, calls one store function and maps the error.
//! Positions come from the phone's GPS (the geolocation plugin, mobile only); the shell never
//! makes one up. Enrolment links arrive through the deep-link plugin, or on a phone from the
//! dashboard's QR code through the barcode-scanner plugin; the shell logs through the log plugin.

pub mod background_sync;
pub mod commands;
pub mod error;

use std::sync::{Mutex, MutexGuard};

use patrol_device::{DeviceStore, MemberSession, UnlockedMember};
use tauri::{Manager, Runtime};

pub use error::AppError;

/// The store the commands share. One SQLite connection, one writer at a time.
pub type StoreState = Mutex<DeviceStore>;

/// Who holds the phone: the member unlocked with their PIN. In memory only, so the app
/// opens locked.
pub type SessionState = Mutex<MemberSession>;

/// The session, or `store_unavailable` when a command panicked while holding it.
pub fn lock_session(session: &SessionState) -> Result<MutexGuard<'_, MemberSession>, AppError> {
    session.lock().map_err(|_| AppError::StoreUnavailable)
}

/// The member unlocked now (this command counts as their activity), or the `locked` error.
/// Every command that shows or changes entries starts here.
pub fn unlocked_member(session: &SessionState) -> Result<UnlockedMember, AppError> {
    Ok(lock_session(session)?.require(std::time::Instant::now())?)
}

/// The store, or `store_unavailable` when a command panicked while holding it.
pub fn lock_store(store: &StoreState) -> Result<MutexGuard<'_, DeviceStore>, AppError> {
    store.lock().map_err(|_| AppError::StoreUnavailable)
}

pub fn run() {
    // `patrollog://enrol?...` links (the dashboard's QR code) reach the UI through the
    // deep-link plugin: on a phone by the OS, on Linux as the one command-line argument.
    let builder = tauri::Builder::default()
        .plugin(app_log())
        .plugin(tauri_plugin_deep_link::init());
    #[cfg(mobile)]
    let builder = builder
        .plugin(tauri_plugin_geolocation::init())
        .plugin(tauri_plugin_barcode_scanner::init());
    let result = builder
        .setup(|app| {
            // $XDG_DATA_HOME/cn.patrollog.field on Linux; the app's private files on a phone.
            let data_dir = app.path().app_data_dir()?;
            let store = DeviceStore::open(&data_dir).map_err(|error| {
                log::error!(
                    "cannot open the device store in {}: {error}",
                    data_dir.display()
                );
                AppError::from(error)
            })?;
            let idle_minutes = store.idle_lock_minutes().map_err(AppError::from)?;
            app.manage::<StoreState>(Mutex::new(store));
            app.manage::<SessionState>(Mutex::new(MemberSession::locked(idle_minutes)));
            app.manage(background_sync::BackgroundSync::default());
            background_sync::spawn(app.handle());
            Ok(())
        })
        .invoke_handler(command_handler())
        .run(tauri::generate_context!());
    if let Err(error) = result {
        // The log plugin may not be up when the app fails to start.
        eprintln!("patrol-log: {error}");
        std::process::exit(1);
    }
}

/// The app's log: warnings and errors of the shell and the store, to stdout and to a file in the
/// app's log folder (`$XDG_DATA_HOME/cn.patrollog.field/logs` on Linux, logcat on Android), kept
/// small (1 MB, the older file kept once).
fn app_log<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind};
    tauri_plugin_log::Builder::new()
        .level(log::LevelFilter::Info)
        .targets([
            Target::new(TargetKind::Stdout),
            Target::new(TargetKind::LogDir { file_name: None }),
        ])
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepOne)
        .build()
}

/// Every command of `docs/app-commands.md`, for the app and for tests on Tauri's mock runtime.
pub fn command_handler<R: Runtime>(
) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        commands::entries::list_entries,
        commands::entries::get_entry,
        commands::entries::entry_send_state,
        commands::entries::entry_history,
        commands::entries::record_entry,
        commands::entries::edit_entry,
        commands::entries::delete_entry,
        commands::entries::open_hazards,
        commands::entries::home_summary,
        commands::entries::month_summary,
        commands::photos::import_photo,
        commands::photos::photo_thumbnail,
        commands::patrol::start_patrol,
        commands::patrol::running_patrol,
        commands::patrol::append_track_point,
        commands::patrol::end_patrol,
        commands::drafts::save_draft,
        commands::drafts::load_draft,
        commands::drafts::clear_draft,
        commands::members::lock_screen,
        commands::members::unlock,
        commands::members::set_first_pin,
        commands::members::lock,
        commands::members::keep_unlocked,
        commands::members::set_idle_lock,
        commands::members::reset_member_pin,
        commands::settings::get_settings,
        commands::settings::set_roster,
        commands::settings::set_language,
        commands::settings::set_text_size,
        commands::settings::set_high_contrast,
        commands::settings::set_allow_insecure_http,
        commands::settings::enroll_device,
        commands::sync::sync_status,
        commands::sync::sync_now,
        commands::coordinates::convert_to_wgs84,
    ]
}
