//! The sync rules, once for every backend.

use super::check::check_record;
use super::sequence::sequence_state;
use super::transaction::{
    DeviceSyncUpdate, EntryWrite, RecordRow, StoredEntry, StoredRecord, SyncTransaction,
};
use super::{CLOCK_FLAG_THRESHOLD_MS, DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT};
use crate::error::{StorageError, SyncError};
use crate::storage::AuthenticatedDevice;
use chrono::{DateTime, Utc};
use patrol_model::sync::{
    changed_fields, complete_wire_entry, entry_field_paths, entry_from_wire, merge_entry,
    FieldClocks, KnownEntry, PulledChange, RecordRejection, SyncRecord, SyncRequest, SyncResponse,
    PROTOCOL_VERSION,
};
use patrol_model::{DomainCode, Entry, EntryId, ValidationProblem};
use serde_json::Value;
use std::collections::HashMap;

/// Applies one sync request inside `tx` and builds the answer. On `Err` the caller rolls back:
/// nothing of the request is stored.
pub async fn apply_sync<T: SyncTransaction>(
    tx: &mut T,
    device: AuthenticatedDevice,
    request: SyncRequest,
    received_at: DateTime<Utc>,
) -> Result<SyncResponse, SyncError> {
    let now_ms = received_at.timestamp_millis();
    let pull = check_request(&request)?;
    let clock_offset_ms = (received_at - request.device_time).num_milliseconds();
    let clock_flagged = clock_offset_ms.abs() > CLOCK_FLAG_THRESHOLD_MS;
    tx.lock_post(device.post_id).await?;

    let mut order: Vec<SyncRecord> = request.records;
    order.sort_by_key(|record| record.seq);
    let seqs: Vec<u64> = order.iter().map(|record| record.seq).collect();
    let mut by_seq: HashMap<u64, StoredRecord> = tx
        .stored_records(device.device_id, &seqs)
        .await?
        .into_iter()
        .map(|record| (record.seq, record))
        .collect();

    let mut entry_ids: Vec<EntryId> = order.iter().map(|record| record.entry_id).collect();
    entry_ids.sort();
    entry_ids.dedup();
    let mut entries: HashMap<EntryId, StoredEntry> = tx
        .load_entries(&entry_ids)
        .await?
        .into_iter()
        .map(|entry| (entry.id, entry))
        .collect();
    if let Some(foreign) = entries
        .values()
        .find(|entry| entry.post_id != device.post_id)
    {
        return Err(SyncError::EntryOfAnotherPost(foreign.id));
    }

    let mut counter = tx.post_counter(device.post_id).await?;
    let counter_before = counter;
    let mut rejected = Vec::new();
    for mut record in order {
        if let Some(stored) = by_seq.get(&record.seq) {
            if let Some(rejection) = resend_answer(stored, &record)? {
                rejected.push(rejection);
            }
            continue;
        }
        let existing = entries.get(&record.entry_id);
        complete_wire_entry(
            &mut record.entry,
            &record.hlc,
            existing.and_then(known_entry),
        );
        let checked = check_record(&record, device.device_id, device.post_id, existing);
        let row = RecordRow {
            device_id: device.device_id,
            seq: record.seq,
            record_id: record.record_id,
            entry_id: record.entry_id,
            change: record.change.clone(),
            hlc: record.hlc.to_string(),
            accepted: checked.is_ok(),
            problems_json: match &checked {
                Err(report) => Some(to_json(&report.problems)?),
                Ok(_) => None,
            },
            // Only a refused record is kept whole: an accepted one is its entry's version.
            record_json: match &checked {
                Err(_) => Some(to_json(&rejected_record_json(&record))?),
                Ok(_) => None,
            },
            received_at_ms: now_ms,
        };
        if !tx.insert_record(&row).await? {
            // The record id is already another record's (of this device or another one).
            rejected.push(conflict(&record, "record_id", "记录编号已用于另一条记录"));
            continue;
        }
        by_seq.insert(
            record.seq,
            StoredRecord {
                device_id: device.device_id,
                seq: record.seq,
                record_id: record.record_id,
                entry_id: record.entry_id,
                accepted: row.accepted,
                problems_json: row.problems_json,
            },
        );
        match checked {
            Err(report) => rejected.push(RecordRejection {
                seq: record.seq,
                record_id: record.record_id,
                entry_id: (!record.entry_id.0.is_nil()).then_some(record.entry_id),
                problems: report.problems,
            }),
            Ok(typed) => {
                counter += 1;
                let merged = merge_record(
                    tx,
                    &device,
                    &record,
                    typed,
                    existing,
                    ctx(counter, now_ms, clock_offset_ms),
                )
                .await?;
                entries.insert(merged.id, merged);
            }
        }
    }
    if counter != counter_before {
        tx.set_post_counter(device.post_id, counter).await?;
    }

    let before = tx.device_state(device.device_id).await?;
    let above = tx
        .seqs_after(device.device_id, before.acknowledged_through)
        .await?;
    let sequence = sequence_state(before.acknowledged_through, before.highest_seq, &above);
    tx.update_device(
        device.device_id,
        &DeviceSyncUpdate {
            last_contact_ms: now_ms,
            clock_offset_ms,
            clock_flagged,
            highest_seq: sequence.highest_seq,
            acknowledged_through: sequence.acknowledged_through,
            missing_json: to_json(&sequence.missing)?,
        },
    )
    .await?;
    if !sequence.missing.is_empty() {
        tracing::info!(device = %device.device_id, missing = ?sequence.missing, "device sequence has gaps");
    }

    let (changes, next_cursor, more_changes) = match pull {
        None => (Vec::new(), None, false),
        Some((cursor, limit)) => {
            let mut rows = tx
                .pull(device.post_id, cursor, limit + 1, device.device_id)
                .await?;
            let more = rows.len() > limit as usize;
            rows.truncate(limit as usize);
            let next = match rows.last() {
                Some(last) if more => last.cursor,
                _ => counter.max(cursor),
            };
            let changes = rows
                .into_iter()
                .map(|row| {
                    let entry =
                        serde_json::from_str(&row.document).map_err(StorageError::corrupt)?;
                    Ok(PulledChange {
                        cursor: row.cursor.to_string(),
                        entry,
                    })
                })
                .collect::<Result<Vec<_>, StorageError>>()?;
            (changes, Some(next.to_string()), more)
        }
    };

    Ok(SyncResponse {
        protocol: PROTOCOL_VERSION,
        acknowledged_through: sequence.acknowledged_through,
        rejected,
        missing: sequence.missing,
        changes,
        next_cursor,
        more_changes,
        server_time: received_at,
        clock_offset_ms,
        clock_flagged,
    })
}

/// The pull cursor and limit, after checking what must hold for the whole request.
fn check_request(request: &SyncRequest) -> Result<Option<(u64, u32)>, SyncError> {
    if request.protocol != PROTOCOL_VERSION {
        return Err(SyncError::BadRequest(format!(
            "protocol {} is not supported; this server speaks {PROTOCOL_VERSION}",
            request.protocol
        )));
    }
    if let Some(bad) = request
        .records
        .iter()
        .find(|record| record.seq == 0 || record.seq > i64::MAX as u64)
    {
        return Err(SyncError::BadRequest(format!(
            "seq {} is out of range: sequence numbers start at 1",
            bad.seq
        )));
    }
    let Some(pull) = &request.pull else {
        return Ok(None);
    };
    let cursor = match pull.cursor.as_deref() {
        None | Some("") => 0,
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|cursor| *cursor <= i64::MAX as u64)
            .ok_or_else(|| {
                SyncError::BadRequest(format!(
                    "pull.cursor {text:?} is not a cursor this server gave"
                ))
            })?,
    };
    let limit = pull
        .limit
        .unwrap_or(DEFAULT_PULL_LIMIT)
        .clamp(1, MAX_PULL_LIMIT);
    Ok(Some((cursor, limit)))
}

/// A record sent again: nothing to store; a rejection is repeated so it is never lost.
fn resend_answer(
    stored: &StoredRecord,
    record: &SyncRecord,
) -> Result<Option<RecordRejection>, SyncError> {
    if stored.record_id != record.record_id {
        return Ok(Some(conflict(record, "seq", "该序号已用于另一条记录")));
    }
    if stored.accepted {
        return Ok(None);
    }
    let problems: Vec<ValidationProblem> = match &stored.problems_json {
        Some(json) => serde_json::from_str(json).map_err(StorageError::corrupt)?,
        None => Vec::new(),
    };
    Ok(Some(RecordRejection {
        seq: stored.seq,
        record_id: stored.record_id,
        entry_id: Some(stored.entry_id),
        problems,
    }))
}

fn conflict(record: &SyncRecord, field: &str, zh: &str) -> RecordRejection {
    RecordRejection {
        seq: record.seq,
        record_id: record.record_id,
        entry_id: Some(record.entry_id),
        problems: vec![ValidationProblem {
            field: field.to_string(),
            message_zh: zh.to_string(),
            message_en: format!(
                "{field} already belongs to another stored record of this device; not applied"
            ),
        }],
    }
}

struct MergeContext {
    cursor: u64,
    now_ms: i64,
    clock_offset_ms: i64,
}

fn ctx(cursor: u64, now_ms: i64, clock_offset_ms: i64) -> MergeContext {
    MergeContext {
        cursor,
        now_ms,
        clock_offset_ms,
    }
}

/// Step 3: per-field last-writer-wins into the stored entry; the later record whole when the
/// merge would be invalid. Writes the new version and returns the entry as now stored.
async fn merge_record<T: SyncTransaction>(
    tx: &mut T,
    device: &AuthenticatedDevice,
    record: &SyncRecord,
    typed: Entry,
    existing: Option<&StoredEntry>,
    context: MergeContext,
) -> Result<StoredEntry, SyncError> {
    let incoming = &record.entry;
    let mut clocks = existing
        .map(|entry| entry.clocks.clone())
        .unwrap_or_default();
    let every_field;
    let changed = match &record.changed_fields {
        Some(changed) => changed,
        None => {
            every_field = entry_field_paths(incoming);
            &every_field
        }
    };
    let outcome = merge_entry(
        existing.map(|entry| &entry.document),
        &mut clocks,
        incoming,
        changed,
        record.hlc,
    );
    let mut merged = outcome.merged;
    let mut occurred_set_by_record =
        existing.is_none() || outcome.applied.iter().any(|field| field == "occurred_at");
    let mut merged_typed = typed;
    if let Some(current) = existing {
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
        if changed_fields(Some(&current.document), &merged).is_empty() {
            // The record lost on every field: its sender must pull the server's version.
            tx.touch_entry(current.id, context.cursor).await?;
            return Ok(current.clone());
        }
    }
    // A new entry is exactly what its sender sent.
    let echo = existing.is_none() || changed_fields(Some(incoming), &merged).is_empty();
    let revision = existing
        .map(|entry| entry.revision + 1)
        .unwrap_or(1)
        .max(u64::from(merged_typed.revision));
    let updated_at = match existing {
        Some(_) => merged_typed.updated_at.max(typed_updated_at(incoming)),
        None => merged_typed.updated_at,
    };
    set_bookkeeping(&mut merged, device, revision, updated_at);
    let occurred_correction_ms = match existing {
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
        replaces_current: existing.is_some(),
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

/// What a compact wire entry needs from the stored entry it changes.
fn known_entry(stored: &StoredEntry) -> Option<KnownEntry<'_>> {
    Some(KnownEntry {
        device_id: stored.document.get("device_id")?.as_str()?,
        created_at: stored.document.get("created_at")?.as_str()?,
    })
}

/// A refused record as it came (completed), kept for the county to see why.
fn rejected_record_json(record: &SyncRecord) -> Value {
    serde_json::json!({
        "seq": record.seq,
        "record_id": record.record_id,
        "change": record.change,
        "hlc": record.hlc,
        "changed_fields": record.changed_fields,
        "entry": record.entry,
    })
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

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, StorageError> {
    serde_json::to_string(value).map_err(StorageError::corrupt)
}
