//! Rings that cross the ±180° meridian (Russia's Chukotka, Fiji, Kiribati…).
//!
//! The atlas stitches such rings across the antimeridian, so a naive planar drawing streaks across
//! the whole map. Longitudes are unwrapped within each ring, then the polygon is cut at ±180° and
//! the part beyond is emitted again shifted by ∓360° on the other side of the map.

use super::topojson::LonLat;

/// Makes longitudes continuous along the ring: after a jump of more than 180°, the rest of the
/// ring is shifted by ±360°. Returns `false` for a ring that winds around a pole.
pub fn unwrap_ring(ring: &mut [LonLat]) -> bool {
    let mut offset = 0.0;
    let mut prev_raw = match ring.first() {
        Some(p) => p[0],
        None => return true,
    };
    for p in ring.iter_mut().skip(1) {
        let raw = p[0];
        let d = raw - prev_raw;
        if d > 180.0 {
            offset -= 360.0;
        } else if d < -180.0 {
            offset += 360.0;
        }
        prev_raw = raw;
        p[0] = raw + offset;
    }
    offset == 0.0
}

fn lon_range(ring: &[LonLat]) -> (f64, f64) {
    ring.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p[0]), hi.max(p[0]))
        })
}

/// Splits a polygon (exterior ring then holes, closed rings in degrees) into polygons whose
/// longitudes all lie within [-180, 180].
pub fn split_polygon(mut rings: Vec<Vec<LonLat>>) -> Vec<Vec<Vec<LonLat>>> {
    if rings.is_empty() {
        return Vec::new();
    }
    for ring in &mut rings {
        unwrap_ring(ring);
    }
    let (lo, hi) = lon_range(&rings[0]);
    // A hole unwraps on its own; bring it next to its exterior.
    let mid = (lo + hi) / 2.0;
    for hole in rings.iter_mut().skip(1) {
        let (hlo, hhi) = lon_range(hole);
        let shift = ((mid - (hlo + hhi) / 2.0) / 360.0).round() * 360.0;
        if shift != 0.0 {
            hole.iter_mut().for_each(|p| p[0] += shift);
        }
    }
    if lo >= -180.0 && hi <= 180.0 {
        return vec![rings];
    }
    let mut out = Vec::new();
    for shift in [-360.0, 0.0, 360.0] {
        if hi + shift <= -180.0 || lo + shift >= 180.0 {
            continue;
        }
        let mut piece = Vec::with_capacity(rings.len());
        for (i, ring) in rings.iter().enumerate() {
            let shifted: Vec<LonLat> = ring.iter().map(|p| [p[0] + shift, p[1]]).collect();
            let clipped = clip_ring(&shifted, -180.0, 180.0);
            if clipped.len() >= 4 {
                piece.push(clipped);
            } else if i == 0 {
                break;
            }
        }
        if !piece.is_empty() {
            out.push(piece);
        }
    }
    out
}

/// Sutherland–Hodgman against `lo ≤ lon ≤ hi`. Concave rings may gain zero-width bridges along
/// the cut; they cover no area, so fills and hit tests are unaffected.
pub fn clip_ring(ring: &[LonLat], lo: f64, hi: f64) -> Vec<LonLat> {
    let open = match ring.split_last() {
        Some((last, rest)) if Some(last) == rest.first() => rest,
        _ => ring,
    };
    let pass1 = clip_half(open, |p| p[0] <= hi, hi);
    let mut out = clip_half(&pass1, |p| p[0] >= lo, lo);
    if let Some(&first) = out.first() {
        out.push(first);
    }
    out
}

fn clip_half(pts: &[LonLat], inside: impl Fn(&LonLat) -> bool, edge: f64) -> Vec<LonLat> {
    let mut out = Vec::with_capacity(pts.len() + 4);
    let Some(&last) = pts.last() else {
        return out;
    };
    let mut prev = last;
    for &cur in pts {
        let (pin, cin) = (inside(&prev), inside(&cur));
        if cin != pin {
            let t = (edge - prev[0]) / (cur[0] - prev[0]);
            out.push([edge, prev[1] + t * (cur[1] - prev[1])]);
        }
        if cin {
            out.push(cur);
        }
        prev = cur;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwraps_a_crossing_ring() {
        let mut r = vec![
            [170.0, 0.0],
            [-170.0, 0.0],
            [-170.0, 10.0],
            [170.0, 10.0],
            [170.0, 0.0],
        ];
        assert!(unwrap_ring(&mut r));
        assert_eq!(r[1], [190.0, 0.0]);
        assert_eq!(r[2], [190.0, 10.0]);
        assert_eq!(r[3], [170.0, 10.0]);
    }

    #[test]
    fn splits_at_the_antimeridian_into_two_pieces() {
        let r = vec![
            [170.0, 0.0],
            [-170.0, 0.0],
            [-170.0, 10.0],
            [170.0, 10.0],
            [170.0, 0.0],
        ];
        let pieces = split_polygon(vec![r]);
        assert_eq!(pieces.len(), 2);
        for p in &pieces {
            let (lo, hi) = lon_range(&p[0]);
            assert!(lo >= -180.0 && hi <= 180.0, "{lo}..{hi}");
            assert!(
                hi - lo <= 10.0 + 1e-9,
                "each piece is 10° wide, got {lo}..{hi}"
            );
        }
    }

    #[test]
    fn ordinary_polygons_pass_through() {
        let r = vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 0.0]];
        let hole = vec![[2.0, 2.0], [3.0, 2.0], [3.0, 3.0], [2.0, 2.0]];
        let pieces = split_polygon(vec![r.clone(), hole.clone()]);
        assert_eq!(pieces, vec![vec![r, hole]]);
    }
}
