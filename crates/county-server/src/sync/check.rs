//! Step 2 of applying a record: is it an entry this device may write, exactly as valid as a
//! member's input, with a clock the server takes? Every problem is collected, each naming its
//! field.

use super::transaction::StoredEntry;
use crate::storage::AuthenticatedDevice;
use patrol_model::sync::{entry_from_wire, Hlc, SyncRecord, MAX_CLOCK_AHEAD_MS};
use patrol_model::{DomainCode, Entry, ValidationReport};

const CHANGES: [&str; 4] = ["create", "edit", "delete", "status"];

/// The typed entry when the record may be applied, else every problem.
pub fn check_record(
    record: &SyncRecord,
    device: &AuthenticatedDevice,
    existing: Option<&StoredEntry>,
    now_ms: i64,
) -> Result<Entry, ValidationReport> {
    let (sender, post) = (device.device_id, device.post_id);
    let mut report = ValidationReport::default();
    check_clock(&mut report, &record.hlc, now_ms);
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

/// A clock the server takes: not before 1970, not more than [`MAX_CLOCK_AHEAD_MS`] ahead of
/// the server. A clock far ahead would win every later edit of the entry's fields; the device
/// corrects its clock by `clock_offset_ms` and its next change has a sane one.
fn check_clock(report: &mut ValidationReport, hlc: &Hlc, now_ms: i64) {
    if hlc.is_sane_at(now_ms) {
        return;
    }
    if hlc.wall_ms < 0 {
        report.push(
            "hlc",
            "记录的时钟早于 1970 年,设备时间有误;请校正设备时间后重新保存该条目",
            format!(
                "the record's clock ({} ms) is before 1970: correct the device clock and save the entry again",
                hlc.wall_ms
            ),
        );
        return;
    }
    let ahead_hours = hlc.wall_ms.saturating_sub(now_ms) / 3_600_000;
    let tolerance_hours = MAX_CLOCK_AHEAD_MS / 3_600_000;
    report.push(
        "hlc",
        format!(
            "记录的时钟比县服务器快约 {ahead_hours} 小时(最多允许 {tolerance_hours} 小时),设备时间有误;请校正设备时间后重新保存该条目"
        ),
        format!(
            "the record's clock is about {ahead_hours} h ahead of the server (at most {tolerance_hours} h is allowed): correct the device clock and save the entry again"
        ),
    );
}
