//! The sync rules, once for every backend: [`apply_sync`] runs the steps of
//! `docs/sync-protocol.md` ("How the server applies a record") in order, one function each.

use super::check::check_record;
use super::sequence::{sequence_state, SequenceState};
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
    SyncResponse, PIN_RESET_DAYS, PROTOCOL_VERSION,
};
use patrol_model::validation::is_forbidden_control;
use patrol_model::{DeviceId, EntryId, ValidationProblem, ValidationReport};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Applies one sync request inside `tx` and builds the answer. On `Err` the caller rolls back:
/// nothing of the request is stored.
pub async fn apply_sync<T: SyncTransaction>(
    tx: &mut T,
    device: AuthenticatedDevice,
    request: SyncRequest,
    received_at: DateTime<Utc>,
) -> Result<SyncResponse, SyncError> {
    let pull = check_request(&request)?;
    let clock = DeviceClock::measure(&request, received_at);
    tx.lock_post(device.post_id).await?;
    let mut batch = load_batch(tx, &device, request.records).await?;
    let mut tally = Tally {
        counter: tx.post_counter(device.post_id).await?,
        ..Tally::default()
    };
    let counter_before = tally.counter;
    for record in std::mem::take(&mut batch.records) {
        apply_record(tx, &device, &clock, &mut batch, &mut tally, record).await?;
    }
    if tally.counter != counter_before {
        tx.set_post_counter(device.post_id, tally.counter).await?;
    }
    if !tally.counts.is_zero() {
        tx.add_entry_counts(device.post_id, tally.counts).await?;
    }
    let sequence = update_device(tx, &device, &clock).await?;
    let (changes, next_cursor, more_changes) =
        pull_changes(tx, &device, pull, tally.counter).await?;
    let pin_resets_since = clock.now_ms - PIN_RESET_DAYS * 24 * 3600 * 1000;
    let pin_resets = tx.pin_resets(device.post_id, pin_resets_since).await?;
    Ok(SyncResponse {
        protocol: PROTOCOL_VERSION,
        acknowledged_through: sequence.acknowledged_through,
        rejected: tally.rejected,
        missing: sequence.missing,
        changes,
        next_cursor,
        more_changes,
        server_time: received_at,
        clock_offset_ms: clock.offset_ms,
        clock_flagged: clock.flagged,
        pin_resets,
    })
}

/// What the request says about the device's clock.
struct DeviceClock {
    now_ms: i64,
    /// Server time − `device_time`.
    offset_ms: i64,
    /// Off by more than [`CLOCK_FLAG_THRESHOLD_MS`], or a record's clock the server refuses.
    flagged: bool,
    /// How long the oldest record waited on the device (0 without sane records).
    pending_age_ms: i64,
}

impl DeviceClock {
    fn measure(request: &SyncRequest, received_at: DateTime<Utc>) -> DeviceClock {
        let now_ms = received_at.timestamp_millis();
        let offset_ms = (received_at - request.device_time).num_milliseconds();
        let insane = request
            .records
            .iter()
            .any(|record| !record.hlc.is_sane_at(now_ms));
        // A record's clock is the device clock corrected by the offset the server last told
        // it, so receive time minus the oldest clock is how long it waited.
        let pending_age_ms = request
            .records
            .iter()
            .filter(|record| record.hlc.is_sane_at(now_ms))
            .map(|record| record.hlc.wall_ms)
            .min()
            .map_or(0, |oldest| now_ms.saturating_sub(oldest).max(0));
        DeviceClock {
            now_ms,
            offset_ms,
            flagged: offset_ms.abs() > CLOCK_FLAG_THRESHOLD_MS || insane,
            pending_age_ms,
        }
    }
}

/// The request's records in seq order, what is already stored of them, and the entries they
/// change.
struct RecordBatch {
    records: Vec<SyncRecord>,
    by_seq: HashMap<u64, StoredRecord>,
    entries: HashMap<EntryId, StoredEntry>,
    /// Entries changed by more than one record of this request: only these are kept in memory
    /// after being written, for the next record to merge into.
    repeated: HashSet<EntryId>,
}

/// What applying the records added up to.
#[derive(Default)]
struct Tally {
    counter: u64,
    counts: EntryCounts,
    rejected: Vec<RecordRejection>,
}

/// Reads what is stored of the request's records and entries; an entry of another post
/// refuses the whole request.
async fn load_batch<T: SyncTransaction>(
    tx: &mut T,
    device: &AuthenticatedDevice,
    mut records: Vec<SyncRecord>,
) -> Result<RecordBatch, SyncError> {
    records.sort_by_key(|record| record.seq);
    let seqs: Vec<u64> = records.iter().map(|record| record.seq).collect();
    let by_seq = tx
        .stored_records(device.device_id, &seqs)
        .await?
        .into_iter()
        .map(|record| (record.seq, record))
        .collect();
    let mut entry_ids: Vec<EntryId> = records.iter().map(|record| record.entry_id).collect();
    entry_ids.sort();
    let repeated = entry_ids
        .windows(2)
        .filter(|pair| pair[0] == pair[1])
        .map(|pair| pair[0])
        .collect();
    entry_ids.dedup();
    let entries: HashMap<EntryId, StoredEntry> = tx
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
    Ok(RecordBatch {
        records,
        by_seq,
        entries,
        repeated,
    })
}

/// Steps 1–3 for one record.
async fn apply_record<T: SyncTransaction>(
    tx: &mut T,
    device: &AuthenticatedDevice,
    clock: &DeviceClock,
    batch: &mut RecordBatch,
    tally: &mut Tally,
    mut record: SyncRecord,
) -> Result<(), SyncError> {
    // Step 1: a resend.
    if let Some(stored) = batch.by_seq.get(&record.seq) {
        let answer = resend_answer(stored, &record, device.device_id)?;
        tally.rejected.extend(answer);
        return Ok(());
    }
    // Step 2: complete and check; the record is stored either way.
    let existing = batch.entries.get(&record.entry_id);
    complete_wire_entry(
        &mut record.entry,
        &record.hlc,
        existing.and_then(known_entry),
    );
    let checked = check_record(&record, device, existing, clock.now_ms);
    let stored = store_record(tx, device, &record, checked.as_ref().err(), clock.now_ms).await?;
    batch.by_seq.insert(record.seq, stored.clone());
    let typed = match (checked, stored.record_id == record.record_id) {
        (Ok(typed), true) => typed,
        (checked, _) => {
            let problems = match (checked, &stored.problems_json) {
                (Err(report), _) => report.problems,
                (Ok(_), Some(json)) => serde_json::from_str(json).map_err(StorageError::corrupt)?,
                (Ok(_), None) => Vec::new(),
            };
            tally.rejected.push(rejection(&record, problems));
            return Ok(());
        }
    };
    // Step 3: merge and write the new version.
    tally.counter += 1;
    let context = ctx(tally.counter, clock.now_ms, clock.offset_ms);
    let merged = merge_record(tx, device, &mut record, typed, existing, context).await?;
    tally.counts.add(EntryCounts::change(
        existing.map(|entry| &entry.document),
        &merged.document,
    ));
    if batch.repeated.contains(&merged.id) {
        batch.entries.insert(merged.id, merged);
    }
    Ok(())
}

/// Stores the record once, accepted or with its problems. A `record_id` already stored for
/// another record is refused, and the seq is still accounted for (no hole): the refusal is
/// stored under a stand-in id made from the device, seq and sent id ([`stand_in_record_id`]).
async fn store_record<T: SyncTransaction>(
    tx: &mut T,
    device: &AuthenticatedDevice,
    record: &SyncRecord,
    problems: Option<&ValidationReport>,
    now_ms: i64,
) -> Result<StoredRecord, SyncError> {
    let mut row = RecordRow {
        device_id: device.device_id,
        seq: record.seq,
        record_id: record.record_id,
        entry_id: record.entry_id,
        change: stored_change(&record.change),
        hlc: record.hlc.to_string(),
        accepted: problems.is_none(),
        problems_json: problems
            .map(|report| to_json(&report.problems))
            .transpose()?,
        // Only a refused record is kept whole: an accepted one is its entry's version.
        record_json: problems
            .map(|_| to_json(&rejected_record_json(record)))
            .transpose()?,
        received_at_ms: now_ms,
    };
    if !tx.insert_record(&row).await? {
        let reused = record_id_reused();
        row.record_id = stand_in_record_id(device.device_id, record.seq, record.record_id);
        row.accepted = false;
        row.problems_json = Some(to_json(&reused)?);
        row.record_json = Some(to_json(&rejected_record_json(record))?);
        if !tx.insert_record(&row).await? {
            return Err(StorageError::corrupt(format!(
                "stand-in record id {} of seq {} is taken",
                row.record_id, record.seq
            ))
            .into());
        }
    }
    Ok(StoredRecord {
        device_id: row.device_id,
        seq: row.seq,
        record_id: row.record_id,
        entry_id: row.entry_id,
        accepted: row.accepted,
        problems_json: row.problems_json,
    })
}

/// Step 4: the device's bookkeeping (last contact, clock, highest seq, acknowledged through,
/// gaps).
async fn update_device<T: SyncTransaction>(
    tx: &mut T,
    device: &AuthenticatedDevice,
    clock: &DeviceClock,
) -> Result<SequenceState, SyncError> {
    let before = tx.device_state(device.device_id).await?;
    let above = tx
        .seqs_after(device.device_id, before.acknowledged_through)
        .await?;
    let sequence = sequence_state(before.acknowledged_through, before.highest_seq, &above);
    tx.update_device(
        device.device_id,
        &DeviceSyncUpdate {
            last_contact_ms: clock.now_ms,
            clock_offset_ms: clock.offset_ms,
            clock_flagged: clock.flagged,
            highest_seq: sequence.highest_seq,
            acknowledged_through: sequence.acknowledged_through,
            missing_json: to_json(&sequence.missing)?,
            pending_age_ms: clock.pending_age_ms,
        },
    )
    .await?;
    if !sequence.missing.is_empty() {
        tracing::info!(device = %device.device_id, missing = ?sequence.missing, "device sequence has gaps");
    }
    if clock.flagged {
        tracing::info!(device = %device.device_id, offset_ms = clock.offset_ms, "device clock flagged");
    }
    Ok(sequence)
}

/// The pull: the post's changes after the cursor, the next cursor, and whether more wait.
async fn pull_changes<T: SyncTransaction>(
    tx: &mut T,
    device: &AuthenticatedDevice,
    pull: Option<(u64, u32)>,
    counter: u64,
) -> Result<(Vec<PulledChange>, Option<String>, bool), SyncError> {
    let Some((cursor, limit)) = pull else {
        return Ok((Vec::new(), None, false));
    };
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
            let entry = serde_json::from_str(&row.document).map_err(StorageError::corrupt)?;
            Ok(PulledChange {
                cursor: row.cursor.to_string(),
                entry,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    Ok((changes, Some(next.to_string()), more))
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

/// Step 1, a record sent again: nothing to store; a rejection is repeated so it is never lost.
fn resend_answer(
    stored: &StoredRecord,
    record: &SyncRecord,
    device: DeviceId,
) -> Result<Option<RecordRejection>, SyncError> {
    let same = stored.record_id == record.record_id
        || stored.record_id == stand_in_record_id(device, record.seq, record.record_id);
    if !same {
        return Ok(Some(rejection(
            record,
            vec![conflict_problem("seq", "该序号已用于另一条记录")],
        )));
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
        record_id: record.record_id,
        entry_id: Some(stored.entry_id),
        problems,
    }))
}

/// The id a refused record with a reused `record_id` is stored under: the same for the same
/// device, seq and sent id (so a resend is recognised), and no device's own id.
fn stand_in_record_id(device: DeviceId, seq: u64, sent: Uuid) -> Uuid {
    let digest = Sha256::new()
        .chain_update(b"patrol-log reused record_id\0")
        .chain_update(device.0.as_bytes())
        .chain_update(seq.to_be_bytes())
        .chain_update(sent.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

fn record_id_reused() -> Vec<ValidationProblem> {
    vec![conflict_problem("record_id", "记录编号已用于另一条记录")]
}

fn conflict_problem(field: &str, zh: &str) -> ValidationProblem {
    ValidationProblem {
        field: field.to_string(),
        message_zh: zh.to_string(),
        message_en: format!(
            "{field} already belongs to another stored record of this device; not applied"
        ),
    }
}

fn rejection(record: &SyncRecord, problems: Vec<ValidationProblem>) -> RecordRejection {
    RecordRejection {
        seq: record.seq,
        record_id: record.record_id,
        entry_id: (!record.entry_id.0.is_nil()).then_some(record.entry_id),
        problems,
    }
}

/// The `change` column: as sent, with control characters escaped (PostgreSQL cannot store
/// NUL; an unknown change is refused by the check, and kept whole in the record's JSON).
fn stored_change(change: &str) -> String {
    if change.chars().any(is_forbidden_control) {
        change.escape_debug().to_string()
    } else {
        change.to_string()
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
        "hlc": [record.hlc.wall_ms, record.hlc.counter],
        "changed_fields": record.changed_fields,
        "entry": record.entry,
    })
}

pub(super) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, StorageError> {
    serde_json::to_string(value).map_err(StorageError::corrupt)
}
