//! 隐患排查: a hazard found on inspection, open until a repair fixes it.

use super::codes::{domain_code, DomainCode};
use crate::input::fields::FieldReader;
use crate::validation::{check_text, ValidationReport, MAX_TEXT_CHARS};
use serde::{Deserialize, Serialize};

domain_code! {
    /// What kind of hazard was found.
    HazardCategory ("隐患类别", "hazard category") {
        Road = "road" "道路/便道" "Road / trail",
        Landslide = "landslide" "塌方" "Landslide",
        Water = "water" "水源" "Water source",
        Power = "power" "电路" "Power line",
        Fence = "fence" "铁网/围栏" "Fence",
        Camera = "camera" "技防设施" "Camera / sensor",
        Crossing = "crossing" "走私偷渡盲区" "Crossing blind spot",
        Other = "other" "其他" "Other",
    }
}

domain_code! {
    /// How urgent the hazard is.
    HazardSeverity ("严重程度", "severity") {
        Low = "low" "低" "Low",
        Medium = "medium" "中" "Medium",
        High = "high" "高" "High",
        Critical = "critical" "紧急" "Critical",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HazardBody {
    pub category: HazardCategory,
    pub severity: HazardSeverity,
    #[serde(default)]
    pub description: String,
}

impl HazardBody {
    pub(crate) fn read(mut reader: FieldReader<'_>) -> Option<Self> {
        let category = reader.required_code::<HazardCategory>("category");
        let severity = reader.required_code::<HazardSeverity>("severity");
        let description = reader.optional_text("description").unwrap_or_default();
        reader.ignore(&["status"]);
        reader.finish();
        Some(HazardBody {
            category: category?,
            severity: severity?,
            description,
        })
    }

    pub fn validate(&self, report: &mut ValidationReport) {
        check_text(
            report,
            "body.description",
            &self.description,
            MAX_TEXT_CHARS,
        );
    }

    pub fn search_text(&self) -> String {
        format!(
            "隐患 {} {}风险 {}",
            self.category.label_zh(),
            self.severity.label_zh(),
            self.description
        )
    }
}
