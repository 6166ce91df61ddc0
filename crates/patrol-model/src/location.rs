//! WGS-84 positions as a phone's GPS gives them.

use serde::{Deserialize, Serialize};

/// A WGS-84 position. `accuracy_m` is the GPS's horizontal accuracy radius.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "accuracy")]
    pub accuracy_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "altitude")]
    pub altitude_m: Option<f64>,
}

/// Mean Earth radius used for distances along a track, in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

impl Location {
    pub fn new(lat: f64, lon: f64) -> Self {
        Self {
            lat,
            lon,
            accuracy_m: None,
            altitude_m: None,
        }
    }

    /// Great-circle (haversine) distance in metres.
    pub fn distance_m(&self, other: &Location) -> f64 {
        haversine_m(self.lat, self.lon, other.lat, other.lon)
    }
}

/// Great-circle distance between two WGS-84 points, in metres.
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let d_phi = (lat2 - lat1).to_radians();
    let d_lambda = (lon2 - lon1).to_radians();
    let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = haversine_m(23.0, 105.0, 24.0, 105.0);
        assert!((d - 111_195.0).abs() < 50.0, "{d}");
    }
}
