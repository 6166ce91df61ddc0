//! How the server applies `POST /api/v1/sync` — written once, for every backend.
//!
//! [`apply_sync`] holds the rules of `docs/sync-protocol.md` ("How the server applies a
//! record"); it talks to the database only through [`SyncTransaction`], a small trait over one
//! open transaction that each backend implements with its own SQL.

mod apply;
mod check;
mod review;
mod sequence;
mod transaction;
mod version;

pub use apply::apply_sync;
pub use review::{apply_review, apply_reviews};
pub use sequence::{sequence_state, SequenceState};
pub use transaction::{
    DeviceSyncState, DeviceSyncUpdate, EntryCounts, EntryWrite, PulledRow, RecordRow, StoredEntry,
    StoredRecord, SyncTransaction,
};

/// A device clock further off than this (either way) is flagged.
pub const CLOCK_FLAG_THRESHOLD_MS: i64 = 5 * 60 * 1000;
/// Changes per pull when the device does not say.
pub const DEFAULT_PULL_LIMIT: u32 = 500;
/// The most changes one answer carries.
pub const MAX_PULL_LIMIT: u32 = 1000;
