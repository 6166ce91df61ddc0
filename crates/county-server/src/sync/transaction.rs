//! The per-transaction trait each backend implements for [`super::apply_sync`]: a handful of
//! reads and writes on one open transaction, nothing more.

use crate::error::StorageError;
use crate::storage::query_columns::{EntryQueryColumns, WrittenBy};
use patrol_model::sync::{FieldClocks, PinReset};
use patrol_model::{DeviceId, EntryId, PostId};
use serde_json::Value;
use std::future::Future;
use uuid::Uuid;

/// A record already stored, found by `(device, seq)` or by `record_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    pub device_id: DeviceId,
    pub seq: u64,
    pub record_id: Uuid,
    pub entry_id: EntryId,
    pub accepted: bool,
    /// The rejection's problems (JSON array) when it was refused.
    pub problems_json: Option<String>,
}

/// An entry as the server holds it, with what merging needs.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEntry {
    pub id: EntryId,
    pub post_id: PostId,
    pub kind: String,
    pub document: Value,
    pub clocks: FieldClocks,
    pub revision: u64,
    pub occurred_correction_ms: i64,
}

/// One incoming record, to be stored once.
#[derive(Debug, Clone)]
pub struct RecordRow {
    pub device_id: DeviceId,
    pub seq: u64,
    pub record_id: Uuid,
    pub entry_id: EntryId,
    pub change: String,
    pub hlc: String,
    pub accepted: bool,
    pub problems_json: Option<String>,
    /// The record as received, kept only when it was refused (an accepted record is its
    /// entry's version in the history).
    pub record_json: Option<String>,
    pub received_at_ms: i64,
}

/// A new current version of an entry, and the history row that keeps it.
#[derive(Debug, Clone)]
pub struct EntryWrite {
    pub id: EntryId,
    pub post_id: PostId,
    pub kind: String,
    pub document: String,
    pub field_clocks: String,
    pub revision: u64,
    pub occurred_at_ms: i64,
    pub occurred_correction_ms: i64,
    pub deleted: bool,
    pub change_cursor: u64,
    /// The device that sent exactly this version (it need not pull it back).
    pub echo_of_device: Option<DeviceId>,
    /// The record that made this version.
    pub record_id: Uuid,
    pub written_at_ms: i64,
    /// The entry exists: its current version moves to the history first.
    pub replaces_current: bool,
    /// A device's record or the county's review.
    pub written_by: WrittenBy,
    /// What the dashboard queries, derived from this version.
    pub columns: EntryQueryColumns,
}

impl EntryWrite {
    /// `occurred_at` corrected by the clock offset of the device that set it.
    pub fn occurred_corrected_ms(&self) -> i64 {
        self.occurred_at_ms
            .saturating_add(self.occurred_correction_ms)
    }
}

/// A change of a post's entry counts: live (not deleted) entries, and live entries without a
/// review decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EntryCounts {
    pub live: i64,
    pub awaiting_review: i64,
}

impl EntryCounts {
    /// What one version of an entry counts for.
    pub fn of_document(document: &Value) -> EntryCounts {
        let live = !document
            .get("deleted")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let awaiting = live && document.get("review").is_none_or(Value::is_null);
        EntryCounts {
            live: i64::from(live),
            awaiting_review: i64::from(awaiting),
        }
    }

    /// `after` minus `before` (a new entry has no `before`).
    pub fn change(before: Option<&Value>, after: &Value) -> EntryCounts {
        let before = before.map(EntryCounts::of_document).unwrap_or_default();
        let after = EntryCounts::of_document(after);
        EntryCounts {
            live: after.live - before.live,
            awaiting_review: after.awaiting_review - before.awaiting_review,
        }
    }

    pub fn add(&mut self, other: EntryCounts) {
        self.live += other.live;
        self.awaiting_review += other.awaiting_review;
    }

    pub fn is_zero(&self) -> bool {
        *self == EntryCounts::default()
    }
}

/// Where a device's sequence stood before this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeviceSyncState {
    pub highest_seq: u64,
    pub acknowledged_through: u64,
}

/// The device's bookkeeping after this request.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceSyncUpdate {
    pub last_contact_ms: i64,
    pub clock_offset_ms: i64,
    pub clock_flagged: bool,
    pub highest_seq: u64,
    pub acknowledged_through: u64,
    pub missing_json: String,
    /// How long the oldest record of this request had waited on the device (0 without records).
    pub pending_age_ms: i64,
}

/// One change of the post, as the pull returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct PulledRow {
    pub cursor: u64,
    pub document: String,
}

/// One open database transaction, as the sync rules see it. Every method runs inside that
/// transaction; the caller commits when `apply_sync` succeeds and rolls back otherwise.
pub trait SyncTransaction: Send {
    /// Serialises syncs of one post (so cursors are handed out in commit order).
    fn lock_post(&mut self, post: PostId) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// Records stored for `device` with one of `seqs` (ascending).
    fn stored_records(
        &mut self,
        device: DeviceId,
        seqs: &[u64],
    ) -> impl Future<Output = Result<Vec<StoredRecord>, StorageError>> + Send;

    /// The entries among `ids` that exist (in any post).
    fn load_entries(
        &mut self,
        ids: &[EntryId],
    ) -> impl Future<Output = Result<Vec<StoredEntry>, StorageError>> + Send;

    /// Stores a new record; `false` (and nothing stored) when its `record_id` is already
    /// another stored record's.
    fn insert_record(
        &mut self,
        row: &RecordRow,
    ) -> impl Future<Output = Result<bool, StorageError>> + Send;

    /// Writes the entry's current version; the version it replaces (if any) goes to the history.
    fn write_entry(
        &mut self,
        write: &EntryWrite,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// Marks an unchanged entry as changed at `cursor` for everyone (its sender's version lost).
    fn touch_entry(
        &mut self,
        id: EntryId,
        cursor: u64,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// The post's last handed-out change cursor.
    fn post_counter(
        &mut self,
        post: PostId,
    ) -> impl Future<Output = Result<u64, StorageError>> + Send;
    fn set_post_counter(
        &mut self,
        post: PostId,
        counter: u64,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// Adds to the post's counts of live entries and of live entries awaiting review (what
    /// the dashboard's overview shows), once per request.
    fn add_entry_counts(
        &mut self,
        post: PostId,
        counts: EntryCounts,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    fn device_state(
        &mut self,
        device: DeviceId,
    ) -> impl Future<Output = Result<DeviceSyncState, StorageError>> + Send;
    /// The device's stored seqs above `after`, ascending.
    fn seqs_after(
        &mut self,
        device: DeviceId,
        after: u64,
    ) -> impl Future<Output = Result<Vec<u64>, StorageError>> + Send;
    fn update_device(
        &mut self,
        device: DeviceId,
        update: &DeviceSyncUpdate,
    ) -> impl Future<Output = Result<(), StorageError>> + Send;

    /// Up to `limit` entries of `post` changed after `cursor`, by cursor, leaving out versions
    /// that are exactly what `requester` sent.
    fn pull(
        &mut self,
        post: PostId,
        cursor: u64,
        limit: u32,
        requester: DeviceId,
    ) -> impl Future<Output = Result<Vec<PulledRow>, StorageError>> + Send;

    /// The PIN resets of `post` issued at or after `since_ms`, oldest first.
    fn pin_resets(
        &mut self,
        post: PostId,
        since_ms: i64,
    ) -> impl Future<Output = Result<Vec<PinReset>, StorageError>> + Send;
}
