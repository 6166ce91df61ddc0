//! The answers of the dashboard's queries, shaped as `docs/county-api.md` says (serialised
//! as they are by the HTTP layer, except the map, which [`MapFeatures::to_geojson`] turns into
//! GeoJSON).

use super::EntryCursor;
use crate::storage::query_columns::WrittenBy;
use patrol_model::{DeviceId, EntryId, PhotoRole, PostId};
use serde::Serialize;
use serde_json::Value;

/// One row of the entries list (`EntrySummary` of the contract).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntrySummary {
    #[schema(value_type = uuid::Uuid)]
    pub id: EntryId,
    #[schema(value_type = uuid::Uuid)]
    pub post_id: PostId,
    pub post_name: String,
    /// patrol, hazard, repair, incident, outreach, activity
    #[cfg_attr(feature = "ts", ts(type = "EntryKind"))]
    pub kind: String,
    pub category: String,
    pub category_label_zh: Option<String>,
    pub title_zh: String,
    /// RFC 3339 in the member's offset, as the entry has it.
    pub occurred_at: String,
    /// `YYYY-MM-DD`, the member's local day.
    pub local_day: String,
    pub author: Option<String>,
    /// open, fixed, running, ended
    #[cfg_attr(feature = "ts", ts(type = "EntryStatus | null"))]
    pub status: Option<String>,
    /// approved, returned, or null (pending)
    #[cfg_attr(feature = "ts", ts(type = "ReviewDecision | null"))]
    pub review_decision: Option<String>,
    pub deleted: bool,
    pub photo_count: u32,
    pub quantity: Option<f64>,
    #[cfg_attr(feature = "ts", ts(type = "Unit | null"))]
    pub unit: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// A hazard's severity: low, medium, high, critical; null for other kinds.
    #[cfg_attr(feature = "ts", ts(type = "HazardSeverity | null"))]
    pub severity: Option<String>,
    /// The keyset position of this row (not serialised; the page's `next_cursor` is made of it).
    #[serde(skip)]
    pub cursor: EntryCursor,
}

/// One page of the entries list, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntryPage {
    pub entries: Vec<EntrySummary>,
    /// The `cursor` of the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// `POST /api/v1/admin/reviews`: what became of each id, each list in the order sent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BulkReviewOutcome {
    /// A new version with the decision was written (each reaches the post's devices).
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub reviewed: Vec<EntryId>,
    /// Already this decision with this comment: nothing written.
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub unchanged: Vec<EntryId>,
    /// No such entry.
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub not_found: Vec<EntryId>,
}

/// One version of an entry in its history.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntryHistoryVersion {
    pub revision: u64,
    pub written_at_ms: Option<i64>,
    /// `device` (a member's record) or `county` (a review).
    #[schema(value_type = String)]
    pub by: WrittenBy,
    /// The entry's document as it was.
    #[cfg_attr(feature = "ts", ts(as = "patrol_model::Entry"))]
    pub document: Value,
}

/// A photo of an entry, by hash; the HTTP layer asks the photo store whether it is uploaded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryPhotoReference {
    pub sha256: String,
    pub role: PhotoRole,
}

/// `GET /api/v1/admin/entries/{id}`: the current document, who and where, every version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryDetail {
    pub entry: Value,
    pub post_name: String,
    pub device_label: Option<String>,
    pub summary: EntrySummary,
    /// Oldest first; the current version last.
    pub history: Vec<EntryHistoryVersion>,
    pub photos: Vec<EntryPhotoReference>,
}

/// `GET /api/v1/admin/overview`: totals, posts and devices at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Overview {
    pub totals: OverviewTotals,
    pub posts: Vec<PostOverview>,
    pub devices: Vec<DeviceOverview>,
    pub silent_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OverviewTotals {
    pub posts: u64,
    pub devices: u64,
    /// Live (not deleted) entries.
    pub entries: u64,
    /// Live entries without a decision.
    pub awaiting_review: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PostOverview {
    #[schema(value_type = uuid::Uuid)]
    pub id: PostId,
    pub name: String,
    pub devices: u64,
    pub entries: u64,
    pub last_contact_ms: Option<i64>,
    /// None of its devices made contact for `silent_days` days (or ever).
    pub silent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeviceOverview {
    #[schema(value_type = uuid::Uuid)]
    pub id: DeviceId,
    #[schema(value_type = uuid::Uuid)]
    pub post_id: PostId,
    pub post_name: String,
    pub label: String,
    pub revoked: bool,
    /// Active, revoked, revoked with a wipe ordered, or wiped (`revoked` is true for all but
    /// active).
    pub standing: crate::storage::DeviceStanding,
    /// The wipe the county ordered, and what the phone had unsent when it wiped itself.
    pub wipe: Option<crate::storage::DeviceWipe>,
    pub last_contact_ms: Option<i64>,
    /// How long the oldest record of its last sync had waited on the device; `None` before
    /// the first sync.
    pub pending_age_ms: Option<i64>,
    pub clock_offset_ms: i64,
    pub clock_flagged: bool,
    pub highest_seq: u64,
    pub acknowledged_through: u64,
    /// Gaps `[from, to]` in the device's sequence.
    pub missing: Vec<[u64; 2]>,
}

/// `GET /api/v1/admin/statistics?year=Y[&post=]`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Statistics {
    pub year: i32,
    pub rows: Vec<StatisticsRow>,
}

/// One post, local month, kind and category with at least one live entry.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatisticsRow {
    #[schema(value_type = uuid::Uuid)]
    pub post_id: PostId,
    pub post_name: String,
    /// `YYYY-MM`, local.
    pub month: String,
    #[cfg_attr(feature = "ts", ts(type = "EntryKind"))]
    pub kind: String,
    pub category: String,
    pub category_label_zh: Option<String>,
    pub entries: u64,
    /// Sum of the counted quantity, rounded to 3 decimals; `None` when nothing is counted.
    pub quantity: Option<f64>,
    #[cfg_attr(feature = "ts", ts(type = "Unit | null"))]
    pub unit: Option<String>,
    /// Fixed hazards.
    pub fixed: u64,
}

/// Where a feature is drawn: a patrol's track, or an entry's location.
#[derive(Debug, Clone, PartialEq)]
pub enum MapGeometry {
    Point {
        lon: f64,
        lat: f64,
    },
    /// `[lon, lat]` pairs.
    LineString(Vec<[f64; 2]>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapFeature {
    pub id: EntryId,
    pub kind: String,
    pub category: String,
    pub title_zh: String,
    pub status: Option<String>,
    pub occurred_at: String,
    pub post_id: PostId,
    pub post_name: String,
    /// A hazard's severity code, none for other kinds.
    pub severity: Option<String>,
    pub geometry: MapGeometry,
}

/// The newest located entries and patrol tracks, at most [`MAX_MAP_FEATURES`].
#[derive(Debug, Clone, PartialEq)]
pub struct MapFeatures {
    pub features: Vec<MapFeature>,
    pub truncated: bool,
}

impl MapFeatures {
    /// The GeoJSON `FeatureCollection` of the contract.
    pub fn to_geojson(&self) -> Value {
        let features: Vec<Value> = self
            .features
            .iter()
            .map(|feature| {
                let geometry = match &feature.geometry {
                    MapGeometry::Point { lon, lat } => {
                        serde_json::json!({"type": "Point", "coordinates": [lon, lat]})
                    }
                    MapGeometry::LineString(points) => {
                        serde_json::json!({"type": "LineString", "coordinates": points})
                    }
                };
                serde_json::json!({
                    "type": "Feature",
                    "id": feature.id,
                    "geometry": geometry,
                    "properties": {
                        "id": feature.id, "kind": feature.kind, "category": feature.category,
                        "title_zh": feature.title_zh, "status": feature.status,
                        "occurred_at": feature.occurred_at, "post_id": feature.post_id,
                        "post_name": feature.post_name, "severity": feature.severity,
                    },
                })
            })
            .collect();
        let mut collection = serde_json::json!({"type": "FeatureCollection", "features": features});
        if self.truncated {
            collection["truncated"] = Value::Bool(true);
        }
        collection
    }
}
