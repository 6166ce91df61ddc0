//! 修复: a repair, with a quantity in the unit the county totals it in, optionally closing the
//! hazard it fixes.

use super::codes::{domain_code, DomainCode};
use crate::ids::EntryId;
use crate::input::fields::FieldReader;
use crate::units::{Quantity, Unit};
use crate::validation::{check_text, ValidationReport, MAX_TEXT_CHARS};
use serde::{Deserialize, Serialize};

domain_code! {
    /// What was repaired.
    RepairCategory ("修复类别", "repair category") {
        Road = "road" "水毁道路" "Flood-damaged road",
        Landslide = "landslide" "塌方清理" "Landslide cleared",
        Water = "water" "水源" "Water source",
        Power = "power" "电路" "Power circuit",
        Fence = "fence" "铁网" "Iron fence",
        Camera = "camera" "技防设施" "Camera / sensor",
        Other = "other" "其他" "Other",
    }
}

impl RepairCategory {
    /// The unit the county totals this category in: road in km, fence in m, the rest counted.
    pub fn unit(self) -> Unit {
        match self {
            RepairCategory::Road => Unit::Km,
            RepairCategory::Fence => Unit::M,
            _ => Unit::Count,
        }
    }
}

/// Largest quantity accepted in one repair entry.
pub const MAX_REPAIR_QUANTITY: f64 = 100_000.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct RepairBody {
    pub category: RepairCategory,
    pub quantity: f64,
    pub unit: Unit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_hazard: Option<EntryId>,
    #[serde(default)]
    pub description: String,
}

impl RepairBody {
    pub(crate) fn read(mut reader: FieldReader<'_>) -> Option<Self> {
        let category = reader.required_code::<RepairCategory>("category");
        let quantity = reader.required_number("quantity");
        let unit_text = reader.optional_text("unit");
        let closes_hazard = reader.optional_entry_id("closes_hazard");
        let description = reader.optional_text("description").unwrap_or_default();
        let unit = match unit_text {
            None => category.map(RepairCategory::unit),
            Some(code) => match Unit::from_code(code.trim()) {
                Some(unit) => Some(unit),
                None => {
                    let field = reader.path("unit");
                    reader.report().push(
                        field,
                        format!("未知的单位“{code}”,可选:km(公里)、m(米)、count(处)"),
                        format!("unknown unit {code:?}, expected km, m or count"),
                    );
                    None
                }
            },
        };
        let report = reader.finish();
        if category.is_none() || unit.is_none() {
            // The body is incomplete; still say what is wrong with the quantity.
            if let Some(quantity) = quantity {
                check_quantity(report, quantity);
            }
        }
        Some(RepairBody {
            category: category?,
            quantity: quantity?,
            unit: unit?,
            closes_hazard,
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
        check_quantity(report, self.quantity);
        let expected = self.category.unit();
        if self.unit.factor_to(expected).is_none() {
            report.push(
                "body.unit",
                format!(
                    "{}的单位应为 {}({})",
                    self.category.label_zh(),
                    expected.code(),
                    expected.label_zh()
                ),
                format!(
                    "{} is measured in {}",
                    self.category.code(),
                    expected.code()
                ),
            );
        } else if expected == Unit::Count && self.quantity.fract() != 0.0 {
            report.push(
                "body.quantity",
                "按处计数的数量应为整数",
                "a counted quantity must be a whole number",
            );
        }
    }

    /// The quantity in the category's own unit (a fence given in km is totalled in m).
    pub fn quantity_in_category_unit(&self) -> Quantity {
        let quantity = Quantity::new(self.quantity, self.unit);
        quantity.in_unit(self.category.unit()).unwrap_or(quantity)
    }

    pub fn search_text(&self) -> String {
        format!(
            "修复 {} {}{} {}",
            self.category.label_zh(),
            self.quantity,
            self.unit.label_zh(),
            self.description
        )
    }
}

/// A repaired quantity is positive, finite and not absurdly large.
fn check_quantity(report: &mut ValidationReport, quantity: f64) {
    if !quantity.is_finite() || quantity <= 0.0 {
        report.push(
            "body.quantity",
            "数量必须大于 0",
            "quantity must be greater than 0",
        );
    } else if quantity > MAX_REPAIR_QUANTITY {
        report.push(
            "body.quantity",
            format!("数量太大,一次最多 {MAX_REPAIR_QUANTITY}"),
            format!("quantity too large, at most {MAX_REPAIR_QUANTITY}"),
        );
    }
}
