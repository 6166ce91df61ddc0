//! The typed body of each kind of entry. A new kind (incident, outreach, activity) is a new
//! module here, a new variant of [`EntryBody`] and of [`crate::EntryKind`].

pub mod codes;
pub mod hazard;
pub mod patrol;
pub mod repair;

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
pub enum EntryBody {
    Patrol(PatrolBody),
    Hazard(HazardBody),
    Repair(RepairBody),
}

impl EntryBody {
    pub fn kind(&self) -> EntryKind {
        match self {
            EntryBody::Patrol(_) => EntryKind::Patrol,
            EntryBody::Hazard(_) => EntryKind::Hazard,
            EntryBody::Repair(_) => EntryKind::Repair,
        }
    }

    /// The category the entry is counted under in statistics.
    pub fn category_code(&self) -> &'static str {
        match self {
            EntryBody::Patrol(patrol) => patrol.category_code(),
            EntryBody::Hazard(hazard) => hazard.category.code(),
            EntryBody::Repair(repair) => repair.category.code(),
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
        }
    }

    /// The text full-text search looks in.
    pub fn search_text(&self) -> String {
        match self {
            EntryBody::Patrol(patrol) => patrol.search_text(),
            EntryBody::Hazard(hazard) => hazard.search_text(),
            EntryBody::Repair(repair) => repair.search_text(),
        }
    }

    pub fn validate(&self, report: &mut crate::ValidationReport) {
        match self {
            EntryBody::Patrol(patrol) => patrol.validate(report),
            EntryBody::Hazard(hazard) => hazard.validate(report),
            EntryBody::Repair(repair) => repair.validate(report),
        }
    }
}
