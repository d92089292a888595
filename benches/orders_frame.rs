//! CPU time of one frame of the orders view with 10,000 orders (layout + tessellation, no GPU),
//! and of re-evaluating 10,000 orders after an edit of the first one.
//! Quality bars (product.md, issue 4): frame median < 2 ms; re-evaluation well under 16 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use diffusion_desk::rules::Engine;
use diffusion_desk::session::synthetic::synthetic_orders;
use diffusion_desk::session::{RulesetRef, Session, View, Workspace};
use diffusion_desk::ui::DeskApp;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn workspace(n: usize) -> Workspace {
    let engine = Arc::new(Engine::embedded());
    let mut s = Session::new("bench", RulesetRef::of(engine.loaded()));
    s.orders = synthetic_orders(&engine, n, 3);
    Workspace::new(engine, s)
}

fn input(frame: u64) -> egui::RawInput {
    let mut raw = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    // Move the pointer over the table so hover states are exercised.
    raw.events.push(egui::Event::PointerMoved(egui::pos2(
        700.0,
        200.0 + (frame % 50) as f32 * 8.0,
    )));
    raw
}

fn frame(ctx: &egui::Context, app: &mut DeskApp, n: u64) -> Duration {
    let t = Instant::now();
    let out = ctx.run_ui(input(n), |ui| app.ui_root(ui));
    let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
    black_box(prims);
    t.elapsed()
}

fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[(v.len() * 99) / 100])
}

fn orders_view_frame(c: &mut Criterion) {
    let ctx = egui::Context::default();
    let mut app = DeskApp::new(workspace(10_000));
    app.ws.session.view.view = View::Orders;
    for i in 0..5 {
        frame(&ctx, &mut app, i);
    }
    let times: Vec<Duration> = (0..300).map(|i| frame(&ctx, &mut app, i)).collect();
    let (median, p99) = percentiles(times);
    println!("orders view, 10,000 orders: frame CPU median {median:?}, p99 {p99:?} (300 frames)");
    let mut n = 0;
    c.bench_function("orders_view_frame_10k", |b| {
        b.iter(|| {
            n += 1;
            frame(&ctx, &mut app, n)
        })
    });
}

fn reevaluate_after_first_edit(c: &mut Criterion) {
    let mut ws = workspace(10_000);
    let first = ws.orders()[0].clone();
    let mut q = first.quantity;
    c.bench_function("edit_first_order_reevaluate_10k", |b| {
        b.iter(|| {
            q = if q == first.quantity {
                first.quantity + 1
            } else {
                first.quantity
            };
            let edited = diffusion_desk::rules::Order {
                quantity: q,
                ..first.clone()
            };
            ws.replace_order(0, edited);
            black_box(ws.decisions().len())
        })
    });
}

criterion_group!(benches, orders_view_frame, reevaluate_after_first_edit);
criterion_main!(benches);
