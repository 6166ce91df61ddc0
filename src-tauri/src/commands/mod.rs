//! Tauri commands, one module per group (`docs/app-commands.md` is the contract with `ui/`).
//! Each command is an adapter of a few lines: read the arguments (`input.rs`), call one
//! `patrol_device` function, map the error. A command that changes an entry tells the
//! background sync (`crate::background_sync::sync_state_changed`).

pub mod coordinates;
pub mod drafts;
pub mod entries;
pub mod input;
pub mod members;
pub mod patrol;
pub mod photos;
pub mod settings;
pub mod sync;
