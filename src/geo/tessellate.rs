//! One-time triangulation into plain buffers the UI turns into cached meshes.

use super::world::Rings;
use ::geo::{LineString, Polygon, TriangulateEarcut};

/// Filled polygons: triangles over projected positions, each vertex tagged with its country
/// (an index into `WorldMap::countries`) so colours can be applied without re-triangulating.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fill {
    pub positions: Vec<[f32; 2]>,
    pub indices: Vec<u32>,
    pub country: Vec<u16>,
}

/// Thin anti-aliased polylines: every point yields three vertices (left edge, centre, right edge).
/// Screen position = projected position scaled, plus `offset` × feather width in pixels, so the
/// line keeps its pixel width at any zoom without re-tessellating. Centre vertices carry the
/// colour, edge vertices are transparent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lines {
    pub positions: Vec<[f32; 2]>,
    /// In projected axes (y north): flip y for screen space.
    pub offsets: Vec<[f32; 2]>,
    pub indices: Vec<u32>,
}

impl Lines {
    /// Whether vertex `i` is a centre vertex (the others are the transparent edges).
    pub fn is_centre(i: usize) -> bool {
        i % 3 == 1
    }
}

/// Triangulates every polygon of `rings` (holes included) with earcut.
pub fn triangulate(rings: &Rings) -> Fill {
    let mut fill = Fill::default();
    for poly in &rings.polygons {
        let mut it = poly.rings.clone().map(|r| rings.ring(r));
        let Some(exterior) = it.next() else { continue };
        if exterior.len() < 4 {
            continue;
        }
        let holes: Vec<LineString<f64>> = it
            .filter(|h| h.len() >= 4)
            .map(|h| LineString::from(h.to_vec()))
            .collect();
        let polygon = Polygon::new(LineString::from(exterior.to_vec()), holes);
        let raw = polygon.earcut_triangles_raw();
        let base = fill.positions.len() as u32;
        fill.positions
            .extend(raw.vertices.iter().map(|v| [v[0] as f32, v[1] as f32]));
        fill.country
            .extend(std::iter::repeat_n(poly.country, raw.vertices.len()));
        fill.indices
            .extend(raw.triangle_indices.iter().map(|&i| base + i as u32));
    }
    fill
}

/// Triangulates one closed ring (the map's backdrop).
pub fn triangulate_ring(ring: &[[f64; 2]]) -> Fill {
    let mut rings = Rings::default();
    rings.push_polygon(0, std::iter::once(ring.to_vec()));
    triangulate(&rings)
}

/// Tessellates polylines as thin feathered strips (see [`Lines`]).
pub fn thin_lines<'a>(polylines: impl IntoIterator<Item = &'a [[f64; 2]]>) -> Lines {
    let mut out = Lines::default();
    let mut pts: Vec<[f64; 2]> = Vec::new();
    for line in polylines {
        pts.clear();
        for &p in line {
            if pts.last() != Some(&p) {
                pts.push(p);
            }
        }
        if pts.len() >= 2 {
            add_polyline(&mut out, &pts);
        }
    }
    out
}

fn seg_normal(a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len = (dx * dx + dy * dy).sqrt();
    if len > 0.0 {
        [-dy / len, dx / len]
    } else {
        [0.0, 0.0]
    }
}

fn add_polyline(out: &mut Lines, pts: &[[f64; 2]]) {
    let n = pts.len();
    let closed = n > 3 && pts[0] == pts[n - 1];
    let base = out.positions.len() as u32;
    for i in 0..n {
        let prev = if i > 0 {
            Some(seg_normal(pts[i - 1], pts[i]))
        } else if closed {
            Some(seg_normal(pts[n - 2], pts[n - 1]))
        } else {
            None
        };
        let next = if i + 1 < n {
            Some(seg_normal(pts[i], pts[i + 1]))
        } else if closed {
            Some(seg_normal(pts[0], pts[1]))
        } else {
            None
        };
        let offset = match (prev, next) {
            (Some(a), Some(b)) => miter(a, b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => [0.0, 0.0],
        };
        let p = [pts[i][0] as f32, pts[i][1] as f32];
        let o = [offset[0] as f32, offset[1] as f32];
        out.positions.extend([p, p, p]);
        out.offsets.extend([[-o[0], -o[1]], [0.0, 0.0], o]);
    }
    for i in 0..(n - 1) as u32 {
        let a = base + 3 * i;
        let b = a + 3;
        out.indices.extend([
            a,
            a + 1,
            b + 1,
            a,
            b + 1,
            b,
            a + 1,
            a + 2,
            b + 2,
            a + 1,
            b + 2,
            b + 1,
        ]);
    }
}

/// The join normal, lengthened so the strip keeps its width at corners (capped at 2×).
fn miter(a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    let m = [a[0] + b[0], a[1] + b[1]];
    let len = (m[0] * m[0] + m[1] * m[1]).sqrt();
    if len < 1e-9 {
        return a;
    }
    let m = [m[0] / len, m[1] / len];
    let scale = 1.0 / (m[0] * a[0] + m[1] * a[1]).max(0.5);
    [m[0] * scale, m[1] * scale]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn square_with_hole_triangulates_around_the_hole() {
        let mut rings = Rings::default();
        rings.push_polygon(
            3,
            [
                vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]],
                vec![[1.0, 1.0], [1.0, 3.0], [3.0, 3.0], [3.0, 1.0], [1.0, 1.0]],
            ]
            .into_iter(),
        );
        let fill = triangulate(&rings);
        assert_eq!(fill.positions.len(), 8);
        assert!(fill.country.iter().all(|&c| c == 3));
        let area: f64 = fill
            .indices
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| fill.positions[t[k] as usize]);
                (((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) as f64 / 2.0).abs()
            })
            .sum();
        assert!((area - 12.0).abs() < 1e-6, "{area}");
    }

    #[test]
    fn lines_have_three_vertices_per_point_and_unit_offsets() {
        let l = thin_lines([&[[0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 1.0]][..]]);
        assert_eq!(l.positions.len(), 9, "duplicate point dropped");
        assert_eq!(l.indices.len(), 2 * 12);
        assert_eq!(l.offsets[1], [0.0, 0.0]);
        assert!(Lines::is_centre(4));
        // First point: the normal of a segment along +x points +y.
        assert_eq!(l.offsets[2], [0.0, 1.0]);
        // The corner's miter is longer than 1.
        let [x, y] = l.offsets[5];
        assert!((x * x + y * y).sqrt() > 1.3);
    }
}
