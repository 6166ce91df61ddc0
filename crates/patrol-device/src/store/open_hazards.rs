//! The open hazards a repair may close: nearest first when the member's position is known,
//! newest first otherwise. A post has tens to hundreds of open hazards, so they are read in
//! full and ordered here; hazards without a position come after those with one.

use super::rows::entry_from_document;
use super::DeviceStore;
use crate::error::DeviceError;
use patrol_model::entry::validate_location;
use patrol_model::{CompassPoint, EntryId, Location, ValidationReport};
use serde::Serialize;

/// Hazards listed when the caller gives no limit.
pub const DEFAULT_HAZARD_CHOICES: u32 = 50;
/// Most hazards listed at once.
pub const MAX_HAZARD_CHOICES: u32 = 500;

/// One open hazard, as a repair form offers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct HazardChoice {
    pub id: EntryId,
    /// A one-line Chinese summary.
    pub title: String,
    /// RFC 3339 in the offset it was recorded in.
    pub occurred_at: String,
    pub category: String,
    /// Metres from `near`, when both positions are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
    /// Which way it lies from `near` (东北 …), when both positions are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<CompassPoint>,
    /// Where it is, when it was recorded with a position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl DeviceStore {
    /// Open hazards (not fixed, not deleted), nearest to `near` first when it is given, else
    /// newest first; at most `limit` (default 50, at most 500).
    pub fn open_hazards(
        &self,
        near: Option<&Location>,
        limit: Option<u32>,
    ) -> Result<Vec<HazardChoice>, DeviceError> {
        if let Some(near) = near {
            let mut report = ValidationReport::default();
            validate_location(&mut report, "near", near);
            if !report.is_empty() {
                return Err(DeviceError::Invalid(report));
            }
        }
        let limit = limit
            .unwrap_or(DEFAULT_HAZARD_CHOICES)
            .clamp(1, MAX_HAZARD_CHOICES) as usize;
        let mut statement = self.connection.prepare_cached(
            "SELECT document FROM entries
             WHERE kind = 'hazard' AND deleted = 0 AND status = 'open'
             ORDER BY occurred_at_ms DESC, id DESC",
        )?;
        let documents: Vec<String> = statement
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let mut choices = Vec::with_capacity(documents.len());
        for document in &documents {
            let entry = entry_from_document(document)?;
            let location = entry.draft.location;
            let (distance_m, direction) = match (near, location) {
                (Some(near), Some(location)) => (
                    Some(near.distance_m(&location)),
                    Some(CompassPoint::from_bearing(near.bearing_deg(&location))),
                ),
                _ => (None, None),
            };
            choices.push(HazardChoice {
                id: entry.id,
                title: entry.draft.body.title_zh(),
                occurred_at: entry.draft.occurred_at.to_string(),
                category: entry.draft.body.category_code().to_string(),
                distance_m,
                direction,
                location,
            });
        }
        if near.is_some() {
            // Stable: equally far (or both unplaced) hazards stay newest first.
            choices.sort_by(|a, b| match (a.distance_m, b.distance_m) {
                (Some(a), Some(b)) => a.total_cmp(&b),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
        }
        choices.truncate(limit);
        Ok(choices)
    }
}
