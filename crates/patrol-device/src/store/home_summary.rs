//! The counts on the app's home screen: patrols today, hazards still open, repairs this month,
//! entries the county returned for the member to fix, and the patrol still running (if any).
//! "Today" and "this month" are the caller's local day, matched against each entry's local day
//! as it was recorded.

use super::DeviceStore;
use crate::error::DeviceError;
use chrono::NaiveDate;
use patrol_model::{DomainCode, EntryId, ReviewDecision};
use rusqlite::OptionalExtension;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct HomeSummary {
    pub patrols_today: u64,
    pub open_hazards: u64,
    pub repairs_this_month: u64,
    /// Entries the county returned with a comment and no member has edited since.
    pub returned_entries: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub running_patrol_id: Option<EntryId>,
}

impl DeviceStore {
    /// The home screen's counts for the local day `today` (deleted entries never count).
    pub fn home_summary(&self, today: NaiveDate) -> Result<HomeSummary, DeviceError> {
        let patrols_today: i64 = self.connection.query_row(
            "SELECT COUNT(*) FROM entries
             WHERE deleted = 0 AND local_date = ?1 AND kind = 'patrol'",
            [today.format("%Y-%m-%d").to_string()],
            |row| row.get(0),
        )?;
        let open_hazards: i64 = self.connection.query_row(
            "SELECT COUNT(*) FROM entries WHERE kind = 'hazard' AND deleted = 0 AND status = 'open'",
            [],
            |row| row.get(0),
        )?;
        // Kept up to date by every entry write (migration 05).
        let repairs_this_month: i64 = self.connection.query_row(
            "SELECT COALESCE(SUM(entries), 0) FROM monthly_statistics
             WHERE kind = 'repair' AND month = ?1",
            [today.format("%Y-%m").to_string()],
            |row| row.get(0),
        )?;
        let returned_entries = self.returned_entry_count()?;
        let running: Option<String> = self
            .connection
            .query_row(
                "SELECT id FROM entries
                 WHERE kind = 'patrol' AND status = 'running' AND deleted = 0
                 ORDER BY occurred_at_ms DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()?;
        let running_patrol_id = running
            .map(|text| {
                text.parse()
                    .map_err(|_| DeviceError::Damaged(format!("entry id {text:?}")))
            })
            .transpose()?;
        Ok(HomeSummary {
            patrols_today: patrols_today.max(0) as u64,
            open_hazards: open_hazards.max(0) as u64,
            repairs_this_month: repairs_this_month.max(0) as u64,
            returned_entries,
            running_patrol_id,
        })
    }

    /// Entries the county returned that no member has fixed yet (Home's notice, the chip's
    /// badge): a member's edit drops a returned decision (Review::stands_after_member_edit).
    pub fn returned_entry_count(&self) -> Result<u64, DeviceError> {
        let count: i64 = self.connection.query_row(
            "SELECT COUNT(*) FROM entries
             WHERE review_decision = ?1 AND deleted = 0",
            [ReviewDecision::Returned.code()],
            |row| row.get(0),
        )?;
        Ok(count.max(0) as u64)
    }
}
