//! A device's outbox, as the device client would hold it: every local change of the entries it
//! recorded, in the order it made them, numbered 1, 2, 3, … with its hybrid logical clock,
//! each carrying the entry as it stood after the change.

use super::life::{utc_text, uuid_v7_at, EntryLife};
use super::random::DemoRng;
use patrol_model::sync::{changed_fields, Hlc, SyncRecord};
use patrol_model::DeviceId;
use serde_json::{json, Value};

/// One device of a post and the changes it made, oldest first.
#[derive(Debug, Clone)]
pub struct DeviceLog {
    pub device_id: DeviceId,
    pub label: String,
    /// Index of the post among the demo's posts.
    pub post: usize,
    /// (when the member made it, the record), by seq.
    pub records: Vec<(i64, SyncRecord)>,
    /// Entries the device created.
    pub entries: u64,
    last_hlc: Option<Hlc>,
}

impl DeviceLog {
    pub fn new(device_id: DeviceId, label: String, post: usize) -> DeviceLog {
        DeviceLog {
            device_id,
            label,
            post,
            records: Vec::new(),
            entries: 0,
            last_hlc: None,
        }
    }

    /// Appends the changes of `lives` (all recorded on this device), in the order they were
    /// made, after the records already in the log. `rng` makes the ids of later changes.
    pub fn append(&mut self, lives: Vec<EntryLife>, rng: &mut DemoRng) {
        let mut changes: Vec<(i64, usize, SyncRecord)> = Vec::new();
        for life in lives {
            self.entries += 1;
            let mut document = life.draft;
            if let Some(object) = document.as_object_mut() {
                object.insert("id".into(), json!(life.id));
                object.insert("device_id".into(), json!(self.device_id));
                object.insert("photos".into(), json!([]));
                object.insert("revision".into(), json!(1));
                object.insert("created_at".into(), json!(utc_text(life.created_ms)));
                object.insert("updated_at".into(), json!(utc_text(life.created_ms)));
                object.insert("deleted".into(), json!(false));
            }
            let mut order = 0;
            changes.push((
                life.created_ms,
                order,
                record(life.id.0, life.id, "create", None, document.clone()),
            ));
            for later in life.later {
                let previous = document.clone();
                for (path, value) in later.set {
                    set_field(&mut document, path, value);
                }
                if later.change == "delete" {
                    document["deleted"] = json!(true);
                }
                let revision = document["revision"].as_u64().unwrap_or(1) + 1;
                document["revision"] = json!(revision);
                document["updated_at"] = json!(utc_text(later.made_ms));
                let fields = changed_fields(Some(&previous), &document);
                let record_id = uuid_v7_at(later.made_ms, rng.uuid_bytes());
                order += 1;
                changes.push((
                    later.made_ms,
                    order,
                    record(
                        record_id,
                        life.id,
                        later.change,
                        Some(fields),
                        document.clone(),
                    ),
                ));
            }
        }
        // Changes of one entry keep their order even when made in the same millisecond.
        changes.sort_by_key(|(made_ms, order, _)| (*made_ms, *order));
        let mut seq = self.records.last().map_or(0, |(_, record)| record.seq);
        for (made_ms, _, mut record) in changes {
            seq += 1;
            let hlc = Hlc::tick(self.last_hlc, made_ms, self.device_id);
            self.last_hlc = Some(hlc);
            record.seq = seq;
            record.hlc = hlc;
            self.records.push((made_ms, record));
        }
    }
}

fn record(
    record_id: uuid::Uuid,
    entry_id: patrol_model::EntryId,
    change: &str,
    changed_fields: Option<Vec<String>>,
    entry: Value,
) -> SyncRecord {
    SyncRecord {
        seq: 0,
        record_id,
        entry_id,
        change: change.to_string(),
        hlc: Hlc {
            wall_ms: 0,
            counter: 0,
            device: DeviceId(uuid::Uuid::nil()),
        },
        changed_fields,
        entry,
    }
}

/// Sets `status`, `ended_at` or `body.<key>` in an entry document.
fn set_field(document: &mut Value, path: &str, value: Value) {
    match path.strip_prefix("body.") {
        Some(key) => document["body"][key] = value,
        None => document[path] = value,
    }
}
