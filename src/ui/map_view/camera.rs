//! Screen ↔ projected coordinates for the map rect and the session's zoom and centre.

use crate::geo::BBox;
use crate::geo::projection::{X_MAX, Y_MAX};
use crate::session::MapViewState;
use egui::{Pos2, Rect, Vec2, pos2};

pub const MIN_ZOOM: f32 = 1.0;
pub const MAX_ZOOM: f32 = 256.0;

/// The map as placed in a screen rect: y grows down on screen and up in projected units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    pub rect: Rect,
    /// Points per projected unit.
    pub scale: f64,
    pub center: [f64; 2],
}

impl Camera {
    /// The scale at which the whole world fits `rect` with a small margin (zoom 1).
    pub fn fit_scale(rect: Rect) -> f64 {
        let w = rect.width().max(1.0) as f64 / (2.0 * X_MAX);
        let h = rect.height().max(1.0) as f64 / (2.0 * Y_MAX);
        w.min(h) * 0.97
    }

    pub fn new(rect: Rect, state: &MapViewState) -> Self {
        Self {
            rect,
            scale: Self::fit_scale(rect) * state.zoom as f64,
            center: [state.center[0] as f64, state.center[1] as f64],
        }
    }

    pub fn to_screen(self, p: [f64; 2]) -> Pos2 {
        let c = self.rect.center();
        pos2(
            c.x + ((p[0] - self.center[0]) * self.scale) as f32,
            c.y - ((p[1] - self.center[1]) * self.scale) as f32,
        )
    }

    pub fn to_map(self, pos: Pos2) -> [f64; 2] {
        let c = self.rect.center();
        [
            self.center[0] + (pos.x - c.x) as f64 / self.scale,
            self.center[1] - (pos.y - c.y) as f64 / self.scale,
        ]
    }

    /// Where projected (x, -y) lands: screen = origin + (x, -y) × scale.
    pub fn origin(self) -> Pos2 {
        let c = self.rect.center();
        pos2(
            c.x - (self.center[0] * self.scale) as f32,
            c.y + (self.center[1] * self.scale) as f32,
        )
    }
}

/// Repairs a view read from a file (NaN, zero or out-of-range zoom, a centre off the map).
pub fn sanitize(state: &mut MapViewState) {
    if !state.zoom.is_finite() {
        state.zoom = 1.0;
    }
    state.zoom = state.zoom.clamp(MIN_ZOOM, MAX_ZOOM);
    for (v, lim) in state.center.iter_mut().zip([X_MAX, Y_MAX]) {
        if !v.is_finite() {
            *v = 0.0;
        }
        *v = v.clamp(-lim as f32, lim as f32);
    }
}

pub fn reset(state: &mut MapViewState) {
    state.zoom = 1.0;
    state.center = [0.0, 0.0];
}

/// Zooms by `factor`, keeping the map point under `anchor` where it is on screen.
pub fn zoom_about(state: &mut MapViewState, rect: Rect, anchor: Pos2, factor: f32) {
    if !factor.is_finite() || factor <= 0.0 {
        return;
    }
    let before = Camera::new(rect, state);
    let p = before.to_map(anchor);
    state.zoom = (state.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
    let scale = Camera::fit_scale(rect) * state.zoom as f64;
    let c = rect.center();
    state.center = [
        (p[0] - (anchor.x - c.x) as f64 / scale) as f32,
        (p[1] + (anchor.y - c.y) as f64 / scale) as f32,
    ];
    sanitize(state);
}

/// Moves the map with the pointer by `delta` screen points.
pub fn pan(state: &mut MapViewState, rect: Rect, delta: Vec2) {
    let scale = Camera::fit_scale(rect) * state.zoom as f64;
    state.center[0] -= (delta.x as f64 / scale) as f32;
    state.center[1] += (delta.y as f64 / scale) as f32;
    sanitize(state);
}

/// Centres on `bbox` and zooms so it fills about half the map (at most `max_zoom`).
pub fn focus(state: &mut MapViewState, rect: Rect, bbox: BBox, max_zoom: f32) {
    let fit = Camera::fit_scale(rect);
    let w = bbox.width().max(1e-6) * fit;
    let h = bbox.height().max(1e-6) * fit;
    let z = (0.5 * rect.width() as f64 / w).min(0.5 * rect.height() as f64 / h);
    state.zoom = (z as f32).clamp(MIN_ZOOM, max_zoom.min(MAX_ZOOM));
    let c = bbox.center();
    state.center = [c[0] as f32, c[1] as f32];
    sanitize(state);
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::vec2;

    fn rect() -> Rect {
        Rect::from_min_size(pos2(10.0, 20.0), vec2(800.0, 400.0))
    }

    #[test]
    fn screen_round_trip_and_origin() {
        let s = MapViewState {
            zoom: 3.0,
            center: [0.5, -0.2],
            ..Default::default()
        };
        let cam = Camera::new(rect(), &s);
        let p = [0.7, 0.1];
        let back = cam.to_map(cam.to_screen(p));
        assert!((back[0] - p[0]).abs() < 1e-5 && (back[1] - p[1]).abs() < 1e-5);
        let o = cam.origin();
        let via_origin = pos2(
            o.x + (p[0] * cam.scale) as f32,
            o.y - (p[1] * cam.scale) as f32,
        );
        assert!((via_origin - cam.to_screen(p)).length() < 1e-2);
    }

    #[test]
    fn zoom_keeps_the_anchor_still() {
        let mut s = MapViewState::default();
        let anchor = pos2(600.0, 150.0);
        let before = Camera::new(rect(), &s).to_map(anchor);
        zoom_about(&mut s, rect(), anchor, 2.5);
        let after = Camera::new(rect(), &s).to_map(anchor);
        assert!((before[0] - after[0]).abs() < 1e-5 && (before[1] - after[1]).abs() < 1e-5);
        assert_eq!(s.zoom, 2.5);
        zoom_about(&mut s, rect(), anchor, 1e-6);
        assert_eq!(s.zoom, MIN_ZOOM);
    }

    #[test]
    fn bad_saved_views_are_repaired() {
        let mut s = MapViewState {
            zoom: f32::NAN,
            center: [f32::INFINITY, -99.0],
            ..Default::default()
        };
        sanitize(&mut s);
        assert_eq!(s.zoom, 1.0);
        assert_eq!(s.center[0], 0.0);
        assert_eq!(s.center[1], -Y_MAX as f32);
    }
}
