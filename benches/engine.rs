//! Engine throughput: evaluations per second of a 10,000-order book, ledger included.
//! Quality bar (product.md): at least 2M evaluations per second on one core. (`check` end to end
//! is `benches/check.rs`.)

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use diffusion_desk::rules::{Engine, Scenario};
use diffusion_desk::session::synthetic::synthetic_orders;
use std::hint::black_box;

fn engine_throughput(c: &mut Criterion) {
    let engine = Engine::embedded();
    let orders = synthetic_orders(&engine, 10_000, 7);
    let scenario = Scenario::default();
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(orders.len() as u64));
    g.bench_function("evaluate_book_10k", |b| {
        b.iter(|| black_box(engine.evaluate_book(&scenario, black_box(&orders))))
    });
    g.finish();
}

criterion_group!(benches, engine_throughput);
criterion_main!(benches);
