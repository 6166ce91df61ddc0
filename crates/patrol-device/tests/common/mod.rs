//! Helpers shared by the store's tests: a store in a fresh temporary directory, and drafts.

#![allow(dead_code)]

use patrol_device::DeviceStore;
use patrol_model::{parse_entry_draft, EntryDraft};
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
