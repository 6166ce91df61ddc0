//! The Tauri shell of Patrol Log (巡防日志): opens the device store in the app's data
//! directory, holds it as managed state, and exposes thin commands over `patrol-device` to
//! the UI in `ui/`.
//!
//! It owns the window, the command surface and the mapping of errors to `{kind, message}`.
//! It leaves every rule about entries to `patrol-device` and `patrol-model`: a command parses
//! its input, calls one store function and maps the error.

pub mod commands;
pub mod error;

use std::sync::Mutex;

use patrol_device::DeviceStore;
use tauri::Manager;

pub use error::AppError;

/// The store the commands share. One SQLite connection, one writer at a time.
pub type StoreState = Mutex<DeviceStore>;

pub fn run() {
    let result = tauri::Builder::default()
        .setup(|app| {
            // $XDG_DATA_HOME/cn.patrollog.field on Linux; the app's private files on a phone.
            let data_dir = app.path().app_data_dir()?;
            let store = DeviceStore::open(&data_dir).map_err(|error| {
                eprintln!(
                    "patrol-log: cannot open the device store in {}: {error}",
                    data_dir.display()
                );
                AppError::from(error)
            })?;
            app.manage::<StoreState>(Mutex::new(store));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![commands::entries::list_entries])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("patrol-log: {error}");
        std::process::exit(1);
    }
}
