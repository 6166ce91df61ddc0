//! The year-end report (年度报告) as typed figures, assembled from aggregate rows
//! `(kind, category, entries, quantity, fixed)` of one year's live entries. Both storage
//! backends only run the SQL that makes those rows; everything else — every category of the
//! vocabularies listed with zeros in vocabulary order, units, rounding to 3 decimals — is here,
//! once. [`AnnualReport::figures`] flattens it into the rows the CSV and XLSX exports print.

use crate::storage::dashboard::round_quantity;
use patrol_model::{ActivityType, CrimeType, DomainCode, HazardCategory, RepairCategory, Unit};
use serde::{Deserialize, Serialize};

/// Years the report is made for.
pub const REPORT_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// One aggregate of a year's live entries: how many of one kind and category, the sum of their
/// counted quantity (in the category's unit), and how many are fixed (hazards).
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateRow {
    pub kind: String,
    pub category: String,
    pub entries: u64,
    pub quantity: f64,
    pub fixed: u64,
}

/// The year-end report: every category of the vocabularies, with zeros, in vocabulary order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AnnualReport {
    pub year: i32,
    /// Posts with at least one counted entry in the year.
    pub posts: u64,
    pub patrols: PatrolFigures,
    pub incidents: IncidentFigures,
    pub outreach: OutreachFigures,
    pub repairs: Vec<RepairFigures>,
    pub activities: Vec<ActivityFigures>,
    pub hazards: HazardFigures,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PatrolFigures {
    pub total: u64,
    /// Patrols with partner units.
    pub joint: u64,
    pub distance_km: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IncidentFigures {
    pub cases: u64,
    pub persons: u64,
    pub by_type: Vec<IncidentTypeFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IncidentTypeFigures {
    #[cfg_attr(feature = "ts", ts(type = "CrimeType"))]
    pub code: String,
    pub label_zh: String,
    pub cases: u64,
    pub persons: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutreachFigures {
    pub sessions: u64,
    pub audience: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RepairFigures {
    #[cfg_attr(feature = "ts", ts(type = "RepairCategory"))]
    pub code: String,
    pub label_zh: String,
    pub entries: u64,
    /// In `unit`: road in km, fence in m, the rest counted.
    pub quantity: f64,
    #[cfg_attr(feature = "ts", ts(type = "Unit"))]
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActivityFigures {
    #[cfg_attr(feature = "ts", ts(type = "ActivityType"))]
    pub code: String,
    pub label_zh: String,
    pub sessions: u64,
    pub attendees: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HazardFigures {
    pub found: u64,
    pub fixed: u64,
    pub open: u64,
    pub by_category: Vec<HazardCategoryFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HazardCategoryFigures {
    #[cfg_attr(feature = "ts", ts(type = "HazardCategory"))]
    pub code: String,
    pub label_zh: String,
    pub found: u64,
    pub fixed: u64,
}

/// One printed figure: 类别, 项目, 数量, 单位.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFigure {
    pub section_zh: &'static str,
    pub item_zh: String,
    pub value: f64,
    pub unit_zh: &'static str,
}

impl ReportFigure {
    /// The value as printed: `7.2`, `200`, `1460`.
    pub fn value_text(&self) -> String {
        round_quantity(self.value).to_string()
    }
}

/// A sum of whole persons or counts, as a whole number.
fn whole(value: f64) -> u64 {
    if value.is_finite() && value > 0.0 {
        value.round() as u64
    } else {
        0
    }
}

/// Builds the report of `year` from its aggregate rows and the number of posts that recorded.
pub fn assemble_annual_report(year: i32, posts: u64, rows: &[AggregateRow]) -> AnnualReport {
    let of_kind = |kind: &'static str| rows.iter().filter(move |row| row.kind == kind);
    let of_category = |kind: &'static str, code: &str| {
        of_kind(kind).filter(|row| row.category == code).fold(
            (0u64, 0f64, 0u64),
            |(entries, quantity, fixed), row| {
                (
                    entries + row.entries,
                    quantity + row.quantity,
                    fixed + row.fixed,
                )
            },
        )
    };
    let patrols = PatrolFigures {
        total: of_kind("patrol").map(|row| row.entries).sum(),
        joint: of_category("patrol", "joint").0,
        distance_km: round_quantity(of_kind("patrol").map(|row| row.quantity).sum()),
    };
    let by_type: Vec<IncidentTypeFigures> = CrimeType::ALL
        .iter()
        .map(|crime| {
            let (cases, persons, _) = of_category("incident", crime.code());
            IncidentTypeFigures {
                code: crime.code().into(),
                label_zh: crime.label_zh().into(),
                cases,
                persons: whole(persons),
            }
        })
        .collect();
    let incidents = IncidentFigures {
        cases: by_type.iter().map(|row| row.cases).sum(),
        persons: by_type.iter().map(|row| row.persons).sum(),
        by_type,
    };
    let outreach = OutreachFigures {
        sessions: of_kind("outreach").map(|row| row.entries).sum(),
        audience: whole(of_kind("outreach").map(|row| row.quantity).sum()),
    };
    let repairs = RepairCategory::ALL
        .iter()
        .map(|category| {
            let (entries, quantity, _) = of_category("repair", category.code());
            RepairFigures {
                code: category.code().into(),
                label_zh: category.label_zh().into(),
                entries,
                quantity: round_quantity(quantity),
                unit: category.unit().code().into(),
            }
        })
        .collect();
    let activities = ActivityType::ALL
        .iter()
        .map(|activity| {
            let (sessions, attendees, _) = of_category("activity", activity.code());
            ActivityFigures {
                code: activity.code().into(),
                label_zh: activity.label_zh().into(),
                sessions,
                attendees: whole(attendees),
            }
        })
        .collect();
    let by_category: Vec<HazardCategoryFigures> = HazardCategory::ALL
        .iter()
        .map(|category| {
            let (found, _, fixed) = of_category("hazard", category.code());
            HazardCategoryFigures {
                code: category.code().into(),
                label_zh: category.label_zh().into(),
                found,
                fixed,
            }
        })
        .collect();
    let found: u64 = by_category.iter().map(|row| row.found).sum();
    let fixed: u64 = by_category.iter().map(|row| row.fixed).sum();
    AnnualReport {
        year,
        posts,
        patrols,
        incidents,
        outreach,
        repairs,
        activities,
        hazards: HazardFigures {
            found,
            fixed,
            open: found.saturating_sub(fixed),
            by_category,
        },
    }
}

/// Section names, in the order the report prints them (also the XLSX sheet names).
pub const SECTION_OVERVIEW: &str = "概况";
pub const SECTION_PATROLS: &str = "巡逻";
pub const SECTION_INCIDENTS: &str = "案件";
pub const SECTION_OUTREACH: &str = "普法宣传";
pub const SECTION_REPAIRS: &str = "修复";
pub const SECTION_ACTIVITIES: &str = "活动";
pub const SECTION_HAZARDS: &str = "隐患排查";

fn unit_label(unit: &str) -> &'static str {
    Unit::from_code(unit).map(Unit::label_zh).unwrap_or("")
}

impl AnnualReport {
    /// Every figure of the report, section by section, as printed rows.
    pub fn figures(&self) -> Vec<ReportFigure> {
        let mut rows = Vec::new();
        let mut push = |section_zh, item_zh: String, value: f64, unit_zh| {
            rows.push(ReportFigure {
                section_zh,
                item_zh,
                value,
                unit_zh,
            })
        };
        push(SECTION_OVERVIEW, "联防所".into(), self.posts as f64, "个");
        push(
            SECTION_PATROLS,
            "巡逻".into(),
            self.patrols.total as f64,
            "次",
        );
        push(
            SECTION_PATROLS,
            "联合巡逻".into(),
            self.patrols.joint as f64,
            "次",
        );
        push(
            SECTION_PATROLS,
            "巡逻里程".into(),
            self.patrols.distance_km,
            "公里",
        );
        let incidents = &self.incidents;
        push(
            SECTION_INCIDENTS,
            "协助查处案件".into(),
            incidents.cases as f64,
            "起",
        );
        push(
            SECTION_INCIDENTS,
            "涉案人员".into(),
            incidents.persons as f64,
            "人",
        );
        for row in &incidents.by_type {
            let cases = format!("{} 案件", row.label_zh);
            push(SECTION_INCIDENTS, cases, row.cases as f64, "起");
            let persons = format!("{} 涉案人员", row.label_zh);
            push(SECTION_INCIDENTS, persons, row.persons as f64, "人");
        }
        let outreach = &self.outreach;
        push(
            SECTION_OUTREACH,
            "宣传次数".into(),
            outreach.sessions as f64,
            "次",
        );
        push(
            SECTION_OUTREACH,
            "受教育群众".into(),
            outreach.audience as f64,
            "人",
        );
        for row in &self.repairs {
            let unit = unit_label(&row.unit);
            push(SECTION_REPAIRS, row.label_zh.clone(), row.quantity, unit);
        }
        for row in &self.activities {
            push(
                SECTION_ACTIVITIES,
                row.label_zh.clone(),
                row.sessions as f64,
                "次",
            );
            let attendees = format!("{} 参加人数", row.label_zh);
            push(SECTION_ACTIVITIES, attendees, row.attendees as f64, "人");
        }
        let hazards = &self.hazards;
        push(
            SECTION_HAZARDS,
            "发现隐患".into(),
            hazards.found as f64,
            "处",
        );
        push(SECTION_HAZARDS, "已整改".into(), hazards.fixed as f64, "处");
        push(SECTION_HAZARDS, "未整改".into(), hazards.open as f64, "处");
        for row in &hazards.by_category {
            let found = format!("{} 发现", row.label_zh);
            push(SECTION_HAZARDS, found, row.found as f64, "处");
            let fixed = format!("{} 已整改", row.label_zh);
            push(SECTION_HAZARDS, fixed, row.fixed as f64, "处");
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &str, category: &str, entries: u64, quantity: f64, fixed: u64) -> AggregateRow {
        AggregateRow {
            kind: kind.into(),
            category: category.into(),
            entries,
            quantity,
            fixed,
        }
    }

    #[test]
    fn figures_are_exact_and_every_category_is_listed_in_vocabulary_order() {
        let rows = [
            row("patrol", "joint", 2, 3.1, 0),
            row("patrol", "regular", 1, 4.1, 0),
            row("repair", "road", 2, 3.1 + 4.1, 0),
            row("repair", "fence", 1, 200.0, 0),
            row("hazard", "fence", 3, 0.0, 1),
            row("incident", "smuggling", 1, 2.0, 0),
        ];
        let report = assemble_annual_report(2024, 2, &rows);
        assert_eq!(report.patrols.total, 3);
        assert_eq!(report.patrols.joint, 2);
        assert_eq!(report.patrols.distance_km.to_string(), "7.2");
        assert_eq!(report.repairs[0].code, "road");
        assert_eq!(report.repairs[0].quantity.to_string(), "7.2");
        assert_eq!(report.repairs.len(), RepairCategory::ALL.len());
        let fence = report.repairs.iter().find(|r| r.code == "fence").unwrap();
        assert_eq!((fence.quantity, fence.unit.as_str()), (200.0, "m"));
        assert_eq!(
            (
                report.hazards.found,
                report.hazards.fixed,
                report.hazards.open
            ),
            (3, 1, 2)
        );
        assert_eq!(report.incidents.by_type[0].persons, 2);
        assert_eq!(report.outreach.sessions, 0);
        let figures = report.figures();
        let road = figures.iter().find(|f| f.item_zh == "水毁道路").unwrap();
        assert_eq!((road.value_text().as_str(), road.unit_zh), ("7.2", "公里"));
    }

    #[test]
    fn a_year_without_entries_prints_zeros_not_minus_zero() {
        let report = assemble_annual_report(2024, 0, &[]);
        assert_eq!(report.patrols.distance_km.to_string(), "0");
        assert!(report
            .figures()
            .iter()
            .all(|figure| figure.value_text() == "0"));
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains("-0"), "{json}");
    }
}
