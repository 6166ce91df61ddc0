//! Helpers shared by the store's tests: a store in a fresh temporary directory, and drafts.

#![allow(dead_code)]

use patrol_device::DeviceStore;
use patrol_model::sync::{PulledChange, RecordRejection, SyncResponse};
use patrol_model::{parse_entry_draft, Entry, EntryDraft};
use tempfile::TempDir;

pub fn fresh_store() -> (TempDir, DeviceStore) {
    let directory = tempfile::tempdir().unwrap();
    let store = DeviceStore::open(directory.path()).unwrap();
    (directory, store)
}

pub fn draft(json: &str) -> EntryDraft {
    parse_entry_draft(json, None).unwrap()
}

pub fn hazard(day: &str, category: &str, description: &str) -> EntryDraft {
    draft(&format!(
        r#"{{"kind":"hazard","occurred_at":"{day}T09:00:00+08:00","location":{{"lat":23.6251,"lon":105.6312}},
            "body":{{"category":"{category}","severity":"high","description":"{description}"}}}}"#
    ))
}

pub fn repair(day: &str, category: &str, quantity: f64, closes: Option<&str>) -> EntryDraft {
    let closes = closes
        .map(|id| format!(r#","closes_hazard":"{id}""#))
        .unwrap_or_default();
    draft(&format!(
        r#"{{"kind":"repair","occurred_at":"{day}T10:00:00+08:00",
            "body":{{"category":"{category}","quantity":{quantity}{closes},"description":"修复"}}}}"#
    ))
}

pub fn patrol(day: &str, joint: bool, findings: &str) -> EntryDraft {
    let partners = if joint {
        r#"[{"unit":"army","count":3},{"unit":"police","count":1}]"#
    } else {
        "[]"
    };
    draft(&format!(
        r#"{{"kind":"patrol","occurred_at":"{day}T08:10:00+08:00","ended_at":"{day}T11:40:00+08:00",
            "body":{{"members":["李国华","王明"],"partners":{partners},"markers":["123"],"findings":"{findings}"}}}}"#
    ))
}

/// The server's answer storing every record up to `acknowledged_through`, refusing `rejected`,
/// and carrying `changes` back (cursors 1, 2, ...), with no clock or PIN news.
pub fn sync_answer(
    acknowledged_through: u64,
    rejected: Vec<RecordRejection>,
    changes: &[Entry],
) -> SyncResponse {
    SyncResponse {
        protocol: 1,
        acknowledged_through,
        rejected,
        missing: Vec::new(),
        changes: changes
            .iter()
            .enumerate()
            .map(|(index, entry)| PulledChange {
                cursor: (index + 1).to_string(),
                entry: serde_json::to_value(entry).unwrap(),
            })
            .collect(),
        next_cursor: Some(changes.len().to_string()),
        more_changes: false,
        server_time: chrono::Utc::now(),
        clock_offset_ms: 0,
        clock_flagged: false,
        pin_resets: Vec::new(),
    }
}

/// The seq of the last record this store has written (0 for none).
pub fn last_seq(store: &DeviceStore) -> u64 {
    store
        .outbox(false)
        .unwrap()
        .last()
        .map_or(0, |record| record.seq)
}
