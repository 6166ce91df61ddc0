//! Made-up GPS tracks of patrols: out from the post towards its stretch of the border and back,
//! on foot or by motorbike, a fix every 30 s with the accuracy and altitude a cheap phone gives.

use super::random::DemoRng;
use patrol_model::{track_distance_m, PackedTrack, TrackPoint};

/// Seconds between two fixes.
const FIX_INTERVAL_S: i64 = 30;
/// Metres per degree of latitude.
const METRES_PER_DEGREE: f64 = 111_195.0;
/// The box the county's border stretch lies in.
const LAT_RANGE: (f64, f64) = (23.2, 23.7);
const LON_RANGE: (f64, f64) = (105.2, 106.2);

/// A patrol's track and what the device derives from it when the patrol ends.
#[derive(Debug, Clone)]
pub struct PatrolTrack {
    pub points: Vec<TrackPoint>,
    /// Rounded to 10 m, as the device does.
    pub distance_km: f64,
    /// `PackedTrack` v1, base64: `body.track`.
    pub packed_base64: String,
}

impl PatrolTrack {
    /// The point recorded nearest to `fraction` (0 = start, 1 = end) of the patrol.
    pub fn point_at(&self, fraction: f64) -> TrackPoint {
        let last = self.points.len().saturating_sub(1);
        let index = ((last as f64) * fraction.clamp(0.0, 1.0)).round() as usize;
        self.points[index.min(last)]
    }
}

/// A track starting at (`lat`, `lon`) at `start_ms`, lasting `duration_ms`; `by_motorbike`
/// rides about 15 km/h on the patrol road, else walks about 3 km/h on mountain paths.
pub fn patrol_track(
    rng: &mut DemoRng,
    lat: f64,
    lon: f64,
    start_ms: i64,
    duration_ms: i64,
    by_motorbike: bool,
) -> PatrolTrack {
    let fixes = (duration_ms / 1000 / FIX_INTERVAL_S).max(2);
    let speed_m_s = if by_motorbike {
        rng.range(3.0, 5.0)
    } else {
        rng.range(0.7, 1.1)
    };
    // Out towards the border (south to west) for half the time, then back to the post.
    let mut heading = rng.range(3.4, 4.6);
    let (mut here_lat, mut here_lon) = (lat, lon);
    let mut altitude = rng.range(700.0, 1300.0);
    let mut points = Vec::with_capacity(fixes as usize + 1);
    for fix in 0..=fixes {
        let recorded_at_ms = start_ms + fix * FIX_INTERVAL_S * 1000;
        points.push(TrackPoint {
            recorded_at_ms,
            lat: here_lat,
            lon: here_lon,
            accuracy_m: Some((rng.range(4.0, 16.0) * 10.0).round() / 10.0),
            altitude_m: Some((altitude * 10.0).round() / 10.0),
        });
        let returning = fix * 2 >= fixes;
        if returning {
            // Head for the post, with the path's bends.
            let target = (lat - here_lat).atan2((lon - here_lon) * here_lat.to_radians().cos());
            heading = target + rng.normal(0.0, 0.5);
        } else {
            heading += rng.normal(0.0, 0.25);
        }
        let step = speed_m_s * FIX_INTERVAL_S as f64 * rng.range(0.6, 1.3);
        here_lat += step * heading.sin() / METRES_PER_DEGREE;
        here_lon += step * heading.cos() / (METRES_PER_DEGREE * here_lat.to_radians().cos());
        here_lat = here_lat.clamp(LAT_RANGE.0, LAT_RANGE.1);
        here_lon = here_lon.clamp(LON_RANGE.0, LON_RANGE.1);
        altitude = (altitude + rng.normal(0.0, 6.0)).clamp(300.0, 1900.0);
    }
    let distance_km = (track_distance_m(&points) / 10.0).round() / 100.0;
    let packed_base64 = PackedTrack::pack(&points).to_base64();
    PatrolTrack {
        points,
        distance_km,
        packed_base64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_of_three_hours_is_some_km_and_comes_home() {
        let mut rng = DemoRng::stream(&[3]);
        let track = patrol_track(&mut rng, 23.3, 105.4, 0, 3 * 3_600_000, false);
        assert_eq!(track.points.len(), 361);
        assert!(
            (4.0..14.0).contains(&track.distance_km),
            "{}",
            track.distance_km
        );
        let end = track.points[track.points.len() - 1];
        let home = patrol_model::location::haversine_m(end.lat, end.lon, 23.3, 105.4);
        assert!(home < 2_500.0, "ends {home} m from the post");
        let unpacked = PackedTrack::from_base64(&track.packed_base64)
            .and_then(|packed| packed.unpack())
            .expect("the packed track reads back");
        assert_eq!(unpacked.len(), track.points.len());
    }
}
