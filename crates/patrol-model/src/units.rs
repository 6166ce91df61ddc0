//! Quantities with units, so the county can add up 7.2 km of road and 200 m of fence.

use crate::body::codes::domain_code;
use serde::{Deserialize, Serialize};

domain_code! {
    /// The units a quantity may carry, as a member reads them: 公里, 米, 处, 人.
    Unit ("单位", "unit") {
        Km = "km" "公里" "km",
        M = "m" "米" "m",
        Count = "count" "处" "sites",
        Persons = "persons" "人" "people",
    }
}

impl Unit {
    /// The factor that turns this unit into `other`, when both measure the same thing.
    pub fn factor_to(self, other: Unit) -> Option<f64> {
        match (self, other) {
            (a, b) if a == b => Some(1.0),
            (Unit::M, Unit::Km) => Some(0.001),
            (Unit::Km, Unit::M) => Some(1000.0),
            _ => None,
        }
    }
}

/// An amount in a unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Quantity {
    pub value: f64,
    pub unit: Unit,
}

impl Quantity {
    pub fn new(value: f64, unit: Unit) -> Self {
        Self { value, unit }
    }

    /// The same amount in `unit`, if the two units measure the same thing.
    pub fn in_unit(self, unit: Unit) -> Option<Quantity> {
        self.unit
            .factor_to(unit)
            .map(|factor| Quantity::new(self.value * factor, unit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainCode;

    #[test]
    fn metres_convert_to_kilometres_but_not_to_counts() {
        let fence = Quantity::new(200.0, Unit::M);
        assert_eq!(fence.in_unit(Unit::Km).unwrap().value, 0.2);
        assert!(fence.in_unit(Unit::Count).is_none());
        for &unit in Unit::ALL {
            assert_eq!(Unit::from_code(unit.code()), Some(unit));
        }
    }
}
