//! The audit log's storage: rows appended, and read back newest first by id with keyset
//! pagination, filtered by action and time. What a row means is [`crate::audit`]'s. Part of
//! [`super::CountyStorage`]; both backends pass `tests/audit_log.rs`.

use crate::audit::{AuditAction, NewAuditRow};
use crate::error::StorageError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

/// The most rows one page holds.
pub const MAX_AUDIT_PAGE: u32 = 200;

/// Whether the action succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum AuditOutcome {
    Ok,
    Failed,
}

impl AuditOutcome {
    pub fn code(self) -> &'static str {
        match self {
            AuditOutcome::Ok => "ok",
            AuditOutcome::Failed => "failed",
        }
    }

    pub fn from_failed(failed: bool) -> Self {
        if failed {
            AuditOutcome::Failed
        } else {
            AuditOutcome::Ok
        }
    }

    pub fn from_stored(text: &str) -> Result<Self, StorageError> {
        match text {
            "ok" => Ok(AuditOutcome::Ok),
            "failed" => Ok(AuditOutcome::Failed),
            other => Err(StorageError::corrupt(format!(
                "unknown audit outcome {other:?}"
            ))),
        }
    }
}

/// One row of the audit log as it is read back.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditRecord {
    /// Increasing in the order rows were written; the page cursor.
    pub id: i64,
    pub at: DateTime<Utc>,
    pub action: AuditAction,
    pub outcome: AuditOutcome,
    /// The admin's user name (for a login: the one tried), or `cli:<system user>`.
    pub actor: String,
    /// The client's IP address; none for the command line.
    pub address: Option<String>,
    /// What was acted on: an entry, device or post id, a user name, a report's year.
    pub target: Option<String>,
    /// The action's details (decision, format, rows, role, ...).
    #[schema(value_type = Object)]
    #[cfg_attr(feature = "ts", ts(type = "Record<string, unknown>"))]
    pub detail: Value,
}

/// Which rows to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    pub action: Option<AuditAction>,
    /// Rows written at or after this instant.
    pub since_ms: Option<i64>,
    /// Rows written before this instant.
    pub until_ms: Option<i64>,
    /// Rows older than this id (the cursor of the previous page).
    pub before_id: Option<i64>,
    /// 1 to [`MAX_AUDIT_PAGE`].
    pub limit: u32,
}

impl Default for AuditQuery {
    fn default() -> Self {
        AuditQuery {
            action: None,
            since_ms: None,
            until_ms: None,
            before_id: None,
            limit: 50,
        }
    }
}

/// A page of rows, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditPage {
    pub records: Vec<AuditRecord>,
    /// Set when more rows match: the next page's `before_id`.
    pub next_before_id: Option<i64>,
}

impl AuditPage {
    /// A page from up to `limit + 1` rows read newest first.
    pub fn from_rows(mut records: Vec<AuditRecord>, limit: u32) -> AuditPage {
        let more = records.len() > limit as usize;
        records.truncate(limit as usize);
        let next_before_id = more.then(|| records.last().map(|row| row.id)).flatten();
        AuditPage {
            records,
            next_before_id,
        }
    }
}

/// Builds a read-back row from its stored columns.
#[allow(clippy::too_many_arguments)]
pub fn audit_record(
    id: i64,
    at_ms: i64,
    action: &str,
    outcome: &str,
    actor: String,
    address: Option<String>,
    target: Option<String>,
    detail: Value,
) -> Result<AuditRecord, StorageError> {
    Ok(AuditRecord {
        id,
        at: DateTime::from_timestamp_millis(at_ms)
            .ok_or_else(|| StorageError::corrupt(format!("audit time {at_ms} out of range")))?,
        action: AuditAction::from_code(action)
            .ok_or_else(|| StorageError::corrupt(format!("unknown audit action {action:?}")))?,
        outcome: AuditOutcome::from_stored(outcome)?,
        actor,
        address,
        target,
        detail,
    })
}

/// The audit log. Part of [`super::CountyStorage`].
#[async_trait]
pub trait AuditLog: Send + Sync {
    /// Appends one row on its own (for actions without a transaction of their own).
    async fn append_audit(&self, row: NewAuditRow) -> Result<(), StorageError>;

    /// Up to `query.limit` rows matching `query`, newest first.
    async fn audit_page(&self, query: &AuditQuery) -> Result<AuditPage, StorageError>;
}
