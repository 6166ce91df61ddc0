//! An entry's life on the device that recorded it: the draft it was created with and the
//! changes made to it later (a patrol ended, a hazard fixed, a typo corrected, a duplicate
//! deleted), each at the moment the member made it.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use patrol_model::EntryId;
use serde_json::Value;

/// Members of Funing record in China Standard Time.
pub const CHINA_OFFSET_S: i32 = 8 * 3600;

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// One entry as recorded on one device, and what happened to it there afterwards.
#[derive(Debug, Clone)]
pub struct EntryLife {
    pub id: EntryId,
    /// Index of the device among its post's devices.
    pub device: usize,
    /// When the device created it (UTC ms).
    pub created_ms: i64,
    /// The member's draft with what the device adds at creation (`status`): `kind`,
    /// `occurred_at`, `ended_at`, `location`, `author`, `body`.
    pub draft: Value,
    pub later: Vec<LaterChange>,
}

/// A change made to an entry after its creation, on the same device.
#[derive(Debug, Clone)]
pub struct LaterChange {
    pub made_ms: i64,
    /// `edit`, `status` or `delete`.
    pub change: &'static str,
    /// Field paths (`status`, `ended_at`, `body.track`, …) and their new values.
    pub set: Vec<(&'static str, Value)>,
}

impl EntryLife {
    /// Is the entry still counted (not deleted) after all its changes?
    pub fn is_live(&self) -> bool {
        !self.later.iter().any(|change| change.change == "delete")
    }
}

/// A local time in China Standard Time.
pub fn china_time(day: NaiveDate, hour: u32, minute: u32) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(CHINA_OFFSET_S).expect("UTC+8 is a valid offset");
    let naive = day
        .and_hms_opt(hour.min(23), minute.min(59), 0)
        .unwrap_or_else(|| day.and_time(chrono::NaiveTime::MIN));
    offset
        .from_local_datetime(&naive)
        .single()
        .unwrap_or_else(|| offset.from_utc_datetime(&naive))
}

/// The instant `ms` in China Standard Time, as an entry's `occurred_at` carries it.
pub fn china_text(ms: i64) -> String {
    let offset = FixedOffset::east_opt(CHINA_OFFSET_S).expect("UTC+8 is a valid offset");
    offset
        .timestamp_millis_opt(ms)
        .single()
        .map(|time| time.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_default()
}

/// The instant `ms` in UTC with milliseconds, as the device stamps `created_at`.
pub fn utc_text(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(|time| time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// A UUIDv7 made at `ms` with the given random bits, as a device makes ids.
pub fn uuid_v7_at(ms: i64, random: [u8; 10]) -> uuid::Uuid {
    uuid::Builder::from_unix_timestamp_millis(ms.max(0) as u64, &random).into_uuid()
}
