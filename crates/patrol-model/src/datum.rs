//! The coordinate datums a member may copy a position from, and the conversions to and from the
//! WGS-84 an entry stores.
//!
//! Chinese web maps do not show WGS-84: Gaode (高德) and Tencent (腾讯) show GCJ-02 (国测局坐标,
//! "Mars coordinates"), an obfuscation of WGS-84 by a few hundred metres, and Baidu (百度) shows
//! BD-09, a further shift of GCJ-02. The formulas are the ones published in the open-source
//! eviltransform (github.com/googollee/eviltransform) and coordtransform
//! (github.com/wandergis/coordtransform) libraries, with their constants: the Krasovsky 1940
//! semi-major axis `a = 6378245.0`, `ee = 0.00669342162296594323` and Baidu's
//! `x_pi = π·3000/180`.
//!
//! **Outside mainland China GCJ-02 equals WGS-84**: a point outside the usual bounding box
//! (longitude 72.004–137.8347, latitude 0.8293–55.8271, [`out_of_china`]) is left unchanged by
//! [`wgs84_to_gcj02`] and [`gcj02_to_wgs84`]. The box is coarse (it holds parts of Vietnam,
//! Laos and Myanmar), as in the published formulas: a point just across Funing's border is
//! still shifted, whatever a map shows there. BD-09 is defined over GCJ-02 and its shift
//! ([`gcj02_to_bd09`]) applies everywhere.
//!
//! [`wgs84_to_gcj02`] and [`gcj02_to_bd09`] are the published forward formulas. Their inverses
//! here are exact by iteration, not the published one-step approximations (which miss by up to
//! 4 m for GCJ-02 — 0.2 m around Funing — and 0.2 m for BD-09): each iterates until the forward
//! formula gives back its input to within 1e-9 degrees (0.1 mm).
//!
//! No IO: plain functions of numbers.

use crate::body::codes::domain_code;

domain_code! {
    /// The datum of coordinates a member typed: a GPS's WGS-84 (what entries store), or copied
    /// from Gaode / Tencent maps (GCJ-02) or from Baidu maps (BD-09).
    CoordinateDatum ("坐标来源", "coordinate source") {
        Wgs84 = "wgs84" "GPS / WGS-84" "GPS / WGS-84",
        Gcj02 = "gcj02" "高德·腾讯 (GCJ-02)" "Gaode / Tencent (GCJ-02)",
        Bd09 = "bd09" "百度 (BD-09)" "Baidu (BD-09)",
    }
}

/// Semi-major axis of the Krasovsky 1940 ellipsoid the GCJ-02 formula uses, in metres.
const A: f64 = 6_378_245.0;
/// Eccentricity squared of the GCJ-02 formula.
#[allow(clippy::excessive_precision)]
const EE: f64 = 0.006_693_421_622_965_943_23;
/// Baidu's constant: π·3000/180.
const X_PI: f64 = std::f64::consts::PI * 3000.0 / 180.0;

/// How close (degrees) an inverse's forward image must come back to its input: 1e-9° ≈ 0.1 mm.
const INVERSE_TOLERANCE_DEG: f64 = 1e-9;
/// Iterations an inverse takes at most; it converges in a handful (the shift varies slowly).
const INVERSE_MAX_ITERATIONS: usize = 30;

/// Whether the point lies outside the bounding box within which GCJ-02 differs from WGS-84.
pub fn out_of_china(lat: f64, lon: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

fn transform_lon(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

/// WGS-84 → GCJ-02 (the published forward formula). Outside mainland China ([`out_of_china`])
/// GCJ-02 equals WGS-84 and the point is returned unchanged. Returns `(lat, lon)`.
pub fn wgs84_to_gcj02(lat: f64, lon: f64) -> (f64, f64) {
    if out_of_china(lat, lon) {
        return (lat, lon);
    }
    let d_lat = transform_lat(lon - 105.0, lat - 35.0);
    let d_lon = transform_lon(lon - 105.0, lat - 35.0);
    let rad_lat = lat.to_radians();
    let magic = 1.0 - EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let d_lat = (d_lat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * std::f64::consts::PI);
    let d_lon = (d_lon * 180.0) / (A / sqrt_magic * rad_lat.cos() * std::f64::consts::PI);
    (lat + d_lat, lon + d_lon)
}

/// GCJ-02 → WGS-84, the exact inverse of [`wgs84_to_gcj02`] by fixed-point iteration (to
/// within 1e-9°, not the one-step approximation that misses by up to 4 m). Outside mainland
/// China GCJ-02 equals WGS-84 and the point is returned unchanged. Returns `(lat, lon)`.
pub fn gcj02_to_wgs84(lat: f64, lon: f64) -> (f64, f64) {
    if out_of_china(lat, lon) {
        return (lat, lon);
    }
    invert(wgs84_to_gcj02, lat, lon, (lat, lon))
}

/// GCJ-02 → BD-09 (Baidu's published forward formula). Returns `(lat, lon)`.
pub fn gcj02_to_bd09(lat: f64, lon: f64) -> (f64, f64) {
    let (x, y) = (lon, lat);
    let z = x.hypot(y) + 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) + 0.000003 * (x * X_PI).cos();
    (z * theta.sin() + 0.006, z * theta.cos() + 0.0065)
}

/// The published one-step BD-09 → GCJ-02 (coordtransform's `bd09togcj02`), the start of the
/// exact inverse.
fn bd09_to_gcj02_approximate(lat: f64, lon: f64) -> (f64, f64) {
    let (x, y) = (lon - 0.0065, lat - 0.006);
    let z = x.hypot(y) - 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) - 0.000003 * (x * X_PI).cos();
    (z * theta.sin(), z * theta.cos())
}

/// BD-09 → GCJ-02, the exact inverse of [`gcj02_to_bd09`]: the published one-step formula,
/// refined by iteration to better than 1e-9°. Returns `(lat, lon)`.
pub fn bd09_to_gcj02(lat: f64, lon: f64) -> (f64, f64) {
    invert(gcj02_to_bd09, lat, lon, bd09_to_gcj02_approximate(lat, lon))
}

/// Solves `forward(p) = (lat, lon)` for `p` from `start` by fixed-point iteration
/// `p ← p + (target − forward(p))`. It converges because both forward formulas are the identity
/// plus a small, slowly varying shift (its derivatives are of the order of 1e-3).
fn invert(
    forward: impl Fn(f64, f64) -> (f64, f64),
    lat: f64,
    lon: f64,
    start: (f64, f64),
) -> (f64, f64) {
    let (mut p_lat, mut p_lon) = start;
    for _ in 0..INVERSE_MAX_ITERATIONS {
        let (f_lat, f_lon) = forward(p_lat, p_lon);
        let (e_lat, e_lon) = (lat - f_lat, lon - f_lon);
        if e_lat.abs() < INVERSE_TOLERANCE_DEG && e_lon.abs() < INVERSE_TOLERANCE_DEG {
            break;
        }
        p_lat += e_lat;
        p_lon += e_lon;
    }
    (p_lat, p_lon)
}

/// Coordinates in `datum` → WGS-84, as an entry stores them. Returns `(lat, lon)`.
pub fn to_wgs84(datum: CoordinateDatum, lat: f64, lon: f64) -> (f64, f64) {
    match datum {
        CoordinateDatum::Wgs84 => (lat, lon),
        CoordinateDatum::Gcj02 => gcj02_to_wgs84(lat, lon),
        CoordinateDatum::Bd09 => {
            let (lat, lon) = bd09_to_gcj02(lat, lon);
            gcj02_to_wgs84(lat, lon)
        }
    }
}

/// WGS-84 → coordinates in `datum` (e.g. to find a stored point on a Gaode map). Returns
/// `(lat, lon)`.
pub fn from_wgs84(datum: CoordinateDatum, lat: f64, lon: f64) -> (f64, f64) {
    match datum {
        CoordinateDatum::Wgs84 => (lat, lon),
        CoordinateDatum::Gcj02 => wgs84_to_gcj02(lat, lon),
        CoordinateDatum::Bd09 => {
            let (lat, lon) = wgs84_to_gcj02(lat, lon);
            gcj02_to_bd09(lat, lon)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::DomainCode;
    use crate::location::haversine_m;

    /// eviltransform's test points (github.com/googollee/eviltransform, go/transform_test.go and
    /// python/test.py `TESTS`): (wgs lat, wgs lon, gcj lat, gcj lon). The Go version, which
    /// uses a = 6378245, checks them to 5 decimals; the Python one to 6.
    const EVILTRANSFORM: [(&str, f64, f64, f64, f64); 3] = [
        (
            "shanghai",
            31.1774276,
            121.5272106,
            31.17530398364597,
            121.531541859215,
        ),
        (
            "shenzhen",
            22.543847,
            113.912316,
            22.540796131694766,
            113.9171764808363,
        ),
        (
            "beijing",
            39.911954,
            116.377817,
            39.91334545536069,
            116.38404722455657,
        ),
    ];

    fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
        haversine_m(a.0, a.1, b.0, b.1)
    }

    #[test]
    fn wgs84_to_gcj02_matches_eviltransform() {
        for (city, wgs_lat, wgs_lon, gcj_lat, gcj_lon) in EVILTRANSFORM {
            let got = wgs84_to_gcj02(wgs_lat, wgs_lon);
            assert!(
                (got.0 - gcj_lat).abs() < 1e-6 && (got.1 - gcj_lon).abs() < 1e-6,
                "{city}: {got:?} vs ({gcj_lat}, {gcj_lon})"
            );
            assert!(metres(got, (gcj_lat, gcj_lon)) < 0.05, "{city}");
        }
    }

    #[test]
    fn gcj02_to_wgs84_is_the_exact_inverse_on_eviltransform_points() {
        for (city, wgs_lat, wgs_lon, gcj_lat, gcj_lon) in EVILTRANSFORM {
            let got = gcj02_to_wgs84(gcj_lat, gcj_lon);
            // eviltransform's own exact inverse is held to 0.5 m; this one to 5 cm (the
            // published GCJ values are themselves rounded at about 1 cm).
            let off = metres(got, (wgs_lat, wgs_lon));
            assert!(off < 0.05, "{city}: {got:?} is {off} m off");
        }
    }

    /// coordtransform's test vectors (github.com/wandergis/coordtransform, test/app.js, which
    /// is lon first): `wgs84togcj02(116.404, 39.915)` and `gcj02towgs84(116.404, 39.915)`.
    #[test]
    fn gcj02_matches_coordtransform() {
        let gcj = wgs84_to_gcj02(39.915, 116.404);
        assert!(
            (gcj.0 - 39.91640428150164).abs() < 1e-12 && (gcj.1 - 116.41024449916938).abs() < 1e-12,
            "{gcj:?}"
        );
        // coordtransform's gcj02towgs84 is the one-step approximation: 0.06 m from the exact
        // inverse here, and its GCJ-02 image misses the point by as much; the exact inverse
        // gives the point back to within 0.1 mm.
        let one_step = (39.91359571849836, 116.39775550083061);
        let wgs = gcj02_to_wgs84(39.915, 116.404);
        let off = metres(wgs, one_step);
        assert!(off < 0.1, "{wgs:?} is {off} m from the one-step answer");
        let target = (39.915, 116.404);
        assert!(metres(wgs84_to_gcj02(wgs.0, wgs.1), target) < 0.000_1);
        assert!(metres(wgs84_to_gcj02(one_step.0, one_step.1), target) > 0.01);
    }

    /// coordtransform's BD-09 vectors (same file): `gcj02tobd09(116.404, 39.915)` and
    /// `bd09togcj02(116.404, 39.915)`.
    ///
    /// eviltransform's `TESTS_bd` (python/test.py) are not used: neither this formula nor
    /// eviltransform's own `bd2wgs` reproduces them (10 m and 41 m apart), so they are not
    /// answers of the published formula.
    #[test]
    fn bd09_matches_coordtransform() {
        let bd = gcj02_to_bd09(39.915, 116.404);
        assert!(
            (bd.0 - 39.92133699351021).abs() < 1e-12 && (bd.1 - 116.41036949371029).abs() < 1e-12,
            "{bd:?}"
        );
        // coordtransform's bd09togcj02 is the one-step approximation; the exact inverse is
        // within 0.1 m of it (measured 0.048 m) and gives back the BD-09 point exactly.
        let one_step = (39.90865673957631, 116.39762729119315);
        let got = bd09_to_gcj02_approximate(39.915, 116.404);
        assert!(metres(got, one_step) < 0.000_1, "{got:?}");
        let gcj = bd09_to_gcj02(39.915, 116.404);
        assert!(metres(gcj, one_step) < 0.1, "{gcj:?}");
        let back = gcj02_to_bd09(gcj.0, gcj.1);
        assert!(metres(back, (39.915, 116.404)) < 0.000_1, "{back:?}");
    }

    #[test]
    fn round_trips_within_a_ten_millionth_of_a_degree() {
        // A grid over Yunnan and the rest of China, and the eviltransform points.
        let mut points: Vec<(f64, f64)> = EVILTRANSFORM.iter().map(|p| (p.1, p.2)).collect();
        for i in 0..=20 {
            for j in 0..=20 {
                points.push((18.0 + i as f64 * 1.7, 73.0 + j as f64 * 3.2));
            }
        }
        for (lat, lon) in points {
            for datum in CoordinateDatum::ALL.iter().copied() {
                let there = from_wgs84(datum, lat, lon);
                let back = to_wgs84(datum, there.0, there.1);
                assert!(
                    (back.0 - lat).abs() < 1e-7 && (back.1 - lon).abs() < 1e-7,
                    "{datum}: ({lat}, {lon}) came back as {back:?}"
                );
                assert!(metres(back, (lat, lon)) < 0.01, "{datum}: ({lat}, {lon})");
            }
        }
    }

    #[test]
    fn outside_china_gcj02_is_wgs84() {
        // Paris, Tokyo, Sydney.
        for (lat, lon) in [(48.8566, 2.3522), (35.6762, 139.6503), (-33.8688, 151.2093)] {
            assert!(out_of_china(lat, lon));
            assert_eq!(wgs84_to_gcj02(lat, lon), (lat, lon));
            assert_eq!(gcj02_to_wgs84(lat, lon), (lat, lon));
            assert_eq!(to_wgs84(CoordinateDatum::Gcj02, lat, lon), (lat, lon));
        }
    }

    #[test]
    fn funing_is_shifted_by_a_few_hundred_metres() {
        // Funing county (富宁县), Wenshan, on the Vietnamese border.
        let (lat, lon) = (23.5, 105.6);
        assert!(!out_of_china(lat, lon));
        let gcj = wgs84_to_gcj02(lat, lon);
        let offset = metres(gcj, (lat, lon));
        assert!((100.0..700.0).contains(&offset), "{offset} m");
        let back = gcj02_to_wgs84(gcj.0, gcj.1);
        assert!(metres(back, (lat, lon)) < 0.01);
    }

    #[test]
    fn wgs84_is_unchanged_both_ways() {
        assert_eq!(to_wgs84(CoordinateDatum::Wgs84, 23.5, 105.6), (23.5, 105.6));
        assert_eq!(
            from_wgs84(CoordinateDatum::Wgs84, 23.5, 105.6),
            (23.5, 105.6)
        );
    }

    #[test]
    fn datum_codes_are_snake_case() {
        let codes: Vec<String> = CoordinateDatum::ALL
            .iter()
            .map(|datum| serde_json::to_string(datum).unwrap())
            .collect();
        assert_eq!(codes, ["\"wgs84\"", "\"gcj02\"", "\"bd09\""]);
        let datum: CoordinateDatum = serde_json::from_str("\"gcj02\"").unwrap();
        assert_eq!(datum, CoordinateDatum::Gcj02);
        assert!(serde_json::from_str::<CoordinateDatum>("\"GCJ02\"").is_err());
    }
}
