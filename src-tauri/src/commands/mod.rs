//! Tauri commands, one module per group. Each command is an adapter of a few lines over one
//! `patrol_device::DeviceStore` function.

pub mod entries;
