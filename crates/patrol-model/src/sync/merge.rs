//! Per-field last-writer-wins. An entry is merged field by field: the top-level fields a member
//! or the device writes, and each field of the body. A record carries the fields it changed and
//! its hybrid logical clock; each changed field is taken when that clock is later than the clock
//! of the field's last write. So two members editing different fields of one entry offline both
//! keep their edit, and on the same field the later edit wins, on every device alike.

use super::hlc::Hlc;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Top-level fields that merge one by one. `kind` and `id` never change; `revision`,
/// `created_at`, `updated_at`, `post_id` and `device_id` are bookkeeping the server sets.
pub const ENVELOPE_FIELDS: [&str; 8] = [
    "occurred_at",
    "ended_at",
    "location",
    "author",
    "patrol_id",
    "photos",
    "status",
    "deleted",
];

/// The clock of the last write of each field of one entry: one clock shared by every field
/// (the record that created the entry, or that replaced it whole) and the fields written later.
/// Stored as a JSON object of field path → clock with the shared clock under `"*"`, so a new
/// entry's clocks are one clock, not one per field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "BTreeMap<String, Hlc>", into = "BTreeMap<String, Hlc>")]
pub struct FieldClocks {
    /// The clock of every field not in `fields`.
    pub shared: Option<Hlc>,
    pub fields: BTreeMap<String, Hlc>,
}

/// The key of the shared clock in the stored JSON (no field path is `*`).
const SHARED_CLOCK_KEY: &str = "*";

impl FieldClocks {
    /// Every field written at `hlc`.
    pub fn all_at(hlc: Hlc) -> FieldClocks {
        FieldClocks {
            shared: Some(hlc),
            fields: BTreeMap::new(),
        }
    }

    /// The clock of the last write of `path`, if it was ever written.
    pub fn get(&self, path: &str) -> Option<Hlc> {
        self.fields.get(path).copied().or(self.shared)
    }

    pub fn set(&mut self, path: &str, hlc: Hlc) {
        self.fields.insert(path.to_string(), hlc);
    }

    /// The latest write of any field.
    pub fn latest(&self) -> Option<Hlc> {
        self.fields.values().copied().chain(self.shared).max()
    }
}

impl From<BTreeMap<String, Hlc>> for FieldClocks {
    fn from(mut fields: BTreeMap<String, Hlc>) -> Self {
        let shared = fields.remove(SHARED_CLOCK_KEY);
        FieldClocks { shared, fields }
    }
}

impl From<FieldClocks> for BTreeMap<String, Hlc> {
    fn from(clocks: FieldClocks) -> Self {
        let mut map = clocks.fields;
        if let Some(shared) = clocks.shared {
            map.insert(SHARED_CLOCK_KEY.to_string(), shared);
        }
        map
    }
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeOutcome {
    pub merged: Value,
    /// Fields taken from the incoming record.
    pub applied: Vec<String>,
    /// Fields the incoming record changed but a later write had already set.
    pub overridden: Vec<String>,
}

/// Every mergeable field path of an entry document: the envelope fields and `body.<key>`.
pub fn entry_field_paths(document: &Value) -> Vec<String> {
    let mut paths: Vec<String> = ENVELOPE_FIELDS.iter().map(|f| f.to_string()).collect();
    if let Some(body) = document.get("body").and_then(Value::as_object) {
        paths.extend(body.keys().map(|key| format!("body.{key}")));
    }
    paths
}

/// The fields whose value differs between two versions of an entry (all of them for a new one).
pub fn changed_fields(previous: Option<&Value>, current: &Value) -> Vec<String> {
    let mut paths = entry_field_paths(current);
    if let Some(previous) = previous {
        for path in entry_field_paths(previous) {
            if !paths.contains(&path) {
                paths.push(path);
            }
        }
        paths.retain(|path| field(previous, path) != field(current, path));
    }
    paths
}

/// Whether two versions of an entry say the same: every merged field, and the county's review
/// (not a merged field: only the county writes it). The device skips a pulled version that says
/// what it holds; the server sends a version back to its sender unless it says what was sent.
pub fn same_entry_content(a: &Value, b: &Value) -> bool {
    changed_fields(Some(a), b).is_empty() && a.get("review") == b.get("review")
}

/// Merges `incoming` (which changed `changed` at clock `hlc`) into `current`, whose fields were
/// last written at `clocks`. With no current version the incoming one is taken whole.
pub fn merge_entry(
    current: Option<&Value>,
    clocks: &mut FieldClocks,
    incoming: &Value,
    changed: &[String],
    hlc: Hlc,
) -> MergeOutcome {
    let Some(current) = current else {
        *clocks = FieldClocks::all_at(hlc);
        return MergeOutcome {
            merged: incoming.clone(),
            applied: entry_field_paths(incoming),
            overridden: Vec::new(),
        };
    };
    let mut merged = current.clone();
    let mut applied = Vec::new();
    let mut overridden = Vec::new();
    for path in changed {
        if !is_mergeable(path) {
            continue;
        }
        let later = clocks.get(path).is_none_or(|last| hlc > last);
        if later {
            set_field(&mut merged, path, field(incoming, path).cloned());
            clocks.set(path, hlc);
            applied.push(path.clone());
        } else {
            overridden.push(path.clone());
        }
    }
    MergeOutcome {
        merged,
        applied,
        overridden,
    }
}

fn is_mergeable(path: &str) -> bool {
    ENVELOPE_FIELDS.contains(&path)
        || path
            .strip_prefix("body.")
            .is_some_and(|key| !key.is_empty())
}

fn field<'v>(document: &'v Value, path: &str) -> Option<&'v Value> {
    match path.strip_prefix("body.") {
        Some(key) => document.get("body")?.get(key),
        None => document.get(path),
    }
    .filter(|value| !value.is_null())
}

fn set_field(document: &mut Value, path: &str, value: Option<Value>) {
    let Some(object) = document.as_object_mut() else {
        return;
    };
    let (target, key): (&mut Map<String, Value>, &str) = match path.strip_prefix("body.") {
        Some(key) => {
            let body = object
                .entry("body")
                .or_insert_with(|| Value::Object(Map::new()));
            match body.as_object_mut() {
                Some(body) => (body, key),
                None => return,
            }
        }
        None => (object, path),
    };
    match value {
        Some(value) => {
            target.insert(key.to_string(), value);
        }
        None => {
            target.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::DeviceId;
    use serde_json::json;

    fn clock(wall_ms: i64) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
            device: DeviceId::new_v7(),
        }
    }

    fn hazard(severity: &str, description: &str) -> Value {
        json!({"kind": "hazard", "occurred_at": "2024-03-02T09:00:00+08:00",
               "body": {"category": "fence", "severity": severity, "description": description}})
    }

    #[test]
    fn edits_of_different_fields_both_survive_in_either_order() {
        let base = hazard("high", "铁网冲毁");
        let by_a = hazard("critical", "铁网冲毁");
        let by_b = hazard("high", "铁网冲毁约30米");
        let (a_clock, b_clock) = (clock(2_000), clock(3_000));
        let a_changed = changed_fields(Some(&base), &by_a);
        let b_changed = changed_fields(Some(&base), &by_b);
        assert_eq!(a_changed, ["body.severity"]);
        assert_eq!(b_changed, ["body.description"]);

        for order in [[0, 1], [1, 0]] {
            let mut clocks = FieldClocks::default();
            let mut current = merge_entry(None, &mut clocks, &base, &[], clock(1_000)).merged;
            let edits = [(&by_a, &a_changed, a_clock), (&by_b, &b_changed, b_clock)];
            for index in order {
                let (doc, changed, hlc) = edits[index];
                current = merge_entry(Some(&current), &mut clocks, doc, changed, hlc).merged;
            }
            assert_eq!(current, hazard("critical", "铁网冲毁约30米"));
        }
    }

    #[test]
    fn on_the_same_field_the_later_clock_wins_whatever_arrives_first() {
        let base = hazard("high", "x");
        let early = hazard("low", "x");
        let late = hazard("critical", "x");
        let changed = vec!["body.severity".to_string()];
        let mut clocks = FieldClocks::default();
        let current = merge_entry(None, &mut clocks, &base, &[], clock(1)).merged;
        let after_late = merge_entry(Some(&current), &mut clocks, &late, &changed, clock(30));
        let after_early = merge_entry(
            Some(&after_late.merged),
            &mut clocks,
            &early,
            &changed,
            clock(20),
        );
        assert_eq!(after_early.merged["body"]["severity"], "critical");
        assert_eq!(after_early.overridden, ["body.severity"]);
    }

    #[test]
    fn the_patrol_an_entry_was_recorded_during_merges_as_an_envelope_field() {
        let base = hazard("high", "x");
        let mut linked = base.clone();
        linked["patrol_id"] = json!("0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a");
        let changed = changed_fields(Some(&base), &linked);
        assert_eq!(changed, ["patrol_id"]);
        let mut clocks = FieldClocks::default();
        let current = merge_entry(None, &mut clocks, &base, &[], clock(1)).merged;
        let merged = merge_entry(Some(&current), &mut clocks, &linked, &changed, clock(2));
        assert_eq!(merged.merged, linked);
    }

    #[test]
    fn a_removed_field_is_removed() {
        let with_end = json!({"kind":"patrol","occurred_at":"2024-03-02T08:00:00+08:00",
                              "ended_at":"2024-03-02T09:00:00+08:00","body":{"joint":false}});
        let without_end = json!({"kind":"patrol","occurred_at":"2024-03-02T08:00:00+08:00",
                                 "body":{"joint":false}});
        let changed = changed_fields(Some(&with_end), &without_end);
        assert_eq!(changed, ["ended_at"]);
        let mut clocks = FieldClocks::default();
        let outcome = merge_entry(
            Some(&with_end),
            &mut clocks,
            &without_end,
            &changed,
            clock(5),
        );
        assert_eq!(outcome.merged, without_end);
    }

    #[test]
    fn clocks_of_a_new_entry_are_one_clock_and_older_stored_maps_still_read() {
        let created = clock(1);
        let mut clocks = FieldClocks::default();
        merge_entry(None, &mut clocks, &hazard("high", "x"), &[], created);
        let stored = serde_json::to_value(&clocks).unwrap();
        assert_eq!(stored.as_object().map(|map| map.len()), Some(1), "{stored}");
        let edit = clock(2);
        let changed = vec!["body.severity".to_string()];
        merge_entry(
            Some(&hazard("high", "x")),
            &mut clocks,
            &hazard("low", "x"),
            &changed,
            edit,
        );
        let read: FieldClocks =
            serde_json::from_value(serde_json::to_value(&clocks).unwrap()).unwrap();
        assert_eq!(read.get("body.severity"), Some(edit));
        assert_eq!(read.get("body.description"), Some(created));
        assert_eq!(read.latest(), Some(edit));
        let old_style = serde_json::json!({"occurred_at": created.to_string()});
        let read: FieldClocks = serde_json::from_value(old_style).unwrap();
        assert_eq!(
            (read.get("occurred_at"), read.get("body.x")),
            (Some(created), None)
        );
    }

    #[test]
    fn identity_and_bookkeeping_fields_never_merge() {
        let base = json!({"id": "a", "kind": "hazard", "body": {}});
        let forged = json!({"id": "b", "kind": "repair", "body": {}});
        let changed = vec!["id".to_string(), "kind".to_string(), "body.".to_string()];
        let mut clocks = FieldClocks::default();
        let outcome = merge_entry(Some(&base), &mut clocks, &forged, &changed, clock(9));
        assert_eq!(outcome.merged, base);
    }
}
