//! The county basemap (docs/maps.md): one PMTiles archive of vector tiles that the dashboard
//! and the phones draw with MapLibre, offline. `county-server map build` makes it from the
//! national border (open data a package ships) and the county's own trails (its posts' patrol
//! tracks), over the area the county's located entries cover; `map status` and
//! `GET /api/v1/admin/map/status` tell what was built; the archive is served with range requests.
//!
//! Invariant: the archive on disk is always a whole one (written aside, then renamed).

pub mod archive;
pub mod lines;
pub mod projection;
pub mod sources;
pub mod tiles;

use crate::error::BasemapError;
use crate::storage::dashboard::MapFilter;
use crate::SharedStorage;
use projection::{metres_per_unit, WorldBox, WorldPoint};
use serde::{Deserialize, Serialize};
use std::path::Path;
use tiles::{BasemapLayer, TileSet};

pub use archive::{archive_path, read_status};

/// The zooms the archive holds: the whole border from afar down to a trail at 1:17,000.
pub const ARCHIVE_MIN_ZOOM: u8 = 0;
pub const ARCHIVE_MAX_ZOOM: u8 = 15;
/// How far past the outermost located entry the basemap reaches, in metres.
const AREA_MARGIN_M: f64 = 5_000.0;
/// The largest area one archive covers, in degrees each way: a province's border, not the
/// world (whose zoom-15 tiles no county machine could cut).
pub const MAX_AREA_DEGREES: f64 = 12.0;

/// The deepest zoom `GET /api/v1/admin/map?zoom=` thins tracks for.
pub const MAX_THINNING_ZOOM: u8 = 18;
/// MapLibre's tiles are 512 CSS pixels: the unit square is `512 · 2^zoom` pixels across.
const MAPLIBRE_TILE_PIXELS: f64 = 512.0;

/// Thins every track to about one screen pixel at `zoom`: what the dashboard asks for at the
/// zoom it shows, instead of every GPS point of a year.
pub fn thin_tracks_for_zoom(features: &mut crate::storage::dashboard::MapFeatures, zoom: u8) {
    use crate::storage::dashboard::MapGeometry;
    let tolerance = 1.0 / (MAPLIBRE_TILE_PIXELS * f64::from(1u32 << zoom.min(MAX_THINNING_ZOOM)));
    for feature in &mut features.features {
        if let MapGeometry::LineString(points) = &mut feature.geometry {
            let world: Vec<WorldPoint> = points
                .iter()
                .map(|[lon, lat]| WorldPoint::from_lon_lat(*lon, *lat))
                .collect();
            *points = lines::simplified(&world, tolerance)
                .iter()
                .map(|point| [to_micro_degrees(point.lon()), to_micro_degrees(point.lat())])
                .collect();
        }
    }
}

/// A coordinate to 6 decimals (about 0.1 m), as the devices record them.
fn to_micro_degrees(degrees: f64) -> f64 {
    (degrees * 1e6).round() / 1e6
}

/// What the archive holds, as `map status` and the dashboard show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BasemapStatus {
    pub built: bool,
    /// The archive's content hash (16 hex digits), also its `ETag`.
    pub version: Option<String>,
    /// RFC 3339, UTC.
    pub built_at: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub tiles: u64,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// `[west, south, east, north]` in degrees.
    pub bounds: Option<[f64; 4]>,
    pub layers: Vec<BasemapLayerStatus>,
}

impl BasemapStatus {
    pub fn not_built() -> Self {
        BasemapStatus {
            built: false,
            version: None,
            built_at: None,
            bytes: 0,
            tiles: 0,
            min_zoom: ARCHIVE_MIN_ZOOM,
            max_zoom: ARCHIVE_MAX_ZOOM,
            bounds: None,
            layers: Vec::new(),
        }
    }
}

/// One layer of the archive: its name, how many source lines it has, from which zoom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BasemapLayerStatus {
    pub name: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub features: u64,
    pub min_zoom: u8,
    pub fields: Vec<String>,
}

/// The area the archive covers: `[west, south, east, north]` in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BasemapArea {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl BasemapArea {
    /// Checks the area is a real one and not larger than [`MAX_AREA_DEGREES`].
    pub fn checked(
        west: f64,
        south: f64,
        east: f64,
        north: f64,
    ) -> Result<BasemapArea, BasemapError> {
        let finite = [west, south, east, north]
            .iter()
            .all(|value| value.is_finite());
        if !finite || !(-180.0..=180.0).contains(&west) || !(-180.0..=180.0).contains(&east) {
            return Err(BasemapError::Area(
                "longitudes must be numbers from -180 to 180".into(),
            ));
        }
        if !(-85.0..=85.0).contains(&south) || !(-85.0..=85.0).contains(&north) {
            return Err(BasemapError::Area(
                "latitudes must be numbers from -85 to 85".into(),
            ));
        }
        if west >= east || south >= north {
            return Err(BasemapError::Area(
                "west must be less than east and south less than north".into(),
            ));
        }
        if east - west > MAX_AREA_DEGREES || north - south > MAX_AREA_DEGREES {
            return Err(BasemapError::Area(format!(
                "{:.1}° × {:.1}° is larger than one archive covers ({MAX_AREA_DEGREES}° each way)",
                east - west,
                north - south
            )));
        }
        Ok(BasemapArea {
            west,
            south,
            east,
            north,
        })
    }

    fn world_box(&self) -> WorldBox {
        let north_west = WorldPoint::from_lon_lat(self.west, self.north);
        let south_east = WorldPoint::from_lon_lat(self.east, self.south);
        WorldBox {
            min_x: north_west.x,
            min_y: north_west.y,
            max_x: south_east.x,
            max_y: south_east.y,
        }
    }
}

/// Builds the county's archive into `data_dir` over `area`, or, when none is given, over the
/// county's located entries and tracks with a margin of [`AREA_MARGIN_M`].
pub async fn build_basemap(
    storage: &SharedStorage,
    data_dir: &Path,
    area: Option<BasemapArea>,
) -> Result<BasemapStatus, BasemapError> {
    // One read: the located entries give the area, and their tracks (patrols are the only
    // lines) the trails.
    let located = storage.map_features(MapFilter::default()).await?;
    let area = match area {
        Some(area) => area,
        None => area_of(&located)?,
    };
    let layers = vec![sources::border_layer()?, sources::trails_layer(&located)];
    let data_dir = data_dir.to_path_buf();
    tokio::task::spawn_blocking(move || cut_and_write(&data_dir, &layers, &area))
        .await
        .map_err(|error| BasemapError::Source(format!("the tile cutter stopped: {error}")))?
}

fn cut_and_write(
    data_dir: &Path,
    layers: &[BasemapLayer],
    area: &BasemapArea,
) -> Result<BasemapStatus, BasemapError> {
    let world_area = area.world_box();
    let tiles = TileSet::cut(layers, &world_area);
    let statuses = layers
        .iter()
        .map(|layer| BasemapLayerStatus {
            name: layer.name.to_string(),
            features: layer.lines.len() as u64,
            min_zoom: *layer.zooms.start(),
            fields: layer
                .lines
                .first()
                .map(|line| line.tags.iter().map(|(key, _)| key.to_string()).collect())
                .unwrap_or_default(),
        })
        .collect();
    archive::write_archive(data_dir, &tiles, area, statuses)
}

/// The box around every located entry and track point, grown by the margin.
fn area_of(located: &crate::storage::dashboard::MapFeatures) -> Result<BasemapArea, BasemapError> {
    use crate::storage::dashboard::MapGeometry;
    let points = located
        .features
        .iter()
        .flat_map(|feature| match &feature.geometry {
            MapGeometry::Point { lon, lat } => vec![[*lon, *lat]],
            MapGeometry::LineString(points) => points.clone(),
        });
    let (mut west, mut south, mut east, mut north) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for [lon, lat] in points {
        west = west.min(lon);
        east = east.max(lon);
        south = south.min(lat);
        north = north.max(lat);
    }
    if west > east {
        return Err(BasemapError::Area(
            "no entry has a position yet: give the area with --area WEST,SOUTH,EAST,NORTH".into(),
        ));
    }
    let middle_lat = (south + north) / 2.0;
    let margin_lat = AREA_MARGIN_M / 111_320.0;
    let margin_lon = AREA_MARGIN_M / (metres_per_unit(middle_lat) / 360.0);
    BasemapArea::checked(
        (west - margin_lon).max(-180.0),
        (south - margin_lat).max(-85.0),
        (east + margin_lon).min(180.0),
        (north + margin_lat).min(85.0),
    )
}
