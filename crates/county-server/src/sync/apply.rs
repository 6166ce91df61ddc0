//! The sync rules, once for every backend.

use super::check::check_record;
use super::sequence::sequence_state;
use super::transaction::{
    DeviceSyncUpdate, EntryCounts, RecordRow, StoredEntry, StoredRecord, SyncTransaction,
};
use super::version::{ctx, merge_record};
use super::{CLOCK_FLAG_THRESHOLD_MS, DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT};
use crate::error::{StorageError, SyncError};
use crate::storage::AuthenticatedDevice;
use chrono::{DateTime, Utc};
use patrol_model::sync::{
    complete_wire_entry, KnownEntry, PulledChange, RecordRejection, SyncRecord, SyncRequest,
    SyncResponse, PROTOCOL_VERSION,
};
use patrol_model::{EntryId, ValidationProblem};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

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
    // How long the oldest record waited on the device: receive time minus its clock (a
    // device's clock is corrected by the offset the server last told it).
    let pending_age_ms = request
        .records
        .iter()
        .map(|record| record.hlc.wall_ms)
        .min()
        .map_or(0, |oldest| now_ms.saturating_sub(oldest).max(0));
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
    // Entries changed by more than one record of this request: only these are kept in memory
    // after being written, for the next record to merge into.
    let repeated: HashSet<EntryId> = entry_ids
        .windows(2)
        .filter(|pair| pair[0] == pair[1])
        .map(|pair| pair[0])
        .collect();
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
    let mut counts = EntryCounts::default();
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
                    &mut record,
                    typed,
                    existing,
                    ctx(counter, now_ms, clock_offset_ms),
                )
                .await?;
                counts.add(EntryCounts::change(
                    existing.map(|entry| &entry.document),
                    &merged.document,
                ));
                if repeated.contains(&merged.id) {
                    entries.insert(merged.id, merged);
                }
            }
        }
    }
    if counter != counter_before {
        tx.set_post_counter(device.post_id, counter).await?;
    }
    if !counts.is_zero() {
        tx.add_entry_counts(device.post_id, counts).await?;
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
            pending_age_ms,
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

pub(super) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, StorageError> {
    serde_json::to_string(value).map_err(StorageError::corrupt)
}
