//! Shared by the frame benchmarks: a synthetic workspace, the input of one frame, one timed
//! frame (layout + tessellation, no GPU) and its percentiles.

use diffusion_desk::rules::Engine;
use diffusion_desk::session::synthetic::synthetic_orders;
use diffusion_desk::session::{RulesetRef, Session, Workspace};
use diffusion_desk::ui::DeskApp;
use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub const SCREEN: egui::Vec2 = egui::vec2(1280.0, 800.0);

/// A workspace with `n` synthetic orders (deterministic for a seed).
pub fn workspace(n: usize, seed: u64) -> Workspace {
    let engine = Arc::new(Engine::embedded());
    let mut s = Session::new("bench", RulesetRef::of(engine.loaded()));
    s.orders = synthetic_orders(&engine, n, seed);
    Workspace::new(engine, s)
}

/// Frames handed out so far: egui's input time must never go backwards, even when a benchmark
/// restarts its own frame numbering.
static FRAMES: AtomicU64 = AtomicU64::new(0);

/// A 1280×800 frame at 60 Hz, with the pointer at `pointer`.
pub fn input(pointer: Option<egui::Pos2>) -> egui::RawInput {
    let tick = FRAMES.fetch_add(1, Ordering::Relaxed);
    let mut raw = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SCREEN)),
        time: Some(tick as f64 / 60.0),
        ..Default::default()
    };
    if let Some(p) = pointer {
        raw.events.push(egui::Event::PointerMoved(p));
    }
    raw
}

/// CPU time of one frame of the app: layout and tessellation.
pub fn timed_frame(ctx: &egui::Context, app: &mut DeskApp, raw: egui::RawInput) -> Duration {
    let t = Instant::now();
    let mut out = ctx.run_ui(raw, |ui| app.ui_root(ui));
    // No GPU takes the texture updates; dropping them unapplied is intended here.
    out.textures_delta.clear();
    black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
    t.elapsed()
}

/// Median and 99th percentile.
pub fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[(v.len() * 99) / 100])
}
