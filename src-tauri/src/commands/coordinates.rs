//! Coordinates a member typed from a Chinese web map: Gaode and Tencent show GCJ-02, Baidu
//! BD-09, and entries store WGS-84. The conversion is `patrol_model::datum`'s; this is only its
//! adapter, and it needs no member unlocked (it reads and writes nothing).

use patrol_model::datum;
use serde::Serialize;
use serde_json::Value;

use super::input;
use crate::AppError;

/// A WGS-84 position, `{lat, lon}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Wgs84Position {
    pub lat: f64,
    pub lon: f64,
}

/// `{lat, lon}` in `datum` (`wgs84`, `gcj02`, `bd09`) → the WGS-84 `{lat, lon}` to store. A bad
/// number or datum is `invalid` naming `lat`, `lon` or `datum`.
#[tauri::command]
pub async fn convert_to_wgs84(
    lat: Value,
    lon: Value,
    datum: Value,
) -> Result<Wgs84Position, AppError> {
    let lat = input::latitude(&lat, "lat")?;
    let lon = input::longitude(&lon, "lon")?;
    let datum = input::coordinate_datum(&datum, "datum")?;
    let (lat, lon) = datum::to_wgs84(datum, lat, lon);
    Ok(Wgs84Position { lat, lon })
}
