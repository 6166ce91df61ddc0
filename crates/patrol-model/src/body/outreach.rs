//! 普法宣传: an outreach session in a border village, its topic and how many people came.

use crate::input::fields::FieldReader;
use crate::validation::{check_short_text, check_text, ValidationReport, MAX_TEXT_CHARS};
use serde::{Deserialize, Serialize};

/// Largest audience of one session.
pub const MAX_OUTREACH_AUDIENCE: u32 = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutreachBody {
    /// The village (committee) where it was held: "田蓬村".
    pub village: String,
    /// What it was about: "边境管控形势", "禁毒".
    pub topic: String,
    /// People who came.
    pub audience: u32,
    #[serde(default)]
    pub description: String,
}

impl OutreachBody {
    pub(crate) fn read(mut reader: FieldReader<'_>) -> Option<Self> {
        let village = reader.required_text("village");
        let topic = reader.required_text("topic");
        let audience = reader.required_whole_number("audience", 1, MAX_OUTREACH_AUDIENCE);
        let description = reader.optional_text("description").unwrap_or_default();
        reader.finish();
        Some(OutreachBody {
            village: village?,
            topic: topic?,
            audience: audience?,
            description,
        })
    }

    pub fn validate(&self, report: &mut ValidationReport) {
        check_short_text(report, "body.village", &self.village);
        check_short_text(report, "body.topic", &self.topic);
        check_text(
            report,
            "body.description",
            &self.description,
            MAX_TEXT_CHARS,
        );
        if !(1..=MAX_OUTREACH_AUDIENCE).contains(&self.audience) {
            report.push(
                "body.audience",
                format!("受教育人数应为 1 到 {MAX_OUTREACH_AUDIENCE} 的整数"),
                format!("audience must be a whole number from 1 to {MAX_OUTREACH_AUDIENCE}"),
            );
        }
    }

    pub fn search_text(&self) -> String {
        format!(
            "普法宣传 {} {} {}",
            self.village, self.topic, self.description
        )
    }
}
