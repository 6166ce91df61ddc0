//! The device side of sync v1 (`docs/sync-protocol.md`): the HTTP client, the engine that drains
//! the outbox and pulls the post's changes, photo upload, what the sync measures of the link,
//! and the backoff used while the county server is out of reach.

pub mod backoff;
pub mod client;
pub mod engine;
pub mod link;
pub(crate) mod persistence;
pub mod photos;
mod pull;
mod push;
mod run;
pub mod transport;
pub mod unreachable;
pub mod wipe;

pub use backoff::Backoff;
pub use client::{EncodedBody, SyncClient, Transfer, TransferWatch};
pub use engine::{
    enroll_device, sync_device, sync_device_with_client, SyncOptions, SyncPhase, SyncProgress,
    SyncReport,
};
pub use link::LinkEstimate;
pub use transport::{check_transport, ALLOW_INSECURE_HTTP_SETTING};
pub use unreachable::UnreachableCause;
