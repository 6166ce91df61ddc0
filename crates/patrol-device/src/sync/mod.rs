//! The device side of sync v1 (`docs/sync-protocol.md`): the HTTP client, the engine that drains
//! the outbox and pulls the post's changes, photo upload, and the backoff used while the county
//! server is out of reach.

pub mod backoff;
pub mod client;
pub mod engine;
pub mod photos;

pub use backoff::Backoff;
pub use client::{SyncClient, Transfer};
pub use engine::{
    enroll_device, sync_device, sync_device_with_client, SyncOptions, SyncPhase, SyncProgress,
    SyncReport,
};
