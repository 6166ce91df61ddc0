//! Web Mercator as vector tiles use it: lon/lat to the unit square (x east, y south, both
//! 0..1), and the tiles of a zoom that cover an area.

/// The latitude Web Mercator stops at (the square's edge).
pub const MAX_MERCATOR_LAT: f64 = 85.051_128_779_806_59;

/// A point on the unit Web Mercator square: x from the antimeridian eastwards, y from the north.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorldPoint {
    pub x: f64,
    pub y: f64,
}

impl WorldPoint {
    pub fn from_lon_lat(lon: f64, lat: f64) -> Self {
        let lat = lat.clamp(-MAX_MERCATOR_LAT, MAX_MERCATOR_LAT).to_radians();
        WorldPoint {
            x: (lon + 180.0) / 360.0,
            y: (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0,
        }
    }

    pub fn lon(&self) -> f64 {
        self.x * 360.0 - 180.0
    }

    pub fn lat(&self) -> f64 {
        let n = std::f64::consts::PI * (1.0 - 2.0 * self.y);
        n.sinh().atan().to_degrees()
    }
}

/// An axis-aligned box on the unit square (`min_y` is the northern edge).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorldBox {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl WorldBox {
    /// The smallest box holding every point; `None` for no points.
    pub fn around(points: impl IntoIterator<Item = WorldPoint>) -> Option<WorldBox> {
        points.into_iter().fold(None, |around, point| {
            let grown = around.unwrap_or(WorldBox {
                min_x: point.x,
                min_y: point.y,
                max_x: point.x,
                max_y: point.y,
            });
            Some(WorldBox {
                min_x: grown.min_x.min(point.x),
                min_y: grown.min_y.min(point.y),
                max_x: grown.max_x.max(point.x),
                max_y: grown.max_y.max(point.y),
            })
        })
    }

    pub fn union(&self, other: &WorldBox) -> WorldBox {
        WorldBox {
            min_x: self.min_x.min(other.min_x),
            min_y: self.min_y.min(other.min_y),
            max_x: self.max_x.max(other.max_x),
            max_y: self.max_y.max(other.max_y),
        }
    }

    /// The box grown by `margin` (unit-square lengths) on every side.
    pub fn grown(&self, margin: f64) -> WorldBox {
        WorldBox {
            min_x: (self.min_x - margin).max(0.0),
            min_y: (self.min_y - margin).max(0.0),
            max_x: (self.max_x + margin).min(1.0),
            max_y: (self.max_y + margin).min(1.0),
        }
    }

    /// The box grown by `margin` on every side, past the square's edges too (a tile's buffer).
    pub fn grown_exactly(&self, margin: f64) -> WorldBox {
        WorldBox {
            min_x: self.min_x - margin,
            min_y: self.min_y - margin,
            max_x: self.max_x + margin,
            max_y: self.max_y + margin,
        }
    }

    /// Where the two boxes overlap, if they do.
    pub fn intersection(&self, other: &WorldBox) -> Option<WorldBox> {
        self.intersects(other).then(|| WorldBox {
            min_x: self.min_x.max(other.min_x),
            min_y: self.min_y.max(other.min_y),
            max_x: self.max_x.min(other.max_x),
            max_y: self.max_y.min(other.max_y),
        })
    }

    pub fn intersects(&self, other: &WorldBox) -> bool {
        self.min_x <= other.max_x
            && other.min_x <= self.max_x
            && self.min_y <= other.max_y
            && other.min_y <= self.max_y
    }

    /// The tiles of `zoom` that overlap this box.
    pub fn tiles(&self, zoom: u8) -> TileRange {
        let count = 1u32 << zoom;
        let index = |value: f64| {
            ((value * f64::from(count)).floor() as i64).clamp(0, i64::from(count) - 1) as u32
        };
        TileRange {
            zoom,
            x: index(self.min_x)..=index(self.max_x),
            y: index(self.min_y)..=index(self.max_y),
        }
    }
}

/// A rectangle of tiles of one zoom.
#[derive(Debug, Clone, PartialEq)]
pub struct TileRange {
    pub zoom: u8,
    pub x: std::ops::RangeInclusive<u32>,
    pub y: std::ops::RangeInclusive<u32>,
}

impl TileRange {
    pub fn len(&self) -> u64 {
        u64::from(self.x.end() - self.x.start() + 1) * u64::from(self.y.end() - self.y.start() + 1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The box a tile covers on the unit square.
pub fn tile_box(zoom: u8, x: u32, y: u32) -> WorldBox {
    let size = 1.0 / f64::from(1u32 << zoom);
    WorldBox {
        min_x: f64::from(x) * size,
        min_y: f64::from(y) * size,
        max_x: f64::from(x + 1) * size,
        max_y: f64::from(y + 1) * size,
    }
}

/// Metres on the ground per unit-square length at `lat` (Web Mercator's scale factor).
pub fn metres_per_unit(lat: f64) -> f64 {
    2.0 * std::f64::consts::PI * 6_378_137.0 * lat.to_radians().cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funing_is_in_the_tile_the_slippy_map_formula_gives() {
        // 富宁县城 (105.63 E, 23.63 N): tile 12/3249/1771 by the OSM wiki's lon/lat-to-tile formula.
        let town = WorldPoint::from_lon_lat(105.63, 23.63);
        let tiles = WorldBox::around([town]).unwrap().tiles(12);
        assert_eq!((tiles.x, tiles.y), (3249..=3249, 1771..=1771));
    }

    #[test]
    fn lon_lat_come_back() {
        let point = WorldPoint::from_lon_lat(105.631_23, 23.456_78);
        assert!((point.lon() - 105.631_23).abs() < 1e-9);
        assert!((point.lat() - 23.456_78).abs() < 1e-9);
    }
}
