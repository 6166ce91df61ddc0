//! Step 2 of applying a record: is it an entry this device may write, exactly as valid as a
//! member's input? Every problem is collected, each naming its field.

use super::transaction::StoredEntry;
use patrol_model::sync::{entry_from_wire, SyncRecord};
use patrol_model::{DeviceId, DomainCode, Entry, PostId, ValidationReport};

const CHANGES: [&str; 4] = ["create", "edit", "delete", "status"];

/// The typed entry when the record may be applied, else every problem.
pub fn check_record(
    record: &SyncRecord,
    sender: DeviceId,
    post: PostId,
    existing: Option<&StoredEntry>,
) -> Result<Entry, ValidationReport> {
    let mut report = ValidationReport::default();
    if !CHANGES.contains(&record.change.as_str()) {
        report.push(
            "change",
            format!("未知的变更类型 {:?}", record.change),
            format!(
                "unknown change {:?}: create, edit, delete or status",
                record.change
            ),
        );
    }
    let entry = match entry_from_wire(&record.entry) {
        Ok(entry) => Some(entry),
        Err(problems) => {
            report.problems.extend(problems.problems);
            None
        }
    };
    if let Some(entry) = &entry {
        if entry.id != record.entry_id {
            report.push(
                "id",
                "条目编号与记录不符",
                "entry.id differs from the record's entry_id",
            );
        }
        if entry.post_id.is_some_and(|claimed| claimed != post) {
            report.push(
                "post_id",
                "条目属于其他联防所",
                "the entry names another post than this device's",
            );
        }
        match existing {
            None if entry.device_id != sender => report.push(
                "device_id",
                "新条目的设备编号必须是发送它的设备",
                "a new entry's device_id must be the device sending it",
            ),
            Some(stored) if stored.kind != entry.kind().code() => report.push(
                "kind",
                format!("条目类型不能修改(原为 {})", stored.kind),
                format!("an entry keeps its kind (it is {})", stored.kind),
            ),
            _ => {}
        }
    }
    match entry {
        Some(entry) if report.is_empty() => Ok(entry),
        _ => Err(report),
    }
}
