//! `county-server audit [--since …] [--until …] [--action A] --format csv|jsonl`: the audit
//! log (操作记录) to stdout, oldest first; a CSV's every text cell is neutralised like every
//! spreadsheet the county writes. The export is itself written to the log.

use anyhow::Result;
use county_server::audit::{
    china_midnight_ms, export_audit, record_audit, Actor, AuditAction, AuditEvent, AuditFormat,
    ExportSubject,
};
use county_server::storage::audit_log::{AuditQuery, MAX_AUDIT_PAGE};
use county_server::SharedStorage;
use std::io::Write;

/// `--since` / `--until`: a day (its midnight in China Standard Time, UTC+8) or an RFC 3339
/// instant; milliseconds since the epoch.
pub fn parse_instant(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if let Ok(instant) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(instant.timestamp_millis());
    }
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        format!("{text:?} is neither a day (2026-12-01) nor an RFC 3339 time (2026-12-01T08:00:00+08:00)")
    })?;
    Ok(china_midnight_ms(day))
}

pub async fn audit(
    storage: SharedStorage,
    since_ms: Option<i64>,
    until_ms: Option<i64>,
    action: Option<AuditAction>,
    format: AuditFormat,
) -> Result<()> {
    let query = AuditQuery {
        action,
        since_ms,
        until_ms,
        before_id: None,
        limit: MAX_AUDIT_PAGE,
    };
    let rows = {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let rows = export_audit(storage.as_ref(), query, format, &mut out).await?;
        out.flush()?;
        rows
    };
    let event = AuditEvent::Exported {
        subject: ExportSubject::AuditLog,
        format: format.code().into(),
        rows,
    };
    record_audit(storage.as_ref(), &Actor::cli(), event).await?;
    Ok(())
}
