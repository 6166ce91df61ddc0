//! How entries and figures are printed for a person (`--json` prints the data as it is), and
//! [`outln!`], the one way a command writes to stdout: a closed pipe (`patrol list | head`) is
//! an error the command returns ([`is_closed_pipe`]), never a panic.

use patrol_device::EntrySummary;
use patrol_model::{DomainCode, EntryStatus};
use serde::Serialize;

/// `println!` that returns the write's `io::Result` instead of panicking when stdout is closed.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// Whether the command stopped because its output was closed early (the reader of the pipe
/// went away, as `head` does): not a failure to report.
pub fn is_closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?)?;
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

pub fn print_summary_line(entry: &EntrySummary) -> std::io::Result<()> {
    outln!(
        "{}  {:<4}  {:<3}  {}  [{}]{}",
        short_time(&entry.occurred_at),
        entry.kind.label_zh(),
        status_label(entry.status),
        entry.title,
        entry.id,
        if entry.deleted { "  (已删除)" } else { "" }
    )
}
