//! Step 3 of applying a record: merging an accepted record into the stored entry (per-field
//! last-writer-wins by clock) and writing the result as the entry's new current version.
//! The county's `review` is never taken from a record: a new entry has none, a merged one keeps
//! the server's, and a member's edit of a returned entry clears it (pending review again).

use super::apply::to_json;
use super::transaction::{EntryWrite, StoredEntry, SyncTransaction};
use crate::error::{StorageError, SyncError};
use crate::storage::query_columns::{EntryQueryColumns, WrittenBy};
use crate::storage::AuthenticatedDevice;
use chrono::{DateTime, Utc};
use patrol_model::sync::{
    changed_fields, entry_field_paths, entry_from_wire, merge_entry, same_entry_content,
    FieldClocks, SyncRecord,
};
use patrol_model::{DomainCode, Entry, Review};
use serde_json::Value;

pub(super) struct MergeContext {
    cursor: u64,
    now_ms: i64,
    clock_offset_ms: i64,
    /// This record (not an earlier one) set `occurred_at`: its clock offset corrects it.
    occurred_set_by_record: bool,
}

pub(super) fn ctx(cursor: u64, now_ms: i64, clock_offset_ms: i64) -> MergeContext {
    MergeContext {
        cursor,
        now_ms,
        clock_offset_ms,
        occurred_set_by_record: true,
    }
}

/// Step 3: per-field last-writer-wins into the stored entry; the later record whole when the
/// merge would be invalid. Writes the new version and returns the entry as now stored.
pub(super) async fn merge_record<T: SyncTransaction>(
    tx: &mut T,
    device: &AuthenticatedDevice,
    record: &mut SyncRecord,
    mut typed: Entry,
    existing: Option<&StoredEntry>,
    context: MergeContext,
) -> Result<StoredEntry, SyncError> {
    let Some(current) = existing else {
        // A new entry is exactly what its sender sent, every field at the record's clock, but
        // never with a review: only the county writes one.
        let mut merged = std::mem::take(&mut record.entry);
        set_review(&mut merged, &mut typed, None)?;
        let clocks = FieldClocks::all_at(record.hlc);
        let version = NewVersion {
            device,
            record,
            merged,
            merged_typed: typed,
            replaces: None,
            clocks,
            echo: true,
            context,
        };
        return write_version(tx, version).await;
    };
    let incoming = &record.entry;
    let mut clocks = current.clocks.clone();
    let every_field;
    let changed = match &record.changed_fields {
        Some(changed) => changed,
        None => {
            every_field = entry_field_paths(incoming);
            &every_field
        }
    };
    let outcome = merge_entry(
        Some(&current.document),
        &mut clocks,
        incoming,
        changed,
        record.hlc,
    );
    let mut merged = outcome.merged;
    let mut occurred_set_by_record = outcome.applied.iter().any(|field| field == "occurred_at");
    let mut merged_typed = typed;
    match entry_from_wire(&merged) {
        Ok(entry) => merged_typed = entry,
        Err(_) => {
            let latest = current.clocks.latest();
            if latest.is_none_or(|latest| record.hlc > latest) {
                merged = incoming.clone();
                clocks = FieldClocks::all_at(record.hlc);
                occurred_set_by_record = true;
            } else {
                merged = current.document.clone();
                clocks = current.clocks.clone();
                merged_typed = entry_from_wire(&merged).map_err(|report| {
                    StorageError::corrupt(format!(
                        "stored entry {} is invalid: {report}",
                        current.id
                    ))
                })?;
            }
        }
    }
    // A device never sets or changes the review: the server's stays (a record carrying the
    // review it pulled earlier is fine).
    set_review(
        &mut merged,
        &mut merged_typed,
        current.document.get("review").cloned(),
    )?;
    if changed_fields(Some(&current.document), &merged).is_empty() {
        // The record lost on every field: its sender must pull the server's version.
        tx.touch_entry(current.id, context.cursor).await?;
        return Ok(current.clone());
    }
    let review_falls = merged_typed
        .review
        .as_ref()
        .is_some_and(|review| !review.stands_after_member_edit());
    if review_falls {
        // A member edited a returned entry: it awaits review again (the returned version
        // stays in the history).
        set_review(&mut merged, &mut merged_typed, None)?;
    }
    // The sender pulls this version back unless it is exactly what it sent, review included.
    let echo = same_entry_content(incoming, &merged);
    let updated_at = merged_typed.updated_at.max(typed_updated_at(incoming));
    let context = MergeContext {
        occurred_set_by_record,
        ..context
    };
    let version = NewVersion {
        device,
        record,
        merged,
        merged_typed,
        replaces: Some(Replaced {
            current,
            updated_at,
        }),
        clocks,
        echo,
        context,
    };
    write_version(tx, version).await
}

/// A new current version of an entry, as [`write_version`] writes it.
struct NewVersion<'a> {
    device: &'a AuthenticatedDevice,
    /// The record that made it.
    record: &'a SyncRecord,
    /// The entry's document (bookkeeping fields are set when written).
    merged: Value,
    merged_typed: Entry,
    /// The stored version it replaces; `None` for a new entry.
    replaces: Option<Replaced<'a>>,
    clocks: FieldClocks,
    /// Exactly what the record's sender sent: it need not pull it back.
    echo: bool,
    context: MergeContext,
}

struct Replaced<'a> {
    current: &'a StoredEntry,
    updated_at: DateTime<Utc>,
}

/// Writes the version as the entry's new current one and returns it as now stored.
async fn write_version<T: SyncTransaction>(
    tx: &mut T,
    version: NewVersion<'_>,
) -> Result<StoredEntry, SyncError> {
    let NewVersion {
        device,
        record,
        mut merged,
        merged_typed,
        replaces,
        clocks,
        echo,
        context,
    } = version;
    let occurred_set_by_record = context.occurred_set_by_record;
    let existing_entry = replaces.as_ref().map(|replaced| replaced.current);
    let revision = existing_entry
        .map(|entry| entry.revision + 1)
        .unwrap_or(1)
        .max(u64::from(merged_typed.revision));
    let updated_at = match &replaces {
        Some(replaced) => replaced.updated_at,
        None => merged_typed.updated_at,
    };
    set_bookkeeping(&mut merged, device, revision, updated_at);
    let occurred_correction_ms = match existing_entry {
        Some(current) if !occurred_set_by_record => current.occurred_correction_ms,
        _ => context.clock_offset_ms,
    };
    let write = EntryWrite {
        id: merged_typed.id,
        post_id: device.post_id,
        kind: merged_typed.kind().code().to_string(),
        document: to_json(&merged)?,
        field_clocks: to_json(&clocks)?,
        revision,
        occurred_at_ms: merged_typed.draft.occurred_at.utc_millis(),
        occurred_correction_ms,
        deleted: merged_typed.deleted,
        change_cursor: context.cursor,
        echo_of_device: echo.then_some(device.device_id),
        record_id: record.record_id,
        written_at_ms: context.now_ms,
        replaces_current: existing_entry.is_some(),
        written_by: WrittenBy::Device,
        columns: EntryQueryColumns::of(&merged_typed),
    };
    tx.write_entry(&write).await?;
    Ok(StoredEntry {
        id: write.id,
        post_id: device.post_id,
        kind: write.kind,
        document: merged,
        clocks,
        revision,
        occurred_correction_ms,
    })
}

/// Sets (or, with `None`, removes) the county's review on the document and the typed entry.
fn set_review(
    document: &mut Value,
    typed: &mut Entry,
    review: Option<Value>,
) -> Result<(), StorageError> {
    typed.review = review
        .clone()
        .map(serde_json::from_value::<Review>)
        .transpose()
        .map_err(|error| {
            StorageError::corrupt(format!("stored review of {}: {error}", typed.id))
        })?;
    if let Some(object) = document.as_object_mut() {
        match review {
            Some(review) => object.insert("review".into(), review),
            None => object.remove("review"),
        };
    }
    Ok(())
}

fn typed_updated_at(document: &Value) -> DateTime<Utc> {
    document
        .get("updated_at")
        .and_then(Value::as_str)
        .and_then(|text| text.parse().ok())
        .unwrap_or_default()
}

/// What the server sets on every version it holds.
fn set_bookkeeping(
    document: &mut Value,
    device: &AuthenticatedDevice,
    revision: u64,
    updated_at: DateTime<Utc>,
) {
    if let Some(object) = document.as_object_mut() {
        object.insert("post_id".into(), Value::String(device.post_id.to_string()));
        object.insert("revision".into(), Value::from(revision));
        object.insert(
            "updated_at".into(),
            Value::String(updated_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        );
    }
}
