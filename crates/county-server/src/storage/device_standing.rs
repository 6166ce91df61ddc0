//! A device's standing with the county: active, revoked, or revoked with its data to be wiped
//! (停用并清除) and, once the phone has said so, wiped. Decided once here from the `devices`
//! columns for every backend.

use crate::error::StorageError;
use patrol_model::sync::WipeReport;
use serde::Serialize;

/// What the county decided about a device, and how far a wipe has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum DeviceStanding {
    Active,
    /// Every request is refused; the phone keeps its data.
    Revoked,
    /// Revoked, and on its next contact the phone is told to delete its store and photos.
    WipeOrdered,
    /// The phone has deleted its store and photos and said what it still held unsent.
    Wiped,
}

impl DeviceStanding {
    /// From `revoked_at_ms IS NOT NULL`, `wipe_ordered_at_ms IS NOT NULL`,
    /// `wiped_at_ms IS NOT NULL`.
    pub fn from_columns(revoked: bool, wipe_ordered: bool, wiped: bool) -> DeviceStanding {
        match (revoked, wipe_ordered, wiped) {
            (_, true, true) => DeviceStanding::Wiped,
            (_, true, false) => DeviceStanding::WipeOrdered,
            (true, false, _) => DeviceStanding::Revoked,
            (false, false, _) => DeviceStanding::Active,
        }
    }

    /// Refused for sync and photos (revoked, whether or not a wipe was ordered).
    pub fn is_revoked(self) -> bool {
        self != DeviceStanding::Active
    }
}

/// The three columns each backend's `standing_at` reads, in this order, from `devices`.
pub const STANDING_COLUMNS: &str =
    "revoked_at_ms IS NOT NULL, wipe_ordered_at_ms IS NOT NULL, wiped_at_ms IS NOT NULL";
/// The three columns [`DeviceWipe::from_columns`] takes, in this order, from `devices`.
pub const WIPE_COLUMNS: &str = "wipe_ordered_at_ms, wiped_at_ms, wipe_report_json";

/// How the county revokes a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revocation {
    /// Refuse its requests; whatever the phone holds stays on it.
    KeepData,
    /// Refuse its requests, and have it delete its store and photos on its next contact.
    WipeData,
}

/// A wipe as the county's device list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeviceWipe {
    pub ordered_at_ms: i64,
    /// When the phone said it had wiped itself; `None` while it has not been in contact.
    pub wiped_at_ms: Option<i64>,
    /// What the phone still held unsent when it wiped itself (entries, photos, photo bytes).
    #[schema(value_type = Option<Object>)]
    pub unsent: Option<WipeReport>,
}

impl DeviceWipe {
    /// From `wipe_ordered_at_ms`, `wiped_at_ms`, `wipe_report_json`; `None` when no wipe was
    /// ordered.
    pub fn from_columns(
        ordered_at_ms: Option<i64>,
        wiped_at_ms: Option<i64>,
        report_json: Option<String>,
    ) -> Result<Option<DeviceWipe>, StorageError> {
        let Some(ordered_at_ms) = ordered_at_ms else {
            return Ok(None);
        };
        let unsent = report_json
            .map(|json| serde_json::from_str(&json).map_err(StorageError::corrupt))
            .transpose()?;
        Ok(Some(DeviceWipe {
            ordered_at_ms,
            wiped_at_ms,
            unsent,
        }))
    }
}

/// The JSON kept in `wipe_report_json`.
pub fn wipe_report_json(report: &WipeReport) -> String {
    serde_json::to_string(report).expect("a WipeReport is plain numbers")
}
