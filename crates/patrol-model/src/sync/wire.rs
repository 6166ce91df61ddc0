//! The JSON that crosses the wire: enrolment, `POST /api/v1/sync` and error bodies. Field names
//! here are the protocol; `docs/sync-protocol.md` shows every message with examples.

use super::hlc::Hlc;
use crate::ids::{DeviceId, EntryId, PostId};
use crate::validation::ValidationProblem;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// The protocol version this build speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// `POST /api/v1/enroll`: a device trades a one-time code for its own token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    pub code: String,
    pub device_id: DeviceId,
    /// What the county sees for this device, e.g. "李国华的手机".
    #[serde(default)]
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrolResponse {
    pub device_id: DeviceId,
    pub post_id: PostId,
    pub post_name: String,
    /// Sent as `Authorization: Bearer <token>`; the server keeps only its hash.
    pub device_token: String,
    pub server_time: DateTime<Utc>,
}

/// One local change, as the device's outbox holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncRecord {
    /// 1, 2, 3, … per device, with no gaps.
    pub seq: u64,
    /// Unique per record: sending it again is harmless.
    pub record_id: Uuid,
    pub entry_id: EntryId,
    /// `create`, `edit`, `delete` or `status`.
    pub change: String,
    pub hlc: Hlc,
    /// The fields this change wrote (`occurred_at`, `body.severity`, …).
    pub changed_fields: Vec<String>,
    /// The device's clock when the change was made.
    pub recorded_at: DateTime<Utc>,
    /// The whole entry after the change, as the device stores it. Kept as raw JSON so that one
    /// bad record is rejected alone instead of failing the whole request.
    pub entry: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    /// The `next_cursor` of the last answer; absent the first time.
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub limit: Option<u32>,
}

/// `POST /api/v1/sync`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncRequest {
    pub protocol: u32,
    /// The device's clock when it sent this request.
    pub device_time: DateTime<Utc>,
    #[serde(default)]
    pub records: Vec<SyncRecord>,
    /// Absent: push only (a batch of a large backlog).
    #[serde(default)]
    pub pull: Option<PullRequest>,
}

/// A record the server refused; it stays on the device for the member to fix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordRejection {
    pub seq: u64,
    pub record_id: Uuid,
    pub entry_id: Option<EntryId>,
    pub problems: Vec<ValidationProblem>,
}

/// An entry of the device's post as the server now has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PulledChange {
    pub cursor: String,
    pub entry: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub protocol: u32,
    /// Every record with `seq` up to this is stored (accepted or rejected): the device may
    /// forget about sending them.
    pub acknowledged_through: u64,
    pub rejected: Vec<RecordRejection>,
    /// Ranges of `seq` the server lacks below the highest it has: records lost or still in
    /// flight in another request.
    pub missing: Vec<[u64; 2]>,
    pub changes: Vec<PulledChange>,
    pub next_cursor: Option<String>,
    /// More changes are waiting: pull again.
    pub more_changes: bool,
    pub server_time: DateTime<Utc>,
    /// The server's clock minus the device's, as measured on this request.
    pub clock_offset_ms: i64,
    /// The device's clock is off by more than the server tolerates.
    pub clock_flagged: bool,
}

/// Every 4xx/5xx answer of the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// A stable code: `bad_request`, `unauthorized`, `forbidden`, `not_found`, `too_large`, …
    pub error: String,
    /// English, for logs and scripts.
    pub message: String,
    /// Chinese, for the member.
    pub message_zh: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ValidationProblem>,
}

/// Checks an entry received over the wire as strictly as a member's input, plus the fields the
/// device assigned; every problem is reported.
pub fn entry_from_wire(value: &Value) -> Result<crate::Entry, crate::ValidationReport> {
    let mut report = crate::ValidationReport::default();
    if let Err(crate::ModelError::Invalid(problems)) =
        crate::parse_entry_draft(&value.to_string(), None)
    {
        report.problems.extend(problems.problems);
    }
    let typed = serde_json::from_value::<crate::Entry>(value.clone());
    match typed {
        Ok(entry) if report.is_empty() => Ok(entry),
        Ok(_) => Err(report),
        Err(error) => {
            if report.is_empty() {
                report.push(
                    "entry",
                    format!("条目格式不对:{error}"),
                    format!("malformed entry: {error}"),
                );
            }
            Err(report)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_entries_are_checked_like_member_input() {
        let good = json!({"id":"0190f2c4-6a1e-7cc0-9a3b-5f0d2c1e4b7a","device_id":"0190f2c4-6a1e-7cc0-9a3b-000000000001",
            "occurred_at":"2024-03-02T09:00:00+08:00","kind":"hazard",
            "body":{"category":"fence","severity":"high","description":"铁网"},
            "photos":[],"status":"open","revision":1,"created_at":"2024-03-02T01:00:00Z",
            "updated_at":"2024-03-02T01:00:00Z","deleted":false});
        assert!(entry_from_wire(&good).is_ok());
        let mut bad = good.clone();
        bad["body"]["severity"] = "extreme".into();
        bad["location"] = json!({"lat": 91, "lon": 105});
        let report = entry_from_wire(&bad).unwrap_err();
        assert!(
            report.mentions("body.severity") && report.mentions("location.lat"),
            "{report}"
        );
        let mut no_id = good.clone();
        no_id.as_object_mut().unwrap().remove("id");
        assert!(entry_from_wire(&no_id).unwrap_err().mentions("entry"));
    }
}
