//! The post's statistics: entries counted, and quantities totalled in their units, by kind,
//! category and month (the month as the member lived it, in the recorded offset).

use super::DeviceStore;
use crate::error::DeviceError;
use patrol_model::{DomainCode, EntryKind};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatisticsQuery {
    /// Only this calendar year; all years when absent.
    pub year: Option<i32>,
}

/// Entries of one kind and category in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatisticsRow {
    pub kind: EntryKind,
    /// `joint` / `regular` for patrols, the category code otherwise.
    pub category: String,
    /// `YYYY-MM`.
    pub month: String,
    pub entries: u64,
    /// Repairs: the quantity in the category's unit; patrols: distance in km (when known).
    pub quantity: Option<f64>,
    pub unit: Option<String>,
    /// Hazards among them that a repair has fixed.
    pub fixed: u64,
}

/// The same, over the whole period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatisticsTotal {
    pub kind: EntryKind,
    pub category: String,
    pub entries: u64,
    pub quantity: Option<f64>,
    pub unit: Option<String>,
    pub fixed: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PostStatistics {
    pub year: Option<i32>,
    pub by_month: Vec<StatisticsRow>,
    pub totals: Vec<StatisticsTotal>,
}

/// Years accepted in a statistics query.
const YEAR_RANGE: std::ops::RangeInclusive<i32> = 2000..=2200;

impl DeviceStore {
    pub fn statistics(&self, query: &StatisticsQuery) -> Result<PostStatistics, DeviceError> {
        let (from, to) = match query.year {
            Some(year) if !YEAR_RANGE.contains(&year) => {
                return Err(DeviceError::invalid_field(
                    "year",
                    format!(
                        "年份应在 {} 到 {} 之间",
                        YEAR_RANGE.start(),
                        YEAR_RANGE.end()
                    ),
                    "year out of range",
                ))
            }
            Some(year) => (format!("{year:04}-01"), format!("{year:04}-12")),
            None => ("0000-00".to_string(), "9999-99".to_string()),
        };
        // Kept up to date by every entry write (see `monthly_statistics` in migration 05).
        let mut statement = self.connection.prepare_cached(
            "SELECT kind, category, month, unit, entries, quantity, fixed
             FROM monthly_statistics
             WHERE month >= ?1 AND month <= ?2 AND entries > 0
             ORDER BY kind, category, month",
        )?;
        let rows = statement.query_map([from, to], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, i64>(4)?,
                row.get::<_, Option<f64>>(5)?,
                row.get::<_, Option<i64>>(6)?,
            ))
        })?;
        let mut by_month = Vec::new();
        for row in rows {
            let (kind, category, month, unit, entries, quantity, fixed) = row?;
            let kind = stored_kind(&kind)?;
            by_month.push(StatisticsRow {
                kind,
                category,
                month,
                entries: entries as u64,
                quantity: quantity.map(round_quantity),
                unit,
                fixed: fixed.unwrap_or(0) as u64,
            });
        }
        Ok(PostStatistics {
            year: query.year,
            totals: totals_of(&by_month),
            by_month,
        })
    }
}

fn totals_of(rows: &[StatisticsRow]) -> Vec<StatisticsTotal> {
    let mut totals: Vec<StatisticsTotal> = Vec::new();
    for row in rows {
        let same = totals
            .iter_mut()
            .find(|total| total.kind == row.kind && total.category == row.category);
        match same {
            Some(total) => {
                total.entries += row.entries;
                total.unit = total.unit.take().or_else(|| row.unit.clone());
                total.fixed += row.fixed;
                total.quantity = match (total.quantity, row.quantity) {
                    (Some(a), Some(b)) => Some(round_quantity(a + b)),
                    (a, b) => a.or(b),
                };
            }
            None => totals.push(StatisticsTotal {
                kind: row.kind,
                category: row.category.clone(),
                entries: row.entries,
                quantity: row.quantity,
                unit: row.unit.clone(),
                fixed: row.fixed,
            }),
        }
    }
    totals
}

/// Sums of decimals drift (0.1 + 0.2); the county reports to the metre.
pub(crate) fn round_quantity(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// A kind code read back from the store; another is a damaged store.
pub(crate) fn stored_kind(code: &str) -> Result<EntryKind, DeviceError> {
    EntryKind::from_code(code)
        .ok_or_else(|| DeviceError::Damaged(format!("unknown stored kind {code:?}")))
}
