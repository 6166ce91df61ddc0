//! The basemap's lines cut into vector tiles: each line thinned for each zoom, clipped to each
//! tile it crosses (with a small buffer so strokes join across tile edges), and encoded as MVT.

use super::lines::{clipped, simplified};
use super::projection::{tile_box, WorldBox, WorldPoint};
use crate::error::BasemapError;
use mvt::{GeomEncoder, GeomType, Tile as VectorTile};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// Units across a tile, as MapLibre expects by default.
pub const TILE_EXTENT: u32 = 4096;
/// The buffer around each tile, in tile units: strokes overlap instead of ending at the edge.
const TILE_BUFFER: f64 = 64.0;
/// How far a thinned line may stray, in tile units (4096 per tile, about 8 per screen pixel).
const SIMPLIFY_TOLERANCE: f64 = 4.0;

/// One line of a layer, with its tags (string properties).
#[derive(Debug, Clone)]
pub struct BasemapLine {
    pub tags: Vec<(&'static str, String)>,
    pub points: Vec<WorldPoint>,
}

/// A layer of lines and the zooms it is drawn at.
#[derive(Debug, Clone)]
pub struct BasemapLayer {
    pub name: &'static str,
    pub zooms: RangeInclusive<u8>,
    pub lines: Vec<BasemapLine>,
}

/// A tile's (zoom, x, y) and its MVT bytes.
pub type EncodedTile = ((u8, u32, u32), Vec<u8>);

/// One tile's address.
#[derive(Debug, Clone, Copy)]
struct Tile {
    zoom: u8,
    x: u32,
    y: u32,
}

impl Tile {
    fn children(self) -> [Tile; 4] {
        let (zoom, x, y) = (self.zoom + 1, self.x * 2, self.y * 2);
        [
            Tile { zoom, x, y },
            Tile { zoom, x: x + 1, y },
            Tile { zoom, x, y: y + 1 },
            Tile {
                zoom,
                x: x + 1,
                y: y + 1,
            },
        ]
    }

    fn world_box(self) -> WorldBox {
        tile_box(self.zoom, self.x, self.y)
    }

    /// Tile units per unit-square length at this tile's zoom.
    fn scale(self) -> f64 {
        f64::from(1u32 << self.zoom) * f64::from(TILE_EXTENT)
    }
}

/// A line's parts inside one tile, in tile units.
struct TileLine<'a> {
    layer: &'static str,
    tags: &'a [(&'static str, String)],
    parts: Vec<Vec<(i32, i32)>>,
}

/// Every tile of the basemap with what it holds, by (zoom, x, y).
pub struct TileSet<'a> {
    tiles: BTreeMap<(u8, u32, u32), Vec<TileLine<'a>>>,
}

impl<'a> TileSet<'a> {
    /// Cuts every layer's lines into the tiles that cover `area`.
    pub fn cut(layers: &'a [BasemapLayer], area: &WorldBox) -> TileSet<'a> {
        let mut set = TileSet {
            tiles: BTreeMap::new(),
        };
        for layer in layers {
            for line in &layer.lines {
                let whole = Tile {
                    zoom: 0,
                    x: 0,
                    y: 0,
                };
                set.descend(layer, line, whole, vec![line.points.clone()], area);
            }
        }
        set
    }

    /// Adds `parts` (the line at full detail, clipped to `tile` and its buffer) to `tile` when
    /// the layer is drawn at its zoom, then hands each child tile inside `area` its share: each
    /// point is clipped once per zoom, not once per tile of the line's extent.
    fn descend(
        &mut self,
        layer: &'a BasemapLayer,
        line: &'a BasemapLine,
        tile: Tile,
        parts: Vec<Vec<WorldPoint>>,
        area: &WorldBox,
    ) {
        if layer.zooms.contains(&tile.zoom) {
            self.add_parts(layer.name, line, tile, &parts);
        }
        if tile.zoom >= *layer.zooms.end() {
            return;
        }
        for child in tile.children() {
            let child_box = child.world_box();
            if !child_box.intersects(area) {
                continue;
            }
            let buffered = child_box.grown_exactly(TILE_BUFFER / child.scale());
            let child_parts: Vec<Vec<WorldPoint>> = parts
                .iter()
                .flat_map(|part| clipped(part, &buffered))
                .collect();
            if !child_parts.is_empty() {
                self.descend(layer, line, child, child_parts, area);
            }
        }
    }

    fn add_parts(
        &mut self,
        layer: &'static str,
        line: &'a BasemapLine,
        tile: Tile,
        parts: &[Vec<WorldPoint>],
    ) {
        let scale = tile.scale();
        let origin = tile.world_box();
        let in_tile_units = |point: &WorldPoint| {
            (
                ((point.x - origin.min_x) * scale).round() as i32,
                ((point.y - origin.min_y) * scale).round() as i32,
            )
        };
        let parts: Vec<Vec<(i32, i32)>> = parts
            .iter()
            .map(|part| {
                let mut units: Vec<(i32, i32)> = simplified(part, SIMPLIFY_TOLERANCE / scale)
                    .iter()
                    .map(in_tile_units)
                    .collect();
                units.dedup();
                units
            })
            .filter(|units| units.len() >= 2)
            .collect();
        if parts.is_empty() {
            return;
        }
        self.tiles
            .entry((tile.zoom, tile.x, tile.y))
            .or_default()
            .push(TileLine {
                layer,
                tags: &line.tags,
                parts,
            });
    }

    pub fn len(&self) -> usize {
        self.tiles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tiles.is_empty()
    }

    /// Each tile as MVT bytes (not compressed), by (zoom, x, y).
    pub fn encoded(&self) -> impl Iterator<Item = Result<EncodedTile, BasemapError>> + '_ {
        self.tiles
            .iter()
            .map(|(coordinates, lines)| Ok((*coordinates, encode_tile(lines)?)))
    }
}

fn encode_tile(lines: &[TileLine<'_>]) -> Result<Vec<u8>, BasemapError> {
    let mut tile = VectorTile::new(TILE_EXTENT);
    let mut by_layer: BTreeMap<&'static str, Vec<&TileLine<'_>>> = BTreeMap::new();
    for line in lines {
        by_layer.entry(line.layer).or_default().push(line);
    }
    for (name, lines) in by_layer {
        let mut layer = tile.create_layer(name);
        for (index, line) in lines.into_iter().enumerate() {
            let mut encoder = GeomEncoder::<i32>::new(GeomType::Linestring);
            for part in &line.parts {
                for &(x, y) in part {
                    encoder.add_point(x, y)?;
                }
                encoder.complete_geom()?;
            }
            let mut feature = layer.into_feature(encoder.encode()?);
            feature.set_id(index as u64 + 1);
            for (key, value) in line.tags {
                feature.add_tag_string(key, value);
            }
            layer = feature.into_layer();
        }
        tile.add_layer(layer)?;
    }
    Ok(tile.to_bytes()?)
}
