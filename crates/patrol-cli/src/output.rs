//! How entries and figures are printed for a person (`--json` prints the data as it is).

use patrol_device::EntrySummary;
use patrol_model::{DomainCode, EntryStatus};
use serde::Serialize;

pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// "2024-03-02 09:00" from an RFC 3339 time, in the offset it was recorded in.
pub fn short_time(rfc3339: &str) -> String {
    let (date, rest) = rfc3339.split_once('T').unwrap_or((rfc3339, ""));
    format!("{date} {}", rest.get(..5).unwrap_or(rest))
}

pub fn status_label(status: Option<EntryStatus>) -> &'static str {
    status.map(EntryStatus::label_zh).unwrap_or("")
}

pub fn print_summary_line(entry: &EntrySummary) {
    println!(
        "{}  {:<4}  {:<3}  {}  [{}]{}",
        short_time(&entry.occurred_at),
        entry.kind.label_zh(),
        status_label(entry.status),
        entry.title,
        entry.id,
        if entry.deleted { "  (已删除)" } else { "" }
    );
}
