//! The post leader's month (本月工作): what the post recorded in one month of its local days, by
//! kind and category (from `monthly_statistics`, migration 05) and by member, and the hazards
//! still open, by how long they have been open, the oldest first.

use super::rows::entry_from_document;
use super::statistics::{round_quantity, stored_kind};
use super::DeviceStore;
use crate::error::DeviceError;
use chrono::NaiveDate;
use patrol_model::body::category_label_zh;
use patrol_model::{DomainCode, EntryId, EntryKind};
use serde::Serialize;

/// How many of the oldest open hazards the month screen lists.
pub const OLDEST_OPEN_HAZARDS: usize = 5;

/// One kind and category of the month: how many, and the quantity the county totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct MonthCategory {
    pub kind: EntryKind,
    pub category: String,
    pub category_label_zh: String,
    pub entries: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// What one member wrote in the month, by kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MemberMonth {
    /// The member's name; "" for entries with no author (written with the CLI, say).
    pub author: String,
    pub entries: u64,
    pub by_kind: Vec<KindCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KindCount {
    pub kind: EntryKind,
    pub entries: u64,
}

/// An open hazard and how many days it has been open (from its local day to `today`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AgedHazard {
    pub id: EntryId,
    pub title: String,
    pub local_date: String,
    pub days_open: u32,
}

/// The hazards open now, by age: up to a week, up to 30 days, longer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OpenHazardAges {
    pub within_week: u64,
    pub within_month: u64,
    pub older: u64,
    /// The oldest ones, oldest first (at most [`OLDEST_OPEN_HAZARDS`]).
    pub oldest: Vec<AgedHazard>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MonthSummary {
    /// `YYYY-MM`.
    pub month: String,
    pub entries: u64,
    pub categories: Vec<MonthCategory>,
    /// Most entries first.
    pub members: Vec<MemberMonth>,
    pub open_hazards: OpenHazardAges,
}

impl DeviceStore {
    /// The month `month` (`YYYY-MM`) of the post; open hazards aged from the local day `today`.
    pub fn month_summary(
        &self,
        month: &str,
        today: NaiveDate,
    ) -> Result<MonthSummary, DeviceError> {
        let first_day = first_day_of(month)?;
        let month = first_day.format("%Y-%m").to_string();
        let categories = self.month_categories(&month)?;
        let members = self.month_members(first_day)?;
        Ok(MonthSummary {
            month,
            entries: categories.iter().map(|category| category.entries).sum(),
            categories,
            members,
            open_hazards: self.open_hazard_ages(today)?,
        })
    }

    fn month_categories(&self, month: &str) -> Result<Vec<MonthCategory>, DeviceError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT kind, category, unit, entries, quantity FROM monthly_statistics
             WHERE month = ?1 AND entries > 0 ORDER BY kind, entries DESC, category",
        )?;
        let rows = statement.query_map([month], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, Option<f64>>(4)?,
            ))
        })?;
        let mut categories = Vec::new();
        for row in rows {
            let (kind, category, unit, entries, quantity) = row?;
            let kind = stored_kind(&kind)?;
            categories.push(MonthCategory {
                kind,
                category_label_zh: category_label_zh(kind, &category)
                    .unwrap_or(category.as_str())
                    .to_string(),
                category,
                entries: entries as u64,
                quantity: quantity.map(round_quantity),
                unit,
            });
        }
        categories.sort_by_key(|category| kind_order(category.kind));
        Ok(categories)
    }

    fn month_members(&self, first_day: NaiveDate) -> Result<Vec<MemberMonth>, DeviceError> {
        let last_day = first_day
            .checked_add_months(chrono::Months::new(1))
            .and_then(|next| next.pred_opt())
            .ok_or_else(|| DeviceError::Damaged("month past the calendar".into()))?;
        let mut statement = self.connection.prepare_cached(
            "SELECT IFNULL(author, ''), kind, COUNT(*) FROM entries
             WHERE deleted = 0 AND local_date >= ?1 AND local_date <= ?2
             GROUP BY IFNULL(author, ''), kind",
        )?;
        let rows = statement.query_map([first_day.to_string(), last_day.to_string()], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?;
        let mut members: Vec<MemberMonth> = Vec::new();
        for row in rows {
            let (author, kind, entries) = row?;
            let count = KindCount {
                kind: stored_kind(&kind)?,
                entries: entries as u64,
            };
            match members.iter_mut().find(|member| member.author == author) {
                Some(member) => {
                    member.entries += count.entries;
                    member.by_kind.push(count);
                }
                None => members.push(MemberMonth {
                    author,
                    entries: count.entries,
                    by_kind: vec![count],
                }),
            }
        }
        for member in &mut members {
            member.by_kind.sort_by_key(|count| kind_order(count.kind));
        }
        members.sort_by(|a, b| b.entries.cmp(&a.entries).then(a.author.cmp(&b.author)));
        Ok(members)
    }

    fn open_hazard_ages(&self, today: NaiveDate) -> Result<OpenHazardAges, DeviceError> {
        let day_before = |days: u64| {
            today
                .checked_sub_days(chrono::Days::new(days))
                .unwrap_or(today)
                .to_string()
        };
        // Counted on the local days alone; only the oldest few documents are read.
        let (within_week, within_month, older): (i64, i64, i64) = self.connection.query_row(
            "SELECT IFNULL(SUM(local_date >= ?1), 0),
                    IFNULL(SUM(local_date < ?1 AND local_date >= ?2), 0),
                    IFNULL(SUM(local_date < ?2), 0)
             FROM entries WHERE kind = 'hazard' AND deleted = 0 AND status = 'open'",
            [day_before(7), day_before(30)],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        let mut statement = self.connection.prepare_cached(
            "SELECT local_date, document FROM entries
             WHERE kind = 'hazard' AND deleted = 0 AND status = 'open'
             ORDER BY local_date, occurred_at_ms LIMIT ?1",
        )?;
        let rows = statement.query_map([OLDEST_OPEN_HAZARDS as i64], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut oldest = Vec::new();
        for row in rows {
            let (local_date, document) = row?;
            let day = NaiveDate::parse_from_str(&local_date, "%Y-%m-%d")
                .map_err(|_| DeviceError::Damaged(format!("local day {local_date:?}")))?;
            let entry = entry_from_document(&document)?;
            oldest.push(AgedHazard {
                id: entry.id,
                title: entry.draft.body.title_zh(),
                local_date,
                days_open: (today - day).num_days().max(0) as u32,
            });
        }
        Ok(OpenHazardAges {
            within_week: within_week as u64,
            within_month: within_month as u64,
            older: older as u64,
            oldest,
        })
    }
}

/// The first day of `YYYY-MM`, or an `invalid` error on `month`.
fn first_day_of(month: &str) -> Result<NaiveDate, DeviceError> {
    NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d")
        .ok()
        .filter(|_| month.trim().len() == 7)
        .ok_or_else(|| {
            DeviceError::invalid_field(
                "month",
                format!("月份“{month}”格式不对，应如 2024-03"),
                format!("bad month {month:?}, expected YYYY-MM"),
            )
        })
}

/// Kinds in the model's display order (patrol first).
fn kind_order(kind: EntryKind) -> usize {
    EntryKind::ALL
        .iter()
        .position(|known| *known == kind)
        .unwrap_or(usize::MAX)
}
