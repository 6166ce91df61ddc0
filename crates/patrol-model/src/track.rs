//! A patrol's GPS track: points as the recorder appends them, and the compact packed form kept
//! once the patrol ends (delta-encoded, zig-zag varints; about 6 bytes a point instead of ~40).

use crate::error::ModelError;
use crate::location::haversine_m;
use serde::{Deserialize, Serialize};

/// One GPS fix on a patrol.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
pub struct TrackPoint {
    /// UTC milliseconds since the Unix epoch.
    pub recorded_at_ms: i64,
    pub lat: f64,
    pub lon: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altitude_m: Option<f64>,
}

/// Coordinates are kept to 1e-6 degree (about 0.1 m): far finer than a phone's GPS.
const COORDINATE_SCALE: f64 = 1e6;
/// Accuracy and altitude are kept to 0.1 m.
const METRE_SCALE: f64 = 10.0;
const FORMAT_VERSION: u8 = 1;
const HAS_ACCURACY: u8 = 1;
const HAS_ALTITUDE: u8 = 2;

/// The packed bytes of a whole track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackedTrack(pub Vec<u8>);

impl PackedTrack {
    /// Packs points in their order. Format v1: version byte, point count, then per point a flag
    /// byte and zig-zag varint deltas of time (ms), lat and lon (1e-6°), then optional accuracy
    /// and altitude (0.1 m, absolute).
    pub fn pack(points: &[TrackPoint]) -> PackedTrack {
        let mut bytes = Vec::with_capacity(2 + points.len() * 8);
        bytes.push(FORMAT_VERSION);
        write_varint(&mut bytes, points.len() as u64);
        let (mut last_time, mut last_lat, mut last_lon) = (0i64, 0i64, 0i64);
        for point in points {
            let lat = (point.lat * COORDINATE_SCALE).round() as i64;
            let lon = (point.lon * COORDINATE_SCALE).round() as i64;
            let mut flags = 0u8;
            if point.accuracy_m.is_some() {
                flags |= HAS_ACCURACY;
            }
            if point.altitude_m.is_some() {
                flags |= HAS_ALTITUDE;
            }
            bytes.push(flags);
            write_signed(&mut bytes, point.recorded_at_ms.wrapping_sub(last_time));
            write_signed(&mut bytes, lat - last_lat);
            write_signed(&mut bytes, lon - last_lon);
            if let Some(accuracy) = point.accuracy_m {
                write_signed(&mut bytes, (accuracy * METRE_SCALE).round() as i64);
            }
            if let Some(altitude) = point.altitude_m {
                write_signed(&mut bytes, (altitude * METRE_SCALE).round() as i64);
            }
            (last_time, last_lat, last_lon) = (point.recorded_at_ms, lat, lon);
        }
        PackedTrack(bytes)
    }

    /// The packed bytes as the entry document carries them (standard base64).
    pub fn to_base64(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(&self.0)
    }

    pub fn from_base64(text: &str) -> Result<PackedTrack, ModelError> {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map(PackedTrack)
            .map_err(|_| ModelError::DamagedTrack("not base64"))
    }

    pub fn unpack(&self) -> Result<Vec<TrackPoint>, ModelError> {
        let mut reader = ByteReader {
            bytes: &self.0,
            at: 0,
        };
        if reader.byte()? != FORMAT_VERSION {
            return Err(ModelError::DamagedTrack("unknown format version"));
        }
        let count = reader.varint()?;
        if count > self.0.len() as u64 {
            return Err(ModelError::DamagedTrack("point count larger than the data"));
        }
        let mut points = Vec::with_capacity(count as usize);
        let (mut time, mut lat, mut lon) = (0i64, 0i64, 0i64);
        for _ in 0..count {
            let flags = reader.byte()?;
            time = time.wrapping_add(reader.signed()?);
            lat += reader.signed()?;
            lon += reader.signed()?;
            let accuracy_m = if flags & HAS_ACCURACY != 0 {
                Some(reader.signed()? as f64 / METRE_SCALE)
            } else {
                None
            };
            let altitude_m = if flags & HAS_ALTITUDE != 0 {
                Some(reader.signed()? as f64 / METRE_SCALE)
            } else {
                None
            };
            points.push(TrackPoint {
                recorded_at_ms: time,
                lat: lat as f64 / COORDINATE_SCALE,
                lon: lon as f64 / COORDINATE_SCALE,
                accuracy_m,
                altitude_m,
            });
        }
        if reader.at != self.0.len() {
            return Err(ModelError::DamagedTrack("trailing bytes"));
        }
        Ok(points)
    }
}

/// A fix less accurate than this (its reported radius, metres) stays on the track but is left
/// out of the distance: under trees and in gorges a phone reports fixes 100–500 m off.
pub const POOR_FIX_ACCURACY_M: f64 = 50.0;
/// Faster than this from the last counted fix (m/s; 180 km/h) is no patrol on foot, motorbike
/// or car on a border road: a GPS jump, kept on the track and left out of the distance.
pub const IMPOSSIBLE_SPEED_M_PER_S: f64 = 50.0;

/// How far a fix is trusted. Derived from the fix and those before it, never stored, so a
/// track packed by an older version is judged the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackPointQuality {
    /// Counted in the distance.
    Good,
    /// Reported accuracy worse than [`POOR_FIX_ACCURACY_M`].
    Poor,
    /// Reached from the last counted fix faster than [`IMPOSSIBLE_SPEED_M_PER_S`].
    Jump,
}

/// The quality of each point, in order. A jump is judged from the last *counted* point, so
/// one wild fix does not make the good fix after it a jump too.
pub fn track_point_qualities(points: &[TrackPoint]) -> Vec<TrackPointQuality> {
    let mut last_counted: Option<&TrackPoint> = None;
    points
        .iter()
        .map(|point| {
            if point
                .accuracy_m
                .is_some_and(|accuracy| accuracy > POOR_FIX_ACCURACY_M)
            {
                return TrackPointQuality::Poor;
            }
            if let Some(last) = last_counted {
                let metres = haversine_m(last.lat, last.lon, point.lat, point.lon);
                // A second of clock at least: two fixes in the same millisecond are not a jump
                // unless they are far apart.
                let seconds =
                    ((point.recorded_at_ms - last.recorded_at_ms) as f64 / 1000.0).max(1.0);
                if metres / seconds > IMPOSSIBLE_SPEED_M_PER_S {
                    return TrackPointQuality::Jump;
                }
            }
            last_counted = Some(point);
            TrackPointQuality::Good
        })
        .collect()
}

/// Length of the track in metres: the sum of great-circle legs between consecutive counted
/// (good) points; poor fixes and jumps are left out.
pub fn track_distance_m(points: &[TrackPoint]) -> f64 {
    let counted: Vec<&TrackPoint> = points
        .iter()
        .zip(track_point_qualities(points))
        .filter(|(_, quality)| *quality == TrackPointQuality::Good)
        .map(|(point, _)| point)
        .collect();
    counted
        .windows(2)
        .map(|pair| haversine_m(pair[0].lat, pair[0].lon, pair[1].lat, pair[1].lon))
        .sum()
}

fn write_varint(bytes: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        bytes.push((value as u8) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

fn write_signed(bytes: &mut Vec<u8>, value: i64) {
    write_varint(bytes, ((value << 1) ^ (value >> 63)) as u64);
}

struct ByteReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl ByteReader<'_> {
    fn byte(&mut self) -> Result<u8, ModelError> {
        let byte = *self
            .bytes
            .get(self.at)
            .ok_or(ModelError::DamagedTrack("truncated"))?;
        self.at += 1;
        Ok(byte)
    }

    fn varint(&mut self) -> Result<u64, ModelError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(ModelError::DamagedTrack("varint too long"))
    }

    fn signed(&mut self) -> Result<i64, ModelError> {
        let raw = self.varint()?;
        Ok(((raw >> 1) as i64) ^ -((raw & 1) as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn point(at: i64, lat: f64, lon: f64) -> TrackPoint {
        TrackPoint {
            recorded_at_ms: at,
            lat,
            lon,
            accuracy_m: Some(5.0),
            altitude_m: None,
        }
    }

    #[test]
    fn packs_a_patrol_compactly() {
        let points: Vec<TrackPoint> = (0..1000)
            .map(|i| point(1_709_338_200_000 + i * 5000, 23.6 + i as f64 * 1e-5, 105.6))
            .collect();
        let packed = PackedTrack::pack(&points);
        assert!(packed.0.len() < 1000 * 10, "{} bytes", packed.0.len());
        let back = packed.unpack().unwrap();
        assert_eq!(back.len(), points.len());
        for (a, b) in points.iter().zip(&back) {
            assert_eq!(a.recorded_at_ms, b.recorded_at_ms);
            assert!((a.lat - b.lat).abs() < 1e-9 && (a.lon - b.lon).abs() < 1e-9);
            assert_eq!(a.accuracy_m, b.accuracy_m);
        }
    }

    #[test]
    fn damaged_tracks_are_refused_not_misread() {
        let packed = PackedTrack::pack(&[point(1, 23.0, 105.0), point(2, 23.1, 105.1)]);
        let mut truncated = packed.clone();
        truncated.0.pop();
        assert!(truncated.unpack().is_err());
        assert!(PackedTrack(vec![9, 0]).unpack().is_err());
        assert!(PackedTrack(vec![1, 200, 1]).unpack().is_err());
    }

    #[test]
    fn distance_sums_the_legs() {
        // Ten minutes a kilometre: a patrol on foot.
        let points = [
            point(0, 23.0, 105.0),
            point(600_000, 23.01, 105.0),
            point(1_200_000, 23.02, 105.0),
        ];
        let metres = track_distance_m(&points);
        assert!((metres - 2_223.9).abs() < 2.0, "{metres}");
    }

    #[test]
    fn poor_fixes_and_jumps_stay_on_the_track_but_not_in_the_distance() {
        let mut poor = point(20_000, 23.05, 105.0);
        poor.accuracy_m = Some(300.0);
        let points = [
            point(0, 23.0, 105.0),
            point(600_000, 23.01, 105.0),
            // 3 km in 10 s: a jump.
            point(610_000, 23.037, 105.0),
            poor,
            point(1_200_000, 23.02, 105.0),
        ];
        assert_eq!(
            track_point_qualities(&points),
            [
                TrackPointQuality::Good,
                TrackPointQuality::Good,
                TrackPointQuality::Jump,
                TrackPointQuality::Poor,
                TrackPointQuality::Good,
            ]
        );
        let metres = track_distance_m(&points);
        assert!((metres - 2_223.9).abs() < 2.0, "{metres}");
        // A point without accuracy is trusted; a car at 60 km/h is no jump.
        let driven = [point(0, 23.0, 105.0), point(60_000, 23.009, 105.0)];
        let mut unknown = driven;
        unknown[1].accuracy_m = None;
        assert_eq!(
            track_point_qualities(&unknown),
            [TrackPointQuality::Good, TrackPointQuality::Good]
        );
    }

    proptest! {
        #[test]
        fn round_trip_keeps_points_to_a_tenth_of_a_metre(
            raw in proptest::collection::vec(
                (0i64..4_000_000_000_000, -90.0f64..90.0, -180.0f64..180.0,
                 proptest::option::of(0.0f64..500.0), proptest::option::of(-100.0f64..5000.0)),
                0..200)
        ) {
            let points: Vec<TrackPoint> = raw.iter().map(|&(at, lat, lon, accuracy_m, altitude_m)| TrackPoint {
                recorded_at_ms: at, lat, lon, accuracy_m, altitude_m,
            }).collect();
            let back = PackedTrack::pack(&points).unpack().unwrap();
            prop_assert_eq!(back.len(), points.len());
            for (a, b) in points.iter().zip(&back) {
                prop_assert_eq!(a.recorded_at_ms, b.recorded_at_ms);
                prop_assert!((a.lat - b.lat).abs() <= 5e-7 + 1e-12);
                prop_assert!((a.lon - b.lon).abs() <= 5e-7 + 1e-12);
                prop_assert_eq!(a.accuracy_m.is_some(), b.accuracy_m.is_some());
                prop_assert_eq!(a.altitude_m.is_some(), b.altitude_m.is_some());
            }
        }
    }
}
