//! Times as the member's phone saw them: an instant in UTC plus the device's UTC offset, so the
//! county can both order entries globally and show "08:10 local" as the member wrote it.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An instant with the offset it was recorded in. Serialized as RFC 3339 with that offset,
/// e.g. `2024-03-02T08:10:00+08:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct LocalTime(DateTime<FixedOffset>);

impl LocalTime {
    /// Parses RFC 3339 (an offset or `Z` is required: a time without one is ambiguous).
    pub fn parse(text: &str) -> Result<Self, chrono::ParseError> {
        DateTime::parse_from_rfc3339(text.trim()).map(Self)
    }

    /// Builds a time from UTC milliseconds and the offset in minutes, as stored.
    pub fn from_parts(utc_millis: i64, offset_minutes: i32) -> Option<Self> {
        let offset = FixedOffset::east_opt(offset_minutes.checked_mul(60)?)?;
        let utc = Utc.timestamp_millis_opt(utc_millis).single()?;
        Some(Self(utc.with_timezone(&offset)))
    }

    pub fn from_datetime(time: DateTime<FixedOffset>) -> Self {
        Self(time)
    }

    pub fn as_datetime(&self) -> DateTime<FixedOffset> {
        self.0
    }

    pub fn utc_millis(&self) -> i64 {
        self.0.timestamp_millis()
    }

    pub fn offset_minutes(&self) -> i32 {
        self.0.offset().local_minus_utc() / 60
    }

    /// The calendar day as the member lived it (in the recorded offset).
    pub fn local_date(&self) -> NaiveDate {
        self.0.date_naive()
    }

    /// `YYYY-MM` in the recorded offset: the month the county counts the entry in.
    pub fn local_month(&self) -> String {
        format!("{:04}-{:02}", self.0.year(), self.0.month())
    }
}

impl TryFrom<String> for LocalTime {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).map_err(|error| format!("{text:?}: {error}"))
    }
}

impl From<LocalTime> for String {
    fn from(time: LocalTime) -> Self {
        time.to_string()
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_offset_and_instant() {
        let time = LocalTime::parse("2024-03-02T08:10:00+08:00").unwrap();
        assert_eq!(time.offset_minutes(), 480);
        assert_eq!(time.to_string(), "2024-03-02T08:10:00+08:00");
        assert_eq!(time.local_month(), "2024-03");
        let back = LocalTime::from_parts(time.utc_millis(), time.offset_minutes()).unwrap();
        assert_eq!(back, time);
    }

    #[test]
    fn local_date_uses_recorded_offset() {
        // 23:30 UTC on 31 Jan is already 1 Feb in Yunnan.
        let time = LocalTime::parse("2024-02-01T07:30:00+08:00").unwrap();
        assert_eq!(time.local_month(), "2024-02");
        assert_eq!(
            time.as_datetime()
                .with_timezone(&Utc)
                .format("%m")
                .to_string(),
            "01"
        );
    }

    #[test]
    fn refuses_times_without_offset() {
        assert!(LocalTime::parse("2024-03-02T08:10:00").is_err());
    }
}
