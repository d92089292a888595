//! The world map's CPU cost: start-up to the first frame (atlas decode, simplification,
//! triangulation, mesh build, first layout and tessellation), and one frame of the map view with a
//! 10,000-order session while the pointer hovers countries (layout + tessellation, no GPU).
//! Quality bars (product.md): frame median < 2 ms, p99 < 8 ms; start-up < 0.5 s (release).

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use diffusion_desk::cc;
use diffusion_desk::geo::WorldMap;
use diffusion_desk::geo::world::COUNTRIES_50M;
use diffusion_desk::rules::{CountryCode, Engine};
use diffusion_desk::ui::DeskApp;
use std::time::{Duration, Instant};

/// Frames the pointer rests on each country: long enough for the tooltip to open (0.5 s at 60 Hz).
const FRAMES_PER_COUNTRY: u64 = 60;
const HOVERED: [CountryCode; 6] = [
    cc!("IN"),
    cc!("BR"),
    cc!("FR"),
    cc!("CN"),
    cc!("NG"),
    cc!("SG"),
];

fn frame(ctx: &egui::Context, app: &mut DeskApp, n: u64) -> Duration {
    let target = HOVERED[(n / FRAMES_PER_COUNTRY) as usize % HOVERED.len()];
    let pointer = app
        .views
        .get::<diffusion_desk::ui::map_view::MapView>()
        .screen_pos_of(&app.ws, target);
    support::timed_frame(ctx, app, support::input(pointer))
}

/// Runs first, while the process-wide atlas cache is still cold.
fn startup(_c: &mut Criterion) {
    let ws = support::workspace(10_000, 1);
    let ctx = egui::Context::default();
    let t = Instant::now();
    let mut app = DeskApp::new(ws);
    app.show_view("map");
    support::timed_frame(&ctx, &mut app, support::input(None));
    let first = t.elapsed();
    println!(
        "map start-up to first frame (cold: decode + triangulate + meshes + frame): {first:?}"
    );

    // The parts, each from scratch.
    let countries = Engine::embedded().countries().clone();
    let t = Instant::now();
    let world = WorldMap::new(COUNTRIES_50M, &countries).expect("embedded atlas");
    let decode = t.elapsed();
    let t = Instant::now();
    let level = world.level(2);
    let lod = t.elapsed();
    println!(
        "  atlas decode + projection + hit-test rings: {decode:?}; level 2 (simplify + earcut + \
         outlines): {lod:?} ({} fill triangles, {} outline vertices)",
        level.fill.indices.len() / 3,
        level.lines.positions.len()
    );
    let t = Instant::now();
    let full = world.level(6);
    println!(
        "  full-detail level (built on first deep zoom): {:?} ({} fill triangles)",
        t.elapsed(),
        full.fill.indices.len() / 3
    );
}

fn map_frame(c: &mut Criterion) {
    let ctx = egui::Context::default();
    let mut app = DeskApp::new(support::workspace(10_000, 1));
    app.show_view("map");
    for i in 0..5 {
        frame(&ctx, &mut app, i);
    }
    let times: Vec<Duration> = (0..300).map(|i| frame(&ctx, &mut app, i)).collect();
    let (median, p99) = support::percentiles(times);
    println!(
        "map view, 10,000 orders, hovering: frame CPU median {median:?}, p99 {p99:?} (300 frames)"
    );

    app.ws.session.view.map.selected = Some(cc!("IN"));
    for i in 0..5 {
        frame(&ctx, &mut app, i);
    }
    let times: Vec<Duration> = (0..300).map(|i| frame(&ctx, &mut app, i)).collect();
    let (median, p99) = support::percentiles(times);
    println!(
        "map view, 10,000 orders, India selected (details panel), hovering: frame CPU median \
         {median:?}, p99 {p99:?} (300 frames)"
    );
    app.ws.session.view.map.selected = None;

    // While panning the meshes are placed on screen anew every frame (no re-triangulation).
    for (zoom, label) in [(1.0, "whole world"), (8.0, "zoom 8, finer level of detail")] {
        app.ws.session.view.map.zoom = zoom;
        app.ws.session.view.map.center = [0.2, 0.9];
        for i in 0..5 {
            frame(&ctx, &mut app, i);
        }
        let times: Vec<Duration> = (0..300)
            .map(|i| {
                app.ws.session.view.map.center[0] += 0.0005 * if i % 100 < 50 { 1.0 } else { -1.0 };
                frame(&ctx, &mut app, i)
            })
            .collect();
        let (median, p99) = support::percentiles(times);
        println!(
            "map view, 10,000 orders, panning ({label}): frame CPU median {median:?}, p99 {p99:?} \
             (300 frames)"
        );
    }
    app.ws.session.view.map.zoom = 1.0;
    app.ws.session.view.map.center = [0.0, 0.0];

    let mut n = 0;
    c.bench_function("map_view_frame_10k_hover", |b| {
        b.iter(|| {
            n += 1;
            frame(&ctx, &mut app, n)
        })
    });
}

criterion_group!(benches, startup, map_frame);
criterion_main!(benches);
