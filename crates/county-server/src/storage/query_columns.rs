//! The columns of `entries` the dashboard and the year-end report query, derived from the entry
//! each time its current version is written (migration 03-entry-queries): one function, so the
//! sync path, the county's review and the backfill of older rows compute them alike.

use patrol_model::{DomainCode, Entry, EntryBody};
use serde::{Deserialize, Serialize};

/// Who wrote a version of an entry: a device's record, or the county (a review).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum WrittenBy {
    Device,
    County,
}

impl WrittenBy {
    pub fn code(self) -> &'static str {
        match self {
            WrittenBy::Device => "device",
            WrittenBy::County => "county",
        }
    }

    pub fn from_code(code: &str) -> Option<WrittenBy> {
        match code {
            "device" => Some(WrittenBy::Device),
            "county" => Some(WrittenBy::County),
            _ => None,
        }
    }
}

/// The derived query columns of one entry version.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryQueryColumns {
    pub category: String,
    /// The counted quantity in `quantity_unit` (patrol km, repair in its category's unit,
    /// persons for incidents, outreach and activities); none for hazards or a patrol without
    /// a distance.
    pub quantity: Option<f64>,
    pub quantity_unit: Option<String>,
    pub status: Option<String>,
    pub author: Option<String>,
    /// `YYYY-MM-DD` of `occurred_at` in the member's own offset: the report counts the entry in
    /// this day's year and month.
    pub local_day: String,
    pub occurred_offset_minutes: i32,
    /// `None` while the county has not decided (pending review).
    pub review_decision: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Lower-cased, so `LIKE '%q%'` with a lower-cased `q` matches alike on every backend.
    pub search_text: String,
    pub title_zh: String,
    pub photo_count: i32,
    /// A hazard's `body.severity` (low, medium, high, critical); `None` for other kinds.
    pub severity: Option<String>,
}

impl EntryQueryColumns {
    pub fn of(entry: &Entry) -> EntryQueryColumns {
        let draft = &entry.draft;
        let quantity = draft.body.counted_quantity();
        let title_zh = draft.body.title_zh();
        let mut search_text = draft.body.search_text();
        if let Some(author) = &draft.author {
            search_text.push(' ');
            search_text.push_str(author);
        }
        EntryQueryColumns {
            category: draft.body.category_code().to_string(),
            quantity: quantity.map(|quantity| quantity.value),
            quantity_unit: quantity.map(|quantity| quantity.unit.code().to_string()),
            status: entry.status.map(|status| status.code().to_string()),
            author: draft.author.clone(),
            local_day: draft
                .occurred_at
                .local_date()
                .format("%Y-%m-%d")
                .to_string(),
            occurred_offset_minutes: draft.occurred_at.offset_minutes(),
            review_decision: entry
                .review
                .as_ref()
                .map(|review| review.decision.code().to_string()),
            lat: draft.location.as_ref().map(|location| location.lat),
            lon: draft.location.as_ref().map(|location| location.lon),
            search_text: search_text.to_lowercase(),
            title_zh,
            photo_count: i32::try_from(entry.photos.len()).unwrap_or(i32::MAX),
            severity: match &draft.body {
                EntryBody::Hazard(hazard) => Some(hazard.severity.code().to_string()),
                _ => None,
            },
        }
    }
}

/// The derived columns as named in `entries`, in the order each backend binds an
/// [`EntryQueryColumns`] (`query_column_values` in `sqlite/sync_tx.rs` and
/// `postgres/sync_tx.rs`, used by the sync's write and by the backfill alike).
pub const QUERY_COLUMN_NAMES: [&str; 14] = [
    "category",
    "quantity",
    "quantity_unit",
    "status",
    "author",
    "local_day",
    "occurred_offset_minutes",
    "review_decision",
    "lat",
    "lon",
    "search_text",
    "title_zh",
    "photo_count",
    "severity",
];

/// `?first, ?first+1, …` (`marker` `?` on SQLite, `$` on PostgreSQL), one per derived column.
pub fn query_column_placeholders(marker: char, first: usize) -> String {
    (first..first + QUERY_COLUMN_NAMES.len())
        .map(|number| format!("{marker}{number}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `category = ?first, quantity = ?first+1, …`: the derived columns set from parameters.
pub fn query_column_assignments(marker: char, first: usize) -> String {
    QUERY_COLUMN_NAMES
        .iter()
        .zip(first..)
        .map(|(name, number)| format!("{name} = {marker}{number}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `category = excluded.category, …`: an upsert's update of the derived columns.
pub fn query_column_upserts() -> String {
    QUERY_COLUMN_NAMES
        .map(|name| format!("{name} = excluded.{name}"))
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_fence_repair_in_km_is_counted_in_metres_on_its_local_day() {
        let entry: Entry = serde_json::from_value(json!({
            "id": "01930000-0000-7000-8000-000000000001",
            "device_id": "01930000-0000-7000-8000-000000000002",
            "kind": "repair", "occurred_at": "2023-12-31T23:30:00+08:00",
            "author": "李国华",
            "body": {"category": "fence", "quantity": 0.2, "unit": "km", "description": "铁网 ABC"},
            "photos": [], "revision": 1,
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"
        }))
        .unwrap();
        let columns = EntryQueryColumns::of(&entry);
        assert_eq!(columns.local_day, "2023-12-31");
        assert_eq!(columns.occurred_offset_minutes, 480);
        assert_eq!(columns.category, "fence");
        assert_eq!(columns.quantity_unit.as_deref(), Some("m"));
        assert!((columns.quantity.unwrap() - 200.0).abs() < 1e-9);
        assert!(columns.search_text.contains("铁网 abc") && columns.search_text.contains("李国华"));
        assert_eq!(columns.review_decision, None);
        assert_eq!(columns.lat, None);
        assert_eq!(columns.severity, None, "only a hazard has a severity");
    }
}
