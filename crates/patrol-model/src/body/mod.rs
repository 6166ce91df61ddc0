//! The typed body of each kind of entry. A new kind is a new module here, a new variant of
//! [`EntryBody`] and of [`crate::EntryKind`].

pub mod activity;
pub mod codes;
pub mod hazard;
pub mod incident;
pub mod outreach;
pub mod patrol;
pub mod repair;

pub use activity::{ActivityBody, ActivityType};
pub use incident::{CrimeType, IncidentBody};
pub use outreach::OutreachBody;

pub use codes::DomainCode;
pub use hazard::{HazardBody, HazardCategory, HazardSeverity};
pub use patrol::{PartnerUnit, PatrolBody, PatrolPartner};
pub use repair::{RepairBody, RepairCategory};

use crate::entry::EntryKind;
use crate::units::Quantity;
use serde::{Deserialize, Serialize};

/// The kind-specific part of an entry; serialized as `"kind": …, "body": {…}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum EntryBody {
    Patrol(PatrolBody),
    Hazard(HazardBody),
    Repair(RepairBody),
    Incident(IncidentBody),
    Outreach(OutreachBody),
    Activity(ActivityBody),
}

impl EntryBody {
    pub fn kind(&self) -> EntryKind {
        match self {
            EntryBody::Patrol(_) => EntryKind::Patrol,
            EntryBody::Hazard(_) => EntryKind::Hazard,
            EntryBody::Repair(_) => EntryKind::Repair,
            EntryBody::Incident(_) => EntryKind::Incident,
            EntryBody::Outreach(_) => EntryKind::Outreach,
            EntryBody::Activity(_) => EntryKind::Activity,
        }
    }

    /// The category the entry is counted under in statistics.
    pub fn category_code(&self) -> &'static str {
        match self {
            EntryBody::Patrol(patrol) => patrol.category_code(),
            EntryBody::Hazard(hazard) => hazard.category.code(),
            EntryBody::Repair(repair) => repair.category.code(),
            EntryBody::Incident(incident) => incident.crime_type.code(),
            EntryBody::Outreach(_) => "outreach",
            EntryBody::Activity(activity) => activity.activity_type.code(),
        }
    }

    /// The amount the county totals: patrol distance in km, repair quantity in its unit.
    pub fn counted_quantity(&self) -> Option<Quantity> {
        match self {
            EntryBody::Patrol(patrol) => patrol
                .distance_km
                .map(|km| Quantity::new(km, crate::Unit::Km)),
            EntryBody::Hazard(_) => None,
            EntryBody::Repair(repair) => Some(repair.quantity_in_category_unit()),
            EntryBody::Incident(incident) => {
                Some(Quantity::new(incident.persons.into(), crate::Unit::Persons))
            }
            EntryBody::Outreach(outreach) => Some(Quantity::new(
                outreach.audience.into(),
                crate::Unit::Persons,
            )),
            EntryBody::Activity(activity) => Some(Quantity::new(
                activity.attendees.into(),
                crate::Unit::Persons,
            )),
        }
    }

    /// The text full-text search looks in.
    pub fn search_text(&self) -> String {
        match self {
            EntryBody::Patrol(patrol) => patrol.search_text(),
            EntryBody::Hazard(hazard) => hazard.search_text(),
            EntryBody::Repair(repair) => repair.search_text(),
            EntryBody::Incident(incident) => incident.search_text(),
            EntryBody::Outreach(outreach) => outreach.search_text(),
            EntryBody::Activity(activity) => activity.search_text(),
        }
    }

    /// A one-line summary for lists, in Chinese: "铁网/围栏 · 高风险 · 铁网被洪水冲毁约30米".
    pub fn title_zh(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let text = match self {
            EntryBody::Patrol(patrol) => {
                parts.push(
                    if patrol.joint {
                        "联合巡逻"
                    } else {
                        "巡逻"
                    }
                    .to_string(),
                );
                if !patrol.members.is_empty() {
                    parts.push(patrol.members.join("、"));
                }
                if let Some(km) = patrol.distance_km {
                    parts.push(format!("{} 公里", round_for_display(km)));
                }
                &patrol.findings
            }
            EntryBody::Hazard(hazard) => {
                parts.push(hazard.category.label_zh().to_string());
                parts.push(format!("{}风险", hazard.severity.label_zh()));
                &hazard.description
            }
            EntryBody::Repair(repair) => {
                parts.push(format!(
                    "{} {} {}",
                    repair.category.label_zh(),
                    round_for_display(repair.quantity),
                    repair.unit.label_zh()
                ));
                &repair.description
            }
            EntryBody::Incident(incident) => {
                parts.push(incident.crime_type.label_zh().to_string());
                parts.push(format!("{} 人", incident.persons));
                if !incident.handed_to.trim().is_empty() {
                    parts.push(format!("移交{}", incident.handed_to.trim()));
                }
                &incident.description
            }
            EntryBody::Outreach(outreach) => {
                parts.push(format!("普法宣传 · {}", outreach.village.trim()));
                parts.push(outreach.topic.trim().to_string());
                parts.push(format!("{} 人", outreach.audience));
                &outreach.description
            }
            EntryBody::Activity(activity) => {
                parts.push(activity.activity_type.label_zh().to_string());
                if !activity.topic.trim().is_empty() {
                    parts.push(activity.topic.trim().to_string());
                }
                parts.push(format!("{} 人", activity.attendees));
                &activity.description
            }
        };
        let text = text.trim();
        if !text.is_empty() {
            let mut short: String = text.chars().take(TITLE_TEXT_CHARS).collect();
            if text.chars().count() > TITLE_TEXT_CHARS {
                short.push('…');
            }
            parts.push(short);
        }
        parts.join(" · ")
    }

    pub fn validate(&self, report: &mut crate::ValidationReport) {
        match self {
            EntryBody::Patrol(patrol) => patrol.validate(report),
            EntryBody::Hazard(hazard) => hazard.validate(report),
            EntryBody::Repair(repair) => repair.validate(report),
            EntryBody::Incident(incident) => incident.validate(report),
            EntryBody::Outreach(outreach) => outreach.validate(report),
            EntryBody::Activity(activity) => activity.validate(report),
        }
    }
}

/// The Chinese name of a statistics category (`EntryBody::category_code`) of `kind`.
pub fn category_label_zh(kind: EntryKind, code: &str) -> Option<&'static str> {
    match kind {
        EntryKind::Patrol if code == "joint" => Some("联合巡逻"),
        EntryKind::Patrol => Some("巡逻"),
        EntryKind::Hazard => HazardCategory::from_code(code).map(HazardCategory::label_zh),
        EntryKind::Repair => RepairCategory::from_code(code).map(RepairCategory::label_zh),
        EntryKind::Incident => CrimeType::from_code(code).map(CrimeType::label_zh),
        EntryKind::Outreach => (code == "outreach").then_some("普法宣传"),
        EntryKind::Activity => ActivityType::from_code(code).map(ActivityType::label_zh),
    }
}

/// How much of a description a list title shows.
const TITLE_TEXT_CHARS: usize = 40;

/// 7.2 rather than 7.199999999.
fn round_for_display(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}
