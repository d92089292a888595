//! CPU time of one frame of the orders view with 10,000 orders (layout + tessellation, no GPU),
//! and of re-evaluating 10,000 orders after an edit of the first one.
//! Quality bars (product.md, issue 4): frame median < 2 ms; re-evaluation well under 16 ms.

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use diffusion_desk::ui::DeskApp;
use std::hint::black_box;
use std::time::Duration;

fn frame(ctx: &egui::Context, app: &mut DeskApp, n: u64) -> Duration {
    // The pointer moves over the table so hover states are exercised.
    let pointer = egui::pos2(700.0, 200.0 + (n % 50) as f32 * 8.0);
    support::timed_frame(ctx, app, support::input(Some(pointer)))
}

fn orders_view_frame(c: &mut Criterion) {
    let ctx = egui::Context::default();
    let mut app = DeskApp::new(support::workspace(10_000, 3));
    app.show_view("orders");
    for i in 0..5 {
        frame(&ctx, &mut app, i);
    }
    let times: Vec<Duration> = (0..300).map(|i| frame(&ctx, &mut app, i)).collect();
    let (median, p99) = support::percentiles(times);
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
    let mut ws = support::workspace(10_000, 3);
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
            ws.replace_order(0, edited).expect("a valid edit");
            black_box(ws.decisions().len())
        })
    });
}

criterion_group!(benches, orders_view_frame, reevaluate_after_first_edit);
criterion_main!(benches);
