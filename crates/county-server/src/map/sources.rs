//! What the basemap is made of: the national border from open data (the world-atlas package's
//! Natural Earth lines, cut by ui/scripts/borderLines.mjs) and the county's own trails (its
//! posts' patrol tracks).

use super::projection::WorldPoint;
use super::tiles::{BasemapLayer, BasemapLine};
use crate::error::BasemapError;
use crate::storage::dashboard::{MapFeatures, MapGeometry};
use serde::Deserialize;

/// The south-western national border lines (GeoJSON), from `ui/scripts/borderLines.mjs`.
const BORDER_LINES: &str = include_str!("border_lines.geojson");

/// The layer names the dashboard's and the phone's map styles draw.
pub const BORDER_LAYER: &str = "border";
pub const TRAILS_LAYER: &str = "trails";

/// The zooms a border line is drawn at: all of them.
const BORDER_ZOOMS: std::ops::RangeInclusive<u8> = 0..=15;
/// Trails are only worth drawing from the zoom a post's area fills a screen.
const TRAIL_ZOOMS: std::ops::RangeInclusive<u8> = 10..=15;

#[derive(Deserialize)]
struct LineCollection {
    features: Vec<LineFeature>,
}

#[derive(Deserialize)]
struct LineFeature {
    properties: LineProperties,
    geometry: MultiLine,
}

#[derive(Deserialize)]
struct LineProperties {
    name: String,
}

#[derive(Deserialize)]
struct MultiLine {
    coordinates: Vec<Vec<[f64; 2]>>,
}

fn world_line(points: &[[f64; 2]]) -> Vec<WorldPoint> {
    points
        .iter()
        .map(|[lon, lat]| WorldPoint::from_lon_lat(*lon, *lat))
        .collect()
}

/// The national border, one line per stretch, tagged with its name (中国—越南边界…).
pub fn border_layer() -> Result<BasemapLayer, BasemapError> {
    let collection: LineCollection = serde_json::from_str(BORDER_LINES)
        .map_err(|error| BasemapError::Source(format!("border lines: {error}")))?;
    let lines = collection
        .features
        .iter()
        .flat_map(|feature| {
            feature.geometry.coordinates.iter().map(|line| BasemapLine {
                tags: vec![("name", feature.properties.name.clone())],
                points: world_line(line),
            })
        })
        .collect();
    Ok(BasemapLayer {
        name: BORDER_LAYER,
        zooms: BORDER_ZOOMS,
        lines,
    })
}

/// The posts' patrol tracks (the lines among the located entries) as trails, tagged with
/// their post.
pub fn trails_layer(located: &MapFeatures) -> BasemapLayer {
    let lines = located
        .features
        .iter()
        .filter_map(|feature| match &feature.geometry {
            MapGeometry::LineString(points) => Some(BasemapLine {
                tags: vec![
                    ("post_id", feature.post_id.to_string()),
                    ("post_name", feature.post_name.clone()),
                ],
                points: world_line(points),
            }),
            MapGeometry::Point { .. } => None,
        })
        .collect();
    BasemapLayer {
        name: TRAILS_LAYER,
        zooms: TRAIL_ZOOMS,
        lines,
    }
}
