//! The Equal Earth projection (Šavrič, Patterson & Jenny 2018), on a unit sphere.
//!
//! Equal-area, so the map does not inflate northern countries the way Mercator does. Projected
//! units: x east, y north, about ±2.71 by ±1.32.

use std::f64::consts::PI;

const A1: f64 = 1.340264;
const A2: f64 = -0.081106;
const A3: f64 = 0.000893;
const A4: f64 = 0.003796;
/// √3 / 2.
const M: f64 = 0.866_025_403_784_438_6;

/// Half the projected width: x of (180°, 0°).
pub const X_MAX: f64 = PI / (M * A1);
/// Half the projected height: y of the poles.
pub const Y_MAX: f64 = 1.317_362_759_157_413_3;

fn poly(t: f64) -> f64 {
    let t2 = t * t;
    let t6 = t2 * t2 * t2;
    t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
}

fn poly_derivative(t: f64) -> f64 {
    let t2 = t * t;
    let t6 = t2 * t2 * t2;
    A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)
}

/// Degrees to projected units. Longitudes beyond ±180 (unwrapped rings) project linearly.
pub fn forward(lon: f64, lat: f64) -> [f64; 2] {
    let lambda = lon.to_radians();
    let phi = lat.clamp(-90.0, 90.0).to_radians();
    let theta = (M * phi.sin()).asin();
    let x = lambda * theta.cos() / (M * poly_derivative(theta));
    [x, poly(theta)]
}

/// Projected units to degrees; `None` outside the map (beyond the poles or the ±180° edge).
pub fn inverse(x: f64, y: f64) -> Option<[f64; 2]> {
    if !x.is_finite() || !y.is_finite() || y.abs() > Y_MAX + 1e-9 {
        return None;
    }
    // Newton iteration on θ; converges in a handful of steps over the whole range.
    let mut theta = y / A1;
    for _ in 0..20 {
        let step = (poly(theta) - y) / poly_derivative(theta);
        theta -= step;
        if step.abs() < 1e-12 {
            break;
        }
    }
    let lambda = M * x * poly_derivative(theta) / theta.cos();
    let phi = ((theta.sin() / M).clamp(-1.0, 1.0)).asin();
    let lon = lambda.to_degrees();
    if lon.abs() > 180.0 + 1e-9 {
        return None;
    }
    Some([lon, phi.to_degrees()])
}

/// The map's edge (the ±180° meridians), closed, `n` points per side.
pub fn outline(n: usize) -> Vec<[f64; 2]> {
    let n = n.max(2);
    let mut pts = Vec::with_capacity(2 * n + 1);
    for i in 0..n {
        let lat = -90.0 + 180.0 * i as f64 / (n - 1) as f64;
        pts.push(forward(180.0, lat));
    }
    for i in 0..n {
        let lat = 90.0 - 180.0 * i as f64 / (n - 1) as f64;
        pts.push(forward(-180.0, lat));
    }
    pts.push(pts[0]);
    pts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_extent() {
        let [x, y] = forward(180.0, 0.0);
        assert!((x - X_MAX).abs() < 1e-12 && y.abs() < 1e-12);
        assert!((forward(0.0, 90.0)[1] - Y_MAX).abs() < 1e-9);
        assert!((X_MAX - 2.706_63).abs() < 1e-5, "{X_MAX}");
    }

    #[test]
    fn round_trip() {
        let mut worst: f64 = 0.0;
        for lat in (-89..=89).step_by(7) {
            for lon in (-179..=179).step_by(11) {
                let [x, y] = forward(lon as f64, lat as f64);
                let [lo, la] = inverse(x, y).expect("inside the map");
                worst = worst
                    .max((lo - lon as f64).abs())
                    .max((la - lat as f64).abs());
            }
        }
        assert!(worst < 1e-9, "worst error {worst}°");
    }

    #[test]
    fn outside_the_map_has_no_inverse() {
        assert!(inverse(0.0, Y_MAX + 0.1).is_none());
        assert!(inverse(X_MAX + 0.05, 0.0).is_none());
        // Near the poles the map narrows: a point right of the polar line is off the map.
        assert!(inverse(X_MAX * 0.9, Y_MAX * 0.99).is_none());
        assert!(inverse(f64::NAN, 0.0).is_none());
    }

    #[test]
    fn equal_area() {
        // A 1°×1° cell at the equator and one at 60°N: areas in ratio cos(60°) = 0.5.
        let cell = |lat: f64| {
            let a = forward(0.0, lat);
            let b = forward(1.0, lat);
            let c = forward(0.0, lat + 1.0);
            ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])).abs()
        };
        let ratio = cell(59.5) / cell(-0.5);
        assert!((ratio - 0.5).abs() < 0.01, "{ratio}");
    }
}
