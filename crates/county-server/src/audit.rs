//! The county's audit log (操作记录): who did what, from where, when. Every county action —
//! logins and failed logins, reviews, revokes, exports and reports written (CLI and dashboard),
//! enrolment codes made, posts added, admins added or reset — is one [`AuditEvent`] by an
//! [`Actor`]. Actions that change something write their row in their own transaction (the
//! storage methods that take `by: &Actor`); the others call [`record_audit`]. Admins (not
//! viewers) read it on the dashboard (`GET /api/v1/admin/audit`); `county-server audit`
//! exports it as CSV (every cell through [`crate::spreadsheet::safe_text`]) or JSON lines.

use crate::error::StorageError;
use crate::spreadsheet::safe_text;
use crate::storage::admin_sessions::AdminRole;
use crate::storage::audit_log::{AuditLog, AuditQuery, AuditRecord};
use patrol_model::{DeviceId, DomainCode, EntryId, PostId, ReviewDecision};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::io::Write;
use std::net::IpAddr;

/// Who acted: an admin's user name (or, for a login, the name that was tried), and the address
/// the request came from; `None` for the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: String,
    pub address: Option<IpAddr>,
}

impl Actor {
    /// An admin on the dashboard.
    pub fn admin(user: &str, address: Option<IpAddr>) -> Actor {
        Actor {
            user: user.to_string(),
            address,
        }
    }

    /// Whoever runs a `county-server` command on the server: `cli:` and the system user
    /// (`$USER` or `$LOGNAME`), or just `cli` when neither is set.
    pub fn cli() -> Actor {
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .ok()
            .filter(|user| !user.trim().is_empty());
        Actor {
            user: user.map_or_else(|| "cli".to_string(), |user| format!("cli:{user}")),
            address: None,
        }
    }
}

/// What kind of action a row records (its stored code, and the dashboard's filter).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum AuditAction {
    /// A login that opened a session.
    Login,
    /// A login refused (wrong user name or password, or too many attempts).
    LoginFailed,
    /// An entry approved or returned.
    Review,
    /// A device revoked.
    Revoke,
    /// Entries or the audit log exported.
    Export,
    /// The year-end report written (a file or a download).
    Report,
    /// A one-time enrolment code made.
    EnrolmentCode,
    /// A post added.
    PostAdd,
    /// An admin added, or an admin's password and role reset.
    AdminSave,
    /// A member's forgotten PIN reset for the post's phones.
    PinReset,
}

impl AuditAction {
    pub const ALL: [AuditAction; 10] = [
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::Review,
        AuditAction::Revoke,
        AuditAction::Export,
        AuditAction::Report,
        AuditAction::EnrolmentCode,
        AuditAction::PostAdd,
        AuditAction::AdminSave,
        AuditAction::PinReset,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Review => "review",
            AuditAction::Revoke => "revoke",
            AuditAction::Export => "export",
            AuditAction::Report => "report",
            AuditAction::EnrolmentCode => "enrolment_code",
            AuditAction::PostAdd => "post_add",
            AuditAction::AdminSave => "admin_save",
            AuditAction::PinReset => "pin_reset",
        }
    }

    pub fn from_code(code: &str) -> Option<AuditAction> {
        Self::ALL.into_iter().find(|action| action.code() == code)
    }

    /// The action's name on the dashboard and in the CSV.
    pub fn label_zh(self) -> &'static str {
        match self {
            AuditAction::Login => "登录",
            AuditAction::LoginFailed => "登录失败",
            AuditAction::Review => "审核",
            AuditAction::Revoke => "停用设备",
            AuditAction::Export => "导出",
            AuditAction::Report => "生成报告",
            AuditAction::EnrolmentCode => "生成登记码",
            AuditAction::PostAdd => "新增联防所",
            AuditAction::AdminSave => "新增或重置管理员",
            AuditAction::PinReset => "重置人员 PIN",
        }
    }
}

/// Why a login was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginFailure {
    /// The user name is unknown or the password wrong (the log, like the answer, does not say
    /// which).
    WrongCredentials,
    /// Refused before the password was checked: too many recent failures.
    RateLimited,
}

/// What was exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportSubject {
    Entries,
    AuditLog,
}

/// One county action.
#[derive(Debug, Clone, PartialEq)]
pub enum AuditEvent {
    LoggedIn,
    LoginFailed {
        reason: LoginFailure,
    },
    EntryReviewed {
        entry: EntryId,
        decision: ReviewDecision,
    },
    /// `wipe`: the county also ordered the phone to delete its data (停用并清除).
    DeviceRevoked {
        device: DeviceId,
        wipe: bool,
    },
    Exported {
        subject: ExportSubject,
        format: String,
        rows: u64,
    },
    ReportWritten {
        year: i32,
        format: String,
    },
    EnrolmentCodeMade {
        post: PostId,
    },
    PostAdded {
        post: PostId,
        name: String,
    },
    AdminSaved {
        user: String,
        role: AdminRole,
    },
    PinReset {
        post: PostId,
        member: String,
    },
}

/// A row about to be written: its columns, computed once for every backend.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditRow {
    pub at_ms: i64,
    pub action: AuditAction,
    pub failed: bool,
    pub actor: String,
    pub address: Option<String>,
    pub target: Option<String>,
    pub detail: Value,
}

impl AuditEvent {
    pub fn action(&self) -> AuditAction {
        match self {
            AuditEvent::LoggedIn => AuditAction::Login,
            AuditEvent::LoginFailed { .. } => AuditAction::LoginFailed,
            AuditEvent::EntryReviewed { .. } => AuditAction::Review,
            AuditEvent::DeviceRevoked { .. } => AuditAction::Revoke,
            AuditEvent::Exported { .. } => AuditAction::Export,
            AuditEvent::ReportWritten { .. } => AuditAction::Report,
            AuditEvent::EnrolmentCodeMade { .. } => AuditAction::EnrolmentCode,
            AuditEvent::PostAdded { .. } => AuditAction::PostAdd,
            AuditEvent::AdminSaved { .. } => AuditAction::AdminSave,
            AuditEvent::PinReset { .. } => AuditAction::PinReset,
        }
    }

    /// What the action was done to, and its details.
    fn target_and_detail(&self) -> (Option<String>, Value) {
        match self {
            AuditEvent::LoggedIn => (None, json!({})),
            AuditEvent::LoginFailed { reason } => (None, json!({ "reason": reason })),
            AuditEvent::EntryReviewed { entry, decision } => (
                Some(entry.to_string()),
                json!({ "decision": decision.code() }),
            ),
            AuditEvent::DeviceRevoked { device, wipe } => {
                (Some(device.to_string()), json!({ "wipe": wipe }))
            }
            AuditEvent::Exported {
                subject,
                format,
                rows,
            } => (
                None,
                json!({ "subject": subject, "format": format, "rows": rows }),
            ),
            AuditEvent::ReportWritten { year, format } => (
                Some(year.to_string()),
                json!({ "year": year, "format": format }),
            ),
            AuditEvent::EnrolmentCodeMade { post } => (Some(post.to_string()), json!({})),
            AuditEvent::PostAdded { post, name } => {
                (Some(post.to_string()), json!({ "name": name }))
            }
            AuditEvent::AdminSaved { user, role } => {
                (Some(user.clone()), json!({ "role": role.as_str() }))
            }
            AuditEvent::PinReset { post, member } => {
                (Some(post.to_string()), json!({ "member": member }))
            }
        }
    }

    /// The row this event by `actor` at `at_ms` is stored as.
    pub fn row(&self, actor: &Actor, at_ms: i64) -> NewAuditRow {
        let (target, detail) = self.target_and_detail();
        NewAuditRow {
            at_ms,
            action: self.action(),
            failed: matches!(self, AuditEvent::LoginFailed { .. }),
            actor: actor.user.clone(),
            address: actor.address.map(|address| address.to_string()),
            target,
            detail,
        }
    }
}

/// Writes one audit row for an action that has no transaction of its own (a login, a failed
/// login, an export or report written), at the server's current time.
pub async fn record_audit(
    storage: &dyn AuditLog,
    actor: &Actor,
    event: AuditEvent,
) -> Result<(), StorageError> {
    let row = event.row(actor, chrono::Utc::now().timestamp_millis());
    storage.append_audit(row).await
}

/// The first instant of `day` in China Standard Time (UTC+8), as the county's days are read
/// by `export --since`, `audit --since` and the dashboard's audit filter.
pub fn china_midnight_ms(day: chrono::NaiveDate) -> i64 {
    let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    day.and_hms_opt(0, 0, 0)
        .and_then(|midnight| midnight.and_local_timezone(china).single())
        .map(|start| start.timestamp_millis())
        .unwrap_or_default()
}

/// How `county-server audit` writes the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    Csv,
    Jsonl,
}

impl AuditFormat {
    pub fn code(self) -> &'static str {
        match self {
            AuditFormat::Csv => "csv",
            AuditFormat::Jsonl => "jsonl",
        }
    }
}

/// The CSV's header row.
pub const AUDIT_CSV_HEADER: [&str; 9] = [
    "id", "time", "action", "操作", "outcome", "actor", "address", "target", "detail",
];

#[derive(Debug, thiserror::Error)]
pub enum AuditExportError {
    #[error("reading the audit log: {0}")]
    Storage(#[from] StorageError),
    #[error("writing the audit log: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the audit log as CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing the audit log as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Writes every row `query` matches (oldest first), page by page; returns how many.
pub async fn export_audit(
    storage: &dyn AuditLog,
    query: AuditQuery,
    format: AuditFormat,
    out: &mut dyn Write,
) -> Result<u64, AuditExportError> {
    let mut rows = Vec::new();
    let mut query = query;
    loop {
        let page = storage.audit_page(&query).await?;
        rows.extend(page.records);
        match page.next_before_id {
            Some(before) => query.before_id = Some(before),
            None => break,
        }
    }
    rows.reverse();
    match format {
        AuditFormat::Jsonl => {
            for row in &rows {
                serde_json::to_writer(&mut *out, row)?;
                out.write_all(b"\n")?;
            }
        }
        AuditFormat::Csv => write_audit_csv(&rows, out)?,
    }
    out.flush()?;
    Ok(rows.len() as u64)
}

fn write_audit_csv(rows: &[AuditRecord], out: &mut dyn Write) -> Result<(), csv::Error> {
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(AUDIT_CSV_HEADER)?;
    for row in rows {
        let time = row.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let detail = row.detail.to_string();
        let cells = [
            row.id.to_string(),
            time,
            row.action.code().to_string(),
            row.action.label_zh().to_string(),
            row.outcome.code().to_string(),
            safe_text(&row.actor).into_owned(),
            safe_text(row.address.as_deref().unwrap_or("")).into_owned(),
            safe_text(row.target.as_deref().unwrap_or("")).into_owned(),
            safe_text(&detail).into_owned(),
        ];
        writer.write_record(&cells)?;
    }
    writer.flush()?;
    Ok(())
}
