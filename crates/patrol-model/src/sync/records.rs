//! The records of `POST /api/v1/sync`: [`SyncRecord`] as the device keeps it and the server
//! applies it, and [`WireSyncRequest`], the compact form that crosses the wire.
//!
//! A backlog of thousands of records is mostly entries, so the wire form leaves out everything
//! the server knows or can derive (`docs/sync-protocol.md`, "Compact records"):
//! - `seq` only where it is not the previous record's plus one;
//! - `record_id` only where it is not the entry's id (a `create` record's id is its entry's);
//! - the clock as `[wall_ms, counter]`: the device part of the clock is the sender;
//! - `changed_fields` left out means every field of the entry (a new entry);
//! - in the entry: `device_id`, `post_id`, `revision`, `created_at`, `updated_at`, and
//!   `photos: []` / `deleted: false`, which the server sets ([`complete_wire_entry`]).

use super::hlc::Hlc;
use crate::ids::{DeviceId, EntryId};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// One local change, as the device's outbox holds it and the server applies it.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncRecord {
    /// 1, 2, 3, … per device, with no gaps.
    pub seq: u64,
    /// Unique per record: sending it again is harmless.
    pub record_id: Uuid,
    pub entry_id: EntryId,
    /// `create`, `edit`, `delete` or `status`.
    pub change: String,
    pub hlc: Hlc,
    /// The fields this change wrote (`occurred_at`, `body.severity`, …); `None`: all of them.
    pub changed_fields: Option<Vec<String>>,
    /// The entry after the change. Kept as raw JSON so that one bad record is rejected alone
    /// instead of failing the whole request.
    pub entry: Value,
}

/// `POST /api/v1/sync`, as the server applies it.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncRequest {
    pub protocol: u32,
    /// The device's clock when it sent this request.
    pub device_time: DateTime<Utc>,
    pub records: Vec<SyncRecord>,
    /// Absent: push only (a batch of a large backlog).
    pub pull: Option<super::PullRequest>,
}

/// `POST /api/v1/sync` on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireSyncRequest {
    pub protocol: u32,
    pub device_time: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<WireRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull: Option<super::PullRequest>,
}

/// One record on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireRecord {
    /// Left out: the previous record's `seq` plus one (the first record must carry it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// Left out: the entry's `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<Uuid>,
    pub change: String,
    /// `[wall_ms, counter]` of the sender's hybrid logical clock.
    pub hlc: (i64, u32),
    /// Left out: every field of the entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_fields: Option<Vec<String>>,
    pub entry: Value,
}

/// Entry fields the server sets; the device leaves them out of the wire.
const SERVER_SET_FIELDS: [&str; 5] = [
    "device_id",
    "post_id",
    "revision",
    "created_at",
    "updated_at",
];

impl SyncRecord {
    /// This record's compact wire form, its `seq` still written out
    /// ([`WireSyncRequest::from_records`] leaves out the consecutive ones).
    pub fn into_wire(self) -> WireRecord {
        WireRecord {
            seq: Some(self.seq),
            record_id: (self.record_id != self.entry_id.0).then_some(self.record_id),
            change: self.change,
            hlc: (self.hlc.wall_ms, self.hlc.counter),
            changed_fields: self.changed_fields,
            entry: compact_entry(self.entry),
        }
    }
}

impl WireSyncRequest {
    /// A request of records in their wire form, each `seq` left out when it follows the one
    /// before (the first is always written).
    pub fn from_records(
        protocol: u32,
        device_time: DateTime<Utc>,
        mut records: Vec<WireRecord>,
        pull: Option<super::PullRequest>,
    ) -> WireSyncRequest {
        let mut previous_seq: Option<u64> = None;
        for record in &mut records {
            let seq = record
                .seq
                .or_else(|| previous_seq.and_then(|p| p.checked_add(1)));
            if previous_seq.is_some() && previous_seq.and_then(|p| p.checked_add(1)) == seq {
                record.seq = None;
            }
            previous_seq = seq;
        }
        WireSyncRequest {
            protocol,
            device_time,
            records,
            pull,
        }
    }
}

impl SyncRequest {
    /// The compact wire form of this request.
    pub fn into_wire(self) -> WireSyncRequest {
        let records = self
            .records
            .into_iter()
            .map(SyncRecord::into_wire)
            .collect();
        WireSyncRequest::from_records(self.protocol, self.device_time, records, self.pull)
    }

    /// The request as `sender` sent it. `Err` names the record and what is wrong with it when
    /// the request cannot be read at all (a record without a sequence number or an id).
    pub fn from_wire(wire: WireSyncRequest, sender: DeviceId) -> Result<SyncRequest, String> {
        let mut records = Vec::with_capacity(wire.records.len());
        let mut previous_seq: Option<u64> = None;
        for (index, record) in wire.records.into_iter().enumerate() {
            let seq = match (record.seq, previous_seq) {
                (Some(seq), _) => seq,
                (None, Some(previous)) => previous.checked_add(1).ok_or_else(|| {
                    format!("records[{index}].seq: the sequence number is out of range")
                })?,
                (None, None) => {
                    return Err(format!(
                        "records[{index}].seq is required on the first record"
                    ))
                }
            };
            previous_seq = Some(seq);
            let entry_id = record
                .entry
                .get("id")
                .and_then(Value::as_str)
                .and_then(|text| text.parse::<Uuid>().ok());
            let record_id = record.record_id.or(entry_id).ok_or_else(|| {
                format!("records[{index}].record_id is required when entry.id is not a UUID")
            })?;
            records.push(SyncRecord {
                seq,
                record_id,
                // A record without a readable entry id is rejected by the entry check, which
                // names `id`; the nil id only stands for it until then.
                entry_id: EntryId(entry_id.unwrap_or(Uuid::nil())),
                change: record.change,
                hlc: Hlc {
                    wall_ms: record.hlc.0,
                    counter: record.hlc.1,
                    device: sender,
                },
                changed_fields: record.changed_fields,
                entry: record.entry,
            });
        }
        Ok(SyncRequest {
            protocol: wire.protocol,
            device_time: wire.device_time,
            records,
            pull: wire.pull,
        })
    }
}

/// The entry without what the server sets.
fn compact_entry(mut entry: Value) -> Value {
    if let Some(object) = entry.as_object_mut() {
        for field in SERVER_SET_FIELDS {
            object.remove(field);
        }
        if object.get("deleted") == Some(&Value::Bool(false)) {
            object.remove("deleted");
        }
        if object
            .get("photos")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            object.remove("photos");
        }
    }
    entry
}

/// What the server knows of an entry it already holds, to complete a compact wire entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownEntry<'a> {
    pub device_id: &'a str,
    pub created_at: &'a str,
}

/// Puts back what [`compact_entry`] left out: the creating device (the stored one, else the
/// sender), `created_at` (the stored one, else the record's clock), `updated_at` (the record's
/// clock), `revision` (set again by the server when stored) and the empty defaults. Values the
/// sender did send are kept, so an old-style full entry is checked as it came.
pub fn complete_wire_entry(entry: &mut Value, hlc: &Hlc, known: Option<KnownEntry<'_>>) {
    let Some(object) = entry.as_object_mut() else {
        return;
    };
    let record_time = || {
        let time = DateTime::<Utc>::from_timestamp_millis(hlc.wall_ms).unwrap_or_default();
        Value::String(time.to_rfc3339_opts(SecondsFormat::Millis, true))
    };
    let set_missing = |object: &mut Map<String, Value>, field: &str, value: Value| {
        if !object.contains_key(field) {
            object.insert(field.to_string(), value);
        }
    };
    let (device_id, created_at) = match known {
        Some(known) => (
            Value::String(known.device_id.to_string()),
            Value::String(known.created_at.to_string()),
        ),
        None => (Value::String(hlc.device.to_string()), record_time()),
    };
    set_missing(object, "device_id", device_id);
    set_missing(object, "created_at", created_at);
    set_missing(object, "updated_at", record_time());
    set_missing(object, "revision", Value::from(1));
    set_missing(object, "photos", Value::Array(Vec::new()));
    set_missing(object, "deleted", Value::Bool(false));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(seq: u64, entry_id: EntryId, record_id: Uuid, device: DeviceId) -> SyncRecord {
        SyncRecord {
            seq,
            record_id,
            entry_id,
            change: "create".into(),
            hlc: Hlc {
                wall_ms: 1_732_853_400_123,
                counter: seq as u32,
                device,
            },
            changed_fields: None,
            entry: json!({"id": entry_id, "device_id": device, "kind": "hazard",
                "occurred_at": "2024-03-02T09:00:00+08:00", "photos": [], "deleted": false,
                "revision": 1, "created_at": "2024-03-02T01:00:00.123456789Z",
                "updated_at": "2024-03-02T01:00:00.123456789Z",
                "body": {"category": "fence", "severity": "high", "description": "铁网"}}),
        }
    }

    #[test]
    fn the_wire_leaves_out_what_the_server_knows_and_gets_it_back() {
        let device = DeviceId::new_v7();
        let (first, second, third) = (EntryId::new_v7(), EntryId::new_v7(), EntryId::new_v7());
        let edit_id = Uuid::now_v7();
        let mut edit = record(9, third, edit_id, device);
        edit.change = "edit".into();
        edit.changed_fields = Some(vec!["body.severity".into()]);
        let request = SyncRequest {
            protocol: 1,
            device_time: Utc::now(),
            records: vec![
                record(7, first, first.0, device),
                record(8, second, second.0, device),
                edit,
            ],
            pull: None,
        };
        let wire = request.clone().into_wire();
        let text = serde_json::to_string(&wire).unwrap();
        assert_eq!(wire.records[0].seq, Some(7));
        assert_eq!(
            wire.records[1].seq, None,
            "consecutive seq is implied: {text}"
        );
        assert_eq!(
            wire.records[1].record_id, None,
            "a create's id is its entry's"
        );
        assert_eq!(wire.records[2].record_id, Some(edit_id));
        for field in [
            "device_id",
            "created_at",
            "updated_at",
            "revision",
            "photos",
            "deleted",
        ] {
            assert!(
                !text.contains(&format!("\"{field}\"")),
                "{field} sent: {text}"
            );
        }
        let back = SyncRequest::from_wire(serde_json::from_str(&text).unwrap(), device).unwrap();
        let seqs: Vec<u64> = back.records.iter().map(|r| r.seq).collect();
        assert_eq!(seqs, [7, 8, 9]);
        for (got, sent) in back.records.iter().zip(&request.records) {
            assert_eq!(
                (got.record_id, got.entry_id, got.hlc, &got.changed_fields),
                (
                    sent.record_id,
                    sent.entry_id,
                    sent.hlc,
                    &sent.changed_fields
                )
            );
        }
    }

    #[test]
    fn a_request_that_cannot_be_read_names_the_record() {
        let device = DeviceId::new_v7();
        let no_seq = json!({"protocol": 1, "device_time": "2024-03-02T01:00:00Z",
            "records": [{"change": "create", "hlc": [1, 0], "entry": {"id": EntryId::new_v7()}}]});
        let error =
            SyncRequest::from_wire(serde_json::from_value(no_seq).unwrap(), device).unwrap_err();
        assert!(error.contains("records[0].seq"), "{error}");
        let no_id = json!({"protocol": 1, "device_time": "2024-03-02T01:00:00Z",
            "records": [{"seq": 1, "change": "create", "hlc": [1, 0], "entry": {"kind": "hazard"}}]});
        let error =
            SyncRequest::from_wire(serde_json::from_value(no_id).unwrap(), device).unwrap_err();
        assert!(error.contains("records[0].record_id"), "{error}");
    }

    #[test]
    fn completing_keeps_the_stored_creator_and_what_was_sent() {
        let sender = DeviceId::new_v7();
        let hlc = Hlc {
            wall_ms: 1_732_853_400_123,
            counter: 0,
            device: sender,
        };
        let mut new_entry = json!({"id": "x", "kind": "hazard"});
        complete_wire_entry(&mut new_entry, &hlc, None);
        assert_eq!(new_entry["device_id"], json!(sender.to_string()));
        assert_eq!(new_entry["created_at"], "2024-11-29T04:10:00.123Z");
        assert_eq!(new_entry["updated_at"], "2024-11-29T04:10:00.123Z");
        assert_eq!(
            (new_entry["photos"].clone(), new_entry["deleted"].clone()),
            (json!([]), json!(false))
        );

        let mut edited = json!({"id": "x", "kind": "hazard", "deleted": true});
        let known = KnownEntry {
            device_id: "0190f2c4-6a1e-7cc0-9a3b-000000000001",
            created_at: "2024-03-02T01:00:00Z",
        };
        complete_wire_entry(&mut edited, &hlc, Some(known));
        assert_eq!(edited["device_id"], known.device_id);
        assert_eq!(edited["created_at"], known.created_at);
        assert_eq!(edited["deleted"], true);
    }
}
