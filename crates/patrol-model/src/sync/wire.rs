//! The JSON that crosses the wire: enrolment, `POST /api/v1/sync` and error bodies. Field names
//! here are the protocol; `docs/sync-protocol.md` shows every message with examples.

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    /// The `next_cursor` of the last answer; absent the first time.
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub limit: Option<u32>,
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
    /// PINs the county reset for members of the post in the last [`PIN_RESET_DAYS`] days: the
    /// device forgets each named member's PIN once (by `id`), and they set a new one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pin_resets: Vec<PinReset>,
}

/// How long the county's PIN resets are handed to the post's devices.
pub const PIN_RESET_DAYS: i64 = 30;

/// The county reset a member's forgotten PIN (`POST /api/v1/admin/posts/{id}/pin-resets`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinReset {
    pub id: Uuid,
    /// The member's name as on the post's roster.
    pub member: String,
    pub issued_at: DateTime<Utc>,
}

/// The `error` code of the 401 a device gets when the county revoked it **and** ordered its data
/// wiped (停用并清除): the device deletes its store and photos, then sends a [`WipeReport`].
/// A device that does not know the code treats it as an ordinary revocation.
pub const WIPE_ORDERED_ERROR: &str = "wipe_ordered";

/// The most of any one count a [`WipeReport`] may claim (a month at a busy post is ~300 entries).
pub const MAX_WIPE_REPORT_COUNT: u64 = 10_000_000;

/// `POST /api/v1/device/wiped`, sent with the wiped device's old token: what the phone still
/// held unsent when it deleted its store on the county's order, so the county knows what was
/// lost. Each count is at most [`MAX_WIPE_REPORT_COUNT`] (the bytes, that many megabytes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WipeReport {
    /// Entries with changes not yet acknowledged by the server.
    pub unsent_entries: u64,
    /// Photos (send versions) not yet uploaded.
    pub unsent_photos: u64,
    /// Their bytes.
    pub unsent_photo_bytes: u64,
}

impl WipeReport {
    /// The first count over [`MAX_WIPE_REPORT_COUNT`], as its field name.
    pub fn implausible_field(&self) -> Option<&'static str> {
        [
            ("unsent_entries", self.unsent_entries),
            ("unsent_photos", self.unsent_photos),
            ("unsent_photo_bytes", self.unsent_photo_bytes / 1_000_000),
        ]
        .into_iter()
        .find(|(_, count)| *count > MAX_WIPE_REPORT_COUNT)
        .map(|(field, _)| field)
    }
}

/// Every 4xx/5xx answer of the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
/// device assigned; every problem is reported. The JSON is read once, field by field.
pub fn entry_from_wire(value: &Value) -> Result<crate::Entry, crate::ValidationReport> {
    let mut report = crate::ValidationReport::default();
    let draft = match crate::input::entry_draft_from_value(value.clone(), None) {
        Ok(draft) => Some(draft),
        Err(problems) => {
            report.problems.extend(problems.problems);
            None
        }
    };
    let mut assigned = AssignedFields {
        object: value.as_object(),
        report: &mut report,
    };
    let id = assigned.required::<EntryId>("id");
    let device_id = assigned.required::<DeviceId>("device_id");
    let post_id = assigned.optional::<PostId>("post_id");
    let photos = assigned.optional::<Vec<crate::PhotoAttachment>>("photos");
    let status = assigned.optional::<crate::EntryStatus>("status");
    let revision = assigned.required::<u32>("revision");
    let created_at = assigned.required::<DateTime<Utc>>("created_at");
    let updated_at = assigned.required::<DateTime<Utc>>("updated_at");
    let deleted = assigned.optional::<bool>("deleted");
    let review = assigned.optional::<crate::Review>("review");
    match (draft, id, device_id, revision, created_at, updated_at) {
        (
            Some(draft),
            Some(id),
            Some(device_id),
            Some(revision),
            Some(created_at),
            Some(updated_at),
        ) if report.is_empty() => Ok(crate::Entry {
            id,
            device_id,
            post_id: post_id.flatten(),
            draft,
            photos: photos.flatten().unwrap_or_default(),
            status: status.flatten(),
            revision,
            created_at,
            updated_at,
            deleted: deleted.flatten().unwrap_or(false),
            review: review.flatten(),
        }),
        _ => Err(report),
    }
}

/// Reads the fields the device assigns (the draft reader skips them), each with its own problem.
struct AssignedFields<'v, 'r> {
    object: Option<&'v serde_json::Map<String, Value>>,
    report: &'r mut crate::ValidationReport,
}

impl AssignedFields<'_, '_> {
    /// `None` (and a problem) when absent or unreadable.
    fn required<T: serde::de::DeserializeOwned>(&mut self, field: &str) -> Option<T> {
        match self.optional(field) {
            Some(Some(value)) => Some(value),
            Some(None) => {
                self.report.push(field, "缺少该字段", "is required");
                None
            }
            None => None,
        }
    }

    /// `Some(None)` when absent or null, `None` (and a problem) when unreadable.
    fn optional<T: serde::de::DeserializeOwned>(&mut self, field: &str) -> Option<Option<T>> {
        let object = self.object?;
        match object.get(field) {
            None | Some(Value::Null) => Some(None),
            Some(value) => match T::deserialize(value) {
                Ok(typed) => Some(Some(typed)),
                Err(error) => {
                    self.report.push(
                        field,
                        format!("格式不对：{error}"),
                        format!("malformed: {error}"),
                    );
                    None
                }
            },
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
        assert!(entry_from_wire(&no_id).unwrap_err().mentions("id"));
        let mut bad_clock = good.clone();
        bad_clock["updated_at"] = "yesterday".into();
        assert!(entry_from_wire(&bad_clock)
            .unwrap_err()
            .mentions("updated_at"));
        let typed = entry_from_wire(&good).unwrap();
        assert_eq!(serde_json::to_value(&typed).unwrap(), good);
    }
}
