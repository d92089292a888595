//! CPU time of one frame of each plot (layout + tessellation, no GPU) with a 10,000-order
//! session, the pointer moving over the plot so hover and tooltips are exercised.
//! Product bar for GUI frames (map view): median < 2 ms, p99 < 8 ms; the plots aim for the same.

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use diffusion_desk::session::{PlotId, PlotScale};
use diffusion_desk::ui::DeskApp;
use std::time::Duration;

fn app(kind: PlotId, scale: PlotScale) -> DeskApp {
    let ws = support::workspace(10_000, 3);
    // The Tier 2 destination the book draws most: the busiest allocation plot.
    let busiest = ws
        .engine
        .countries()
        .all()
        .iter()
        .map(|c| (ws.summary().country(c.alpha2).drawn_tpp, c.alpha2))
        .max()
        .map(|(_, c)| c);
    let mut app = DeskApp::new(ws);
    let p = &mut app.ws.session.view.plots;
    p.kind = kind;
    p.scale = scale;
    p.country = busiest;
    app.show_view("plots");
    app
}

fn frame(ctx: &egui::Context, app: &mut DeskApp, n: u64) -> Duration {
    // The pointer sweeps the plot so hover and tooltips are exercised.
    let pointer = egui::pos2(
        300.0 + (n % 40) as f32 * 10.0,
        150.0 + (n % 50) as f32 * 10.0,
    );
    support::timed_frame(ctx, app, support::input(Some(pointer)))
}

fn plot_frames(c: &mut Criterion) {
    // Every registered plot on a linear scale, and on a log scale too.
    let cases = diffusion_desk::ui::plots_view::plot_ids()
        .into_iter()
        .flat_map(|id| {
            [
                (id.to_string(), PlotScale::Linear),
                (format!("{id}_log"), PlotScale::Log),
            ]
        });
    for (name, scale) in cases {
        let kind = PlotId::new(name.trim_end_matches("_log"));
        let ctx = egui::Context::default();
        let mut app = app(kind, scale);
        let first = frame(&ctx, &mut app, 0);
        for i in 1..5 {
            frame(&ctx, &mut app, i);
        }
        let times: Vec<Duration> = (0..300).map(|i| frame(&ctx, &mut app, i)).collect();
        let (median, p99) = support::percentiles(times);
        println!(
            "plots view {name}, 10,000 orders: first frame {first:?}; frame CPU median {median:?}, p99 {p99:?} (300 frames)"
        );
        let mut n = 0;
        c.bench_function(&format!("plots_frame_{name}_10k"), |b| {
            b.iter(|| {
                n += 1;
                frame(&ctx, &mut app, n)
            })
        });
    }
}

criterion_group!(benches, plot_frames);
criterion_main!(benches);
