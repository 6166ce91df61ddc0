//! How the dashboard's answers look, for the OpenAPI document only. The answers themselves are
//! the storage's types (`storage::dashboard`, `report::annual`), which stay free of the
//! OpenAPI generator; these mirrors describe them field by field, and `tests/admin_api.rs`
//! checks every real answer against the served document, so a mirror cannot drift unnoticed.
#![allow(dead_code)] // read by utoipa's derive only

use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// One row of the entries list.
#[derive(ToSchema)]
#[schema(as = EntrySummary)]
pub struct EntrySummarySchema {
    pub id: Uuid,
    pub post_id: Uuid,
    pub post_name: String,
    /// patrol, hazard, repair, incident, outreach, activity
    pub kind: String,
    pub category: String,
    pub category_label_zh: Option<String>,
    pub title_zh: String,
    /// RFC 3339 in the member's offset.
    pub occurred_at: String,
    /// `YYYY-MM-DD`, the member's local day.
    pub local_day: String,
    pub author: Option<String>,
    /// open, fixed, running, ended
    pub status: Option<String>,
    /// approved, returned, or null (pending)
    pub review_decision: Option<String>,
    pub deleted: bool,
    pub photo_count: u32,
    pub quantity: Option<f64>,
    pub unit: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// One page of the entries list, newest first.
#[derive(ToSchema)]
#[schema(as = EntryPage)]
pub struct EntryPageSchema {
    pub entries: Vec<EntrySummarySchema>,
    /// The `cursor` of the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// One version of an entry.
#[derive(ToSchema)]
#[schema(as = EntryHistoryVersion)]
pub struct EntryHistoryVersionSchema {
    pub revision: u64,
    pub written_at_ms: Option<i64>,
    /// device or county
    pub by: String,
    /// The entry's document as it was.
    pub document: Value,
}

/// A photo of an entry.
#[derive(ToSchema)]
#[schema(as = EntryPhoto)]
pub struct EntryPhotoSchema {
    pub sha256: String,
    /// before, after, other
    pub role: String,
    pub thumbnail_url: String,
    pub full_url: String,
    /// Whether the full photo has reached the server.
    pub uploaded: bool,
}

/// One entry with its history (oldest first, the current version last) and photos.
#[derive(ToSchema)]
#[schema(as = EntryDetail)]
pub struct EntryDetailSchema {
    /// The entry's current document.
    pub entry: Value,
    pub post_name: String,
    pub device_label: Option<String>,
    pub summary: EntrySummarySchema,
    pub history: Vec<EntryHistoryVersionSchema>,
    pub photos: Vec<EntryPhotoSchema>,
}

#[derive(ToSchema)]
#[schema(as = OverviewTotals)]
pub struct OverviewTotalsSchema {
    pub posts: u64,
    pub devices: u64,
    pub entries: u64,
    pub awaiting_review: u64,
}

#[derive(ToSchema)]
#[schema(as = PostOverview)]
pub struct PostOverviewSchema {
    pub id: Uuid,
    pub name: String,
    pub devices: u64,
    pub entries: u64,
    pub last_contact_ms: Option<i64>,
    /// No device of the post made contact for `silent_days` days (or ever).
    pub silent: bool,
}

#[derive(ToSchema)]
#[schema(as = DeviceOverview)]
pub struct DeviceOverviewSchema {
    pub id: Uuid,
    pub post_id: Uuid,
    pub post_name: String,
    pub label: String,
    pub revoked: bool,
    pub last_contact_ms: Option<i64>,
    /// How long the oldest record of its last sync had waited on the device.
    pub pending_age_ms: Option<i64>,
    pub clock_offset_ms: i64,
    pub clock_flagged: bool,
    pub highest_seq: u64,
    pub acknowledged_through: u64,
    /// Gaps `[from, to]` in the device's sequence.
    pub missing: Vec<Vec<u64>>,
}

/// Totals, posts and devices at a glance.
#[derive(ToSchema)]
#[schema(as = Overview)]
pub struct OverviewSchema {
    pub totals: OverviewTotalsSchema,
    pub posts: Vec<PostOverviewSchema>,
    pub devices: Vec<DeviceOverviewSchema>,
    pub silent_days: u32,
}

/// One post, local month, kind and category with at least one live entry.
#[derive(ToSchema)]
#[schema(as = StatisticsRow)]
pub struct StatisticsRowSchema {
    pub post_id: Uuid,
    pub post_name: String,
    /// `YYYY-MM`
    pub month: String,
    pub kind: String,
    pub category: String,
    pub category_label_zh: Option<String>,
    pub entries: u64,
    pub quantity: Option<f64>,
    pub unit: Option<String>,
    pub fixed: u64,
}

#[derive(ToSchema)]
#[schema(as = Statistics)]
pub struct StatisticsSchema {
    pub year: i32,
    pub rows: Vec<StatisticsRowSchema>,
}

/// A joint-defence post.
#[derive(ToSchema)]
#[schema(as = Post)]
pub struct PostSchema {
    pub id: Uuid,
    pub name: String,
}
