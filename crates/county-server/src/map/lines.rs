//! Lines cut to a box and thinned to what a zoom can show.

use super::projection::{WorldBox, WorldPoint};
use geo::{LineString, Simplify};

/// Ramer–Douglas–Peucker: the fewest points that stay within `tolerance` of the line
/// (unit-square lengths). The ends are kept.
pub fn simplified(line: &[WorldPoint], tolerance: f64) -> Vec<WorldPoint> {
    if line.len() < 3 {
        return line.to_vec();
    }
    let line: LineString<f64> = line.iter().map(|point| (point.x, point.y)).collect();
    line.simplify(tolerance)
        .points()
        .map(|point| WorldPoint {
            x: point.x(),
            y: point.y(),
        })
        .collect()
}

/// The parts of `line` inside `area`, each of at least two points, in order.
pub fn clipped(line: &[WorldPoint], area: &WorldBox) -> Vec<Vec<WorldPoint>> {
    let mut parts: Vec<Vec<WorldPoint>> = Vec::new();
    let mut current: Vec<WorldPoint> = Vec::new();
    for pair in line.windows(2) {
        match clipped_segment(pair[0], pair[1], area) {
            Some((start, end)) => {
                if current.last() != Some(&start) {
                    finish_part(&mut parts, &mut current);
                    current.push(start);
                }
                current.push(end);
                if end != pair[1] {
                    finish_part(&mut parts, &mut current);
                }
            }
            None => finish_part(&mut parts, &mut current),
        }
    }
    finish_part(&mut parts, &mut current);
    parts
}

fn finish_part(parts: &mut Vec<Vec<WorldPoint>>, current: &mut Vec<WorldPoint>) {
    if current.len() >= 2 {
        parts.push(std::mem::take(current));
    } else {
        current.clear();
    }
}

/// Liang–Barsky: the part of the segment from `a` to `b` inside `area`, if any.
fn clipped_segment(
    a: WorldPoint,
    b: WorldPoint,
    area: &WorldBox,
) -> Option<(WorldPoint, WorldPoint)> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut enter, mut leave) = (0.0_f64, 1.0_f64);
    let edges = [
        (-dx, a.x - area.min_x),
        (dx, area.max_x - a.x),
        (-dy, a.y - area.min_y),
        (dy, area.max_y - a.y),
    ];
    for (p, q) in edges {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                enter = enter.max(t);
            } else {
                leave = leave.min(t);
            }
        }
    }
    if enter > leave {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            WorldPoint {
                x: a.x + t * dx,
                y: a.y + t * dy,
            }
        }
    };
    Some((at(enter), at(leave)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(x: f64, y: f64) -> WorldPoint {
        WorldPoint { x, y }
    }

    const UNIT: WorldBox = WorldBox {
        min_x: 0.0,
        min_y: 0.0,
        max_x: 1.0,
        max_y: 1.0,
    };

    #[test]
    fn a_line_leaving_and_coming_back_is_two_parts() {
        let line = [
            point(0.5, 0.5),
            point(1.5, 0.5),
            point(1.5, 0.8),
            point(0.5, 0.8),
        ];
        let parts = clipped(&line, &UNIT);
        assert_eq!(
            parts,
            vec![
                vec![point(0.5, 0.5), point(1.0, 0.5)],
                vec![point(1.0, 0.8), point(0.5, 0.8)]
            ]
        );
    }

    #[test]
    fn a_line_inside_is_kept_whole_and_one_outside_is_dropped() {
        let inside = [point(0.1, 0.1), point(0.2, 0.3), point(0.4, 0.2)];
        assert_eq!(clipped(&inside, &UNIT), vec![inside.to_vec()]);
        assert!(clipped(&[point(2.0, 2.0), point(3.0, 2.0)], &UNIT).is_empty());
    }

    #[test]
    fn a_crossing_segment_is_cut_at_both_edges() {
        let parts = clipped(&[point(-1.0, 0.5), point(2.0, 0.5)], &UNIT);
        assert_eq!(parts, vec![vec![point(0.0, 0.5), point(1.0, 0.5)]]);
    }

    #[test]
    fn simplifying_drops_points_within_the_tolerance_only() {
        let line = [
            point(0.0, 0.0),
            point(0.5, 0.001),
            point(1.0, 0.0),
            point(1.0, 1.0),
        ];
        assert_eq!(
            simplified(&line, 0.01),
            vec![point(0.0, 0.0), point(1.0, 0.0), point(1.0, 1.0)]
        );
        assert_eq!(simplified(&line, 0.0001).len(), 4);
    }
}
