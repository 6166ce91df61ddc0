//! Turning the rows a backend's SQL returns into the answers, once for both backends: the
//! statistics and the year-end report from grouped rows, the overview from devices and posts,
//! map features from located rows, and the unit a category is counted in.

use super::answers::{
    DeviceOverview, EntryPhotoReference, MapFeature, MapGeometry, Overview, OverviewTotals,
    PostOverview, Statistics, StatisticsRow,
};
use super::{category_label, occurred_at_text, round_quantity};
use crate::error::StorageError;
use crate::report::annual::{assemble_annual_report, AggregateRow, AnnualReport};
use crate::storage::query_columns::WrittenBy;
use patrol_model::{
    DomainCode, EntryId, PackedTrack, PhotoAttachment, PostId, RepairCategory, Unit,
};
use std::collections::{BTreeMap, BTreeSet};

/// The unit a kind and category's counted quantity is in (none for hazards).
pub fn counted_unit(kind: &str, category: &str) -> Option<Unit> {
    match kind {
        "patrol" => Some(Unit::Km),
        "repair" => RepairCategory::from_code(category).map(RepairCategory::unit),
        "incident" | "outreach" | "activity" => Some(Unit::Persons),
        _ => None,
    }
}

/// Live entries of one post, local month (or day: finer groups are merged), kind and category.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    pub post_id: PostId,
    pub post_name: String,
    /// `YYYY-MM` or `YYYY-MM-DD` (only its month is kept).
    pub period: String,
    pub kind: String,
    pub category: String,
    pub entries: u64,
    /// Sum of the counted quantity; `None` when no entry of the group has one.
    pub quantity: Option<f64>,
    pub fixed: u64,
}

type StatisticsKey = (String, PostId, String, String, String);

/// The statistics of `year`: one row per post, month, kind and category, ordered by post name,
/// month, kind and category.
pub fn statistics_from_groups(year: i32, groups: impl IntoIterator<Item = GroupRow>) -> Statistics {
    let mut merged: BTreeMap<StatisticsKey, (u64, Option<f64>, u64)> = BTreeMap::new();
    for group in groups {
        let month: String = group.period.chars().take(7).collect();
        let key = (
            group.post_name,
            group.post_id,
            month,
            group.kind,
            group.category,
        );
        let slot = merged.entry(key).or_insert((0, None, 0));
        slot.0 += group.entries;
        slot.1 = match (slot.1, group.quantity) {
            (Some(sum), Some(more)) => Some(sum + more),
            (sum, more) => sum.or(more),
        };
        slot.2 += group.fixed;
    }
    let rows = merged
        .into_iter()
        .map(
            |((post_name, post_id, month, kind, category), (entries, quantity, fixed))| {
                StatisticsRow {
                    unit: counted_unit(&kind, &category).map(|unit| unit.code().to_string()),
                    category_label_zh: category_label(&kind, &category),
                    post_id,
                    post_name,
                    month,
                    kind,
                    category,
                    entries,
                    quantity: quantity.map(round_quantity),
                    fixed,
                }
            },
        )
        .collect();
    Statistics { year, rows }
}

/// The year-end report of `year` from grouped rows (any grouping finer than kind and category).
pub fn report_from_groups(year: i32, groups: impl IntoIterator<Item = GroupRow>) -> AnnualReport {
    let mut posts = BTreeSet::new();
    let mut merged: BTreeMap<(String, String), AggregateRow> = BTreeMap::new();
    for group in groups {
        posts.insert(group.post_id);
        let row = merged
            .entry((group.kind.clone(), group.category.clone()))
            .or_insert_with(|| AggregateRow {
                kind: group.kind,
                category: group.category,
                entries: 0,
                quantity: 0.0,
                fixed: 0,
            });
        row.entries += group.entries;
        row.quantity += group.quantity.unwrap_or(0.0);
        row.fixed += group.fixed;
    }
    let rows: Vec<AggregateRow> = merged.into_values().collect();
    assemble_annual_report(year, posts.len() as u64, &rows)
}

/// A live entry the map may draw: located, or a patrol (with its packed track, if any).
#[derive(Debug, Clone, PartialEq)]
pub struct MapRow {
    pub id: EntryId,
    pub kind: String,
    pub category: String,
    pub title_zh: String,
    pub status: Option<String>,
    pub occurred_at_ms: i64,
    pub occurred_offset_minutes: i32,
    pub post_id: PostId,
    pub post_name: String,
    /// A hazard's severity code (`HazardSeverity`), none for other kinds.
    pub severity: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// `body.track` of a patrol (PackedTrack v1, base64).
    pub track: Option<String>,
}

impl MapRow {
    /// A patrol's track is a line (a point when it has one point); an entry with a location
    /// is a point; the rest (which the queries leave out) is not drawn.
    pub fn into_feature(self) -> Option<MapFeature> {
        let track: Vec<[f64; 2]> = self
            .track
            .as_deref()
            .and_then(|text| PackedTrack::from_base64(text).ok())
            .and_then(|packed| packed.unpack().ok())
            .map(|points| points.iter().map(|point| [point.lon, point.lat]).collect())
            .unwrap_or_default();
        let geometry = match (track.as_slice(), self.lat, self.lon) {
            ([_, _, ..], _, _) => MapGeometry::LineString(track),
            ([only], _, _) => MapGeometry::Point {
                lon: only[0],
                lat: only[1],
            },
            ([], Some(lat), Some(lon)) => MapGeometry::Point { lon, lat },
            _ => return None,
        };
        Some(MapFeature {
            id: self.id,
            occurred_at: occurred_at_text(self.occurred_at_ms, self.occurred_offset_minutes),
            kind: self.kind,
            category: self.category,
            title_zh: self.title_zh,
            status: self.status,
            post_id: self.post_id,
            post_name: self.post_name,
            severity: self.severity,
            geometry,
        })
    }
}

/// Who wrote a stored version, from its `written_by` column.
pub fn written_by(code: &str) -> Result<WrittenBy, StorageError> {
    WrittenBy::from_code(code)
        .ok_or_else(|| StorageError::corrupt(format!("unknown written_by {code:?}")))
}

/// The photos an entry document lists.
pub fn photo_references(entry: &serde_json::Value) -> Vec<EntryPhotoReference> {
    entry
        .get("photos")
        .cloned()
        .and_then(|photos| serde_json::from_value::<Vec<PhotoAttachment>>(photos).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|photo| EntryPhotoReference {
            sha256: photo.sha256.to_string(),
            role: photo.role,
        })
        .collect()
}

/// A post as the overview reads it, with the counts the sync and the review keep in its row.
#[derive(Debug, Clone, PartialEq)]
pub struct PostCounts {
    pub id: PostId,
    pub name: String,
    pub live_entries: u64,
    pub awaiting_review: u64,
}

/// The overview from every device and every post (in the order to show them): each post's
/// devices not revoked, last contact and silence, and the totals.
pub fn overview_from(
    devices: Vec<DeviceOverview>,
    posts: Vec<PostCounts>,
    now_ms: i64,
    silent_days: u32,
) -> Overview {
    let awaiting_review = posts.iter().map(|post| post.awaiting_review).sum();
    let posts: Vec<PostOverview> = posts
        .into_iter()
        .map(|post| {
            let of_post = || devices.iter().filter(|device| device.post_id == post.id);
            let last_contact_ms = of_post().filter_map(|device| device.last_contact_ms).max();
            PostOverview {
                devices: of_post().filter(|device| !device.revoked).count() as u64,
                id: post.id,
                name: post.name,
                entries: post.live_entries,
                last_contact_ms,
                silent: is_silent(last_contact_ms, now_ms, silent_days),
            }
        })
        .collect();
    Overview {
        totals: OverviewTotals {
            posts: posts.len() as u64,
            devices: posts.iter().map(|post| post.devices).sum(),
            entries: posts.iter().map(|post| post.entries).sum(),
            awaiting_review,
        },
        posts,
        devices,
        silent_days,
    }
}

/// Whether a post is silent: none of its devices made contact for `silent_days` days (or ever).
fn is_silent(last_contact_ms: Option<i64>, now_ms: i64, silent_days: u32) -> bool {
    let window_ms = i64::from(silent_days) * 86_400_000;
    last_contact_ms.is_none_or(|last| now_ms.saturating_sub(last) >= window_ms)
}
