//! WGS-84 positions as a phone's GPS gives them.

use crate::body::codes::domain_code;
use serde::{Deserialize, Serialize};

domain_code! {
    /// 方位: which way a place lies from the member, to one of eight points ("东北 320 米").
    CompassPoint ("方位", "direction") {
        North = "n" "北" "N",
        NorthEast = "ne" "东北" "NE",
        East = "e" "东" "E",
        SouthEast = "se" "东南" "SE",
        South = "s" "南" "S",
        SouthWest = "sw" "西南" "SW",
        West = "w" "西" "W",
        NorthWest = "nw" "西北" "NW",
    }
}

impl CompassPoint {
    /// The point a bearing (degrees clockwise from true north, any value) is nearest to.
    pub fn from_bearing(bearing_deg: f64) -> CompassPoint {
        const POINTS: [CompassPoint; 8] = [
            CompassPoint::North,
            CompassPoint::NorthEast,
            CompassPoint::East,
            CompassPoint::SouthEast,
            CompassPoint::South,
            CompassPoint::SouthWest,
            CompassPoint::West,
            CompassPoint::NorthWest,
        ];
        let sector = ((bearing_deg.rem_euclid(360.0) + 22.5) / 45.0).floor() as usize % 8;
        POINTS[sector]
    }
}

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

    /// The initial great-circle bearing towards `other`, degrees clockwise from true north
    /// (0 ≤ b < 360).
    pub fn bearing_deg(&self, other: &Location) -> f64 {
        let (phi1, phi2) = (self.lat.to_radians(), other.lat.to_radians());
        let d_lambda = (other.lon - self.lon).to_radians();
        let y = d_lambda.sin() * phi2.cos();
        let x = phi1.cos() * phi2.sin() - phi1.sin() * phi2.cos() * d_lambda.cos();
        y.atan2(x).to_degrees().rem_euclid(360.0)
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
    fn bearings_point_the_right_way() {
        let here = Location::new(23.5, 105.6);
        let north = Location::new(23.6, 105.6);
        let east = Location::new(23.5, 105.7);
        let south_west = Location::new(23.4, 105.5);
        assert!(here.bearing_deg(&north).abs() < 1e-9);
        assert!((here.bearing_deg(&east) - 90.0).abs() < 0.1);
        assert_eq!(
            CompassPoint::from_bearing(here.bearing_deg(&south_west)),
            CompassPoint::SouthWest
        );
        assert_eq!(CompassPoint::from_bearing(359.0), CompassPoint::North);
        assert_eq!(CompassPoint::from_bearing(22.4), CompassPoint::North);
        assert_eq!(CompassPoint::from_bearing(22.6), CompassPoint::NorthEast);
        assert_eq!(CompassPoint::from_bearing(-90.0), CompassPoint::West);
    }

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = haversine_m(23.0, 105.0, 24.0, 105.0);
        assert!((d - 111_195.0).abs() < 50.0, "{d}");
    }
}
