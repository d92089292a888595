//! Engine throughput (evaluations per second, ledger included) and `check` on a 100,000-row CSV.
//! Quality bars (product.md): ≥ 2M evaluations/s on one core; `check` of 100k rows < 0.5 s.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use diffusion_desk::cli::check;
use diffusion_desk::rules::{Engine, Scenario};
use diffusion_desk::session::csv_io::write_orders_csv;
use diffusion_desk::session::synthetic::synthetic_orders;
use std::hint::black_box;
use std::time::Instant;

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

fn check_100k(c: &mut Criterion) {
    let engine = Engine::embedded();
    let orders = synthetic_orders(&engine, 100_000, 11);
    let decisions = engine.evaluate_book(&Scenario::default(), &orders);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("orders-100k.csv");
    std::fs::write(
        &path,
        write_orders_csv(&engine, &orders, &decisions).expect("csv"),
    )
    .expect("write");
    let mut g = c.benchmark_group("check");
    g.sample_size(10);
    g.throughput(Throughput::Elements(orders.len() as u64));
    g.bench_function("check_csv_100k_rows", |b| {
        b.iter(|| {
            let mut out = std::io::sink();
            let code = check::run(&engine, &path, &[], &mut out, &mut std::io::sink());
            assert_eq!(code, 0);
        })
    });
    g.finish();
    // End to end through the release binary, as a user runs it (process start, file, stdout).
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let bin = target.join("release/diffusion-desk");
    if bin.exists() {
        let t = Instant::now();
        let out = std::process::Command::new(&bin)
            .arg("check")
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("runs");
        println!(
            "end-to-end `diffusion-desk check` on 100,000 rows: {:?} (exit {:?})",
            t.elapsed(),
            out.code()
        );
    }
}

criterion_group!(benches, engine_throughput, check_100k);
criterion_main!(benches);
