//! 案件: a cross-border crime the members helped to stop, the persons involved, and whom they
//! were handed to.

use super::codes::{domain_code, DomainCode};
use crate::input::fields::FieldReader;
use crate::validation::{check_short_text, check_text, ValidationReport, MAX_TEXT_CHARS};
use serde::{Deserialize, Serialize};

domain_code! {
    /// The kind of cross-border crime.
    CrimeType ("案件类型", "crime type") {
        Smuggling = "smuggling" "走私" "Smuggling",
        IllegalCrossing = "illegal_crossing" "非法越境" "Illegal crossing",
        Drugs = "drugs" "毒品" "Drugs",
        Other = "other" "其他" "Other",
    }
}

/// Most persons recorded in one incident.
pub const MAX_INCIDENT_PERSONS: u32 = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IncidentBody {
    pub crime_type: CrimeType,
    /// Persons involved (held, turned back or handed over); 0 when only goods were found.
    pub persons: u32,
    /// Whom the case was handed to: "田蓬边境派出所".
    #[serde(default)]
    pub handed_to: String,
    #[serde(default)]
    pub description: String,
}

impl IncidentBody {
    pub(crate) fn read(mut reader: FieldReader<'_>) -> Option<Self> {
        let crime_type = reader.required_code::<CrimeType>("crime_type");
        let persons = reader.required_whole_number("persons", 0, MAX_INCIDENT_PERSONS);
        let handed_to = reader.optional_text("handed_to").unwrap_or_default();
        let description = reader.optional_text("description").unwrap_or_default();
        reader.finish();
        Some(IncidentBody {
            crime_type: crime_type?,
            persons: persons?,
            handed_to,
            description,
        })
    }

    pub fn validate(&self, report: &mut ValidationReport) {
        if !self.handed_to.is_empty() {
            check_short_text(report, "body.handed_to", &self.handed_to);
        }
        check_text(
            report,
            "body.description",
            &self.description,
            MAX_TEXT_CHARS,
        );
        if self.persons > MAX_INCIDENT_PERSONS {
            report.push(
                "body.persons",
                format!("人数应为 0 到 {MAX_INCIDENT_PERSONS} 的整数"),
                format!("persons must be a whole number from 0 to {MAX_INCIDENT_PERSONS}"),
            );
        }
    }

    pub fn search_text(&self) -> String {
        format!(
            "案件 {} {}人 {} {}",
            self.crime_type.label_zh(),
            self.persons,
            self.handed_to,
            self.description
        )
    }
}
