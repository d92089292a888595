//! Ramer–Douglas–Peucker simplification, as a keep-mask so shared arcs simplify identically for
//! both neighbours (no slivers between countries).

/// Which points of `pts` to keep so the polyline stays within `tolerance` of the original.
/// The end points are always kept; a closed polyline keeps its farthest point as well.
pub fn rdp_mask(pts: &[[f64; 2]], tolerance: f64) -> Vec<bool> {
    let n = pts.len();
    if tolerance <= 0.0 || n <= 2 {
        return vec![true; n];
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let tol2 = tolerance * tolerance;
    let mut stack = vec![(0usize, n - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (mut worst, mut at) = (-1.0, a);
        for (i, p) in pts.iter().enumerate().take(b).skip(a + 1) {
            let d = dist2_to_segment(*p, pts[a], pts[b]);
            if d > worst {
                worst = d;
                at = i;
            }
        }
        if worst > tol2 {
            keep[at] = true;
            stack.push((a, at));
            stack.push((at, b));
        }
    }
    keep
}

fn dist2_to_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (a[0] + t * dx - p[0], a[1] + t * dy - p[1]);
    qx * qx + qy * qy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_collinear_points_and_keeps_corners() {
        let pts = [[0.0, 0.0], [1.0, 0.001], [2.0, 0.0], [2.0, 2.0]];
        assert_eq!(rdp_mask(&pts, 0.01), vec![true, false, true, true]);
        assert_eq!(rdp_mask(&pts, 0.0), vec![true; 4]);
    }

    #[test]
    fn closed_ring_keeps_its_far_side() {
        let pts = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]];
        let keep = rdp_mask(&pts, 0.1);
        assert_eq!(keep.iter().filter(|k| **k).count(), 5);
    }
}
