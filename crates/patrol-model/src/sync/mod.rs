//! The sync protocol's shared vocabulary (see `docs/sync-protocol.md`): the hybrid logical
//! clock, the wire types of `POST /api/v1/sync` and enrolment, and the per-field
//! last-writer-wins merge both the server and the tests use. No IO here either.

pub mod hlc;
pub mod merge;
pub mod records;
pub mod wire;

pub use hlc::{Hlc, MAX_CLOCK_AHEAD_MS, MAX_WALL_MS};
pub use merge::{
    changed_fields, entry_field_paths, merge_entry, same_entry_content, FieldClocks, MergeOutcome,
};
pub use records::{
    complete_wire_entry, KnownEntry, SyncRecord, SyncRequest, WireRecord, WireSyncRequest,
};
pub use wire::*;
