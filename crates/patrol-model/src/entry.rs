//! The common envelope every entry shares, around its typed body.

use crate::body::codes::domain_code;
use crate::body::EntryBody;
use crate::ids::{DeviceId, EntryId, PhotoHash, PostId};
use crate::location::Location;
use crate::time::LocalTime;
use crate::validation::{check_short_text, ValidationReport};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

domain_code! {
    /// What an entry records.
    EntryKind ("条目类型", "entry kind") {
        Patrol = "patrol" "巡逻" "Patrol",
        Hazard = "hazard" "隐患排查" "Hazard",
        Repair = "repair" "修复" "Repair",
        Incident = "incident" "案件" "Incident",
        Outreach = "outreach" "普法宣传" "Outreach",
        Activity = "activity" "活动" "Activity",
    }
}

domain_code! {
    /// Where an entry stands: a hazard is open or fixed, a patrol running or ended.
    EntryStatus ("状态", "status") {
        Open = "open" "待整改" "Open",
        Fixed = "fixed" "已整改" "Fixed",
        Running = "running" "巡逻中" "Running",
        Ended = "ended" "已结束" "Ended",
    }
}

domain_code! {
    /// What a photo shows in relation to its entry.
    PhotoRole ("照片用途", "photo role") {
        General = "general" "现场" "Scene",
        Before = "before" "修复前" "Before",
        After = "after" "修复后" "After",
    }
}

/// A photo attached to an entry, by content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PhotoAttachment {
    pub sha256: PhotoHash,
    pub role: PhotoRole,
}

/// What a member fills in: everything of an entry that is not derived or assigned by the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct EntryDraft {
    pub occurred_at: LocalTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<LocalTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The member who wrote it (several members share one phone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The patrol it was recorded during (a hazard found, a repair made on the way); never on
    /// a patrol itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patrol_id: Option<EntryId>,
    #[serde(flatten)]
    pub body: EntryBody,
}

impl EntryDraft {
    pub fn kind(&self) -> EntryKind {
        self.body.kind()
    }

    /// Every rule an entry must keep, whatever its kind; every problem is reported.
    pub fn validate(&self, report: &mut ValidationReport) {
        if let Some(ended_at) = self.ended_at {
            if ended_at.utc_millis() < self.occurred_at.utc_millis() {
                report.push("ended_at", "结束时间早于开始时间", "ends before it starts");
            }
        }
        if let Some(location) = &self.location {
            validate_location(report, "location", location);
        }
        if let Some(author) = &self.author {
            check_short_text(report, "author", author);
        }
        if self.patrol_id.is_some() && self.kind() == EntryKind::Patrol {
            report.push(
                "patrol_id",
                "巡逻记录不能属于另一次巡逻",
                "a patrol is not recorded during another patrol",
            );
        }
        self.body.validate(report);
    }
}

/// Checks a WGS-84 position: finite, in range, and not the (0, 0) a GPS gives before its fix.
pub fn validate_location(report: &mut ValidationReport, field: &str, location: &Location) {
    if !location.lat.is_finite() || !(-90.0..=90.0).contains(&location.lat) {
        report.push(
            format!("{field}.lat"),
            "纬度应在 -90 到 90 之间",
            "latitude must be between -90 and 90",
        );
    }
    if !location.lon.is_finite() || !(-180.0..=180.0).contains(&location.lon) {
        report.push(
            format!("{field}.lon"),
            "经度应在 -180 到 180 之间",
            "longitude must be between -180 and 180",
        );
    }
    if location.lat == 0.0 && location.lon == 0.0 {
        report.push(
            field,
            "坐标为 (0, 0),GPS 可能尚未定位",
            "position (0, 0): the GPS has probably no fix",
        );
    }
    if let Some(accuracy) = location.accuracy_m {
        if !accuracy.is_finite() || accuracy < 0.0 {
            report.push(
                format!("{field}.accuracy_m"),
                "精度应为不小于 0 的米数",
                "accuracy must be a non-negative number of metres",
            );
        }
    }
    if let Some(altitude) = location.altitude_m {
        if !altitude.is_finite() || !(-500.0..=9000.0).contains(&altitude) {
            report.push(
                format!("{field}.altitude_m"),
                "海拔应在 -500 到 9000 米之间",
                "altitude must be between -500 and 9000 m",
            );
        }
    }
}

/// An entry as stored: the draft plus what the device and the store assign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct Entry {
    pub id: EntryId,
    pub device_id: DeviceId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_id: Option<PostId>,
    #[serde(flatten)]
    pub draft: EntryDraft,
    #[serde(default)]
    pub photos: Vec<PhotoAttachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<EntryStatus>,
    /// 1 for the first version, one more for every edit, status change or delete.
    pub revision: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub deleted: bool,
    /// The county's decision on the entry; only the county server writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
}

domain_code! {
    /// What the county office decided on an entry.
    ReviewDecision ("审核结果", "review decision") {
        Approved = "approved" "已通过" "Approved",
        Returned = "returned" "已退回" "Returned",
    }
}

/// The county office's review of an entry: approved, or returned to the post with a comment
/// saying what to fix. Written only by the county server; it reaches the device on its pull.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Review {
    pub decision: ReviewDecision,
    #[serde(default)]
    pub comment: String,
    /// The county admin who decided.
    pub reviewer: String,
    pub decided_at: DateTime<Utc>,
}

impl Review {
    /// Whether the decision stands after a member edits the entry: a returned entry the member
    /// fixed awaits the county's review again (the returned version stays in its history); an
    /// approval stays.
    pub fn stands_after_member_edit(&self) -> bool {
        self.decision != ReviewDecision::Returned
    }
}

impl Entry {
    pub fn kind(&self) -> EntryKind {
        self.draft.kind()
    }
}
