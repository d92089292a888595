//! Saving and loading a 100,000-order session. Quality bar (product.md): under half a second each.
//!
//! `save` is serialisation plus the atomic write (temporary file, fsync, rename); `load` is the
//! bounded read, the RON parse and the validation of every order against the engine.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use diffusion_desk::rules::Engine;
use diffusion_desk::session::file::{load_session, save_session, to_ron};
use diffusion_desk::session::synthetic::synthetic_orders;
use diffusion_desk::session::{RulesetRef, Session};
use std::hint::black_box;
use std::time::{Duration, Instant};

const ORDERS: usize = 100_000;

fn big_session(engine: &Engine) -> Session {
    let mut s = Session::new("Benchmark: 100,000 orders", RulesetRef::of(engine.loaded()));
    s.orders = synthetic_orders(engine, ORDERS, 42);
    s
}

/// Median of `n` runs, printed once so the figures are visible without criterion's report.
fn median(n: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[n / 2]
}

fn session_io(c: &mut Criterion) {
    let engine = Engine::embedded();
    let session = big_session(&engine);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.ron");
    save_session(&path, &session).expect("save");
    let bytes = std::fs::metadata(&path).expect("saved").len();
    assert_eq!(
        load_session(&path, &engine).expect("loads"),
        session,
        "round trip"
    );

    let ser = median(5, || {
        black_box(to_ron(&session));
    });
    let save = median(5, || save_session(&path, &session).expect("save"));
    let load = median(5, || {
        black_box(load_session(&path, &engine).expect("load"));
    });
    // Where load time goes: the RON parse alone, without reading or validating.
    let text = std::fs::read_to_string(&path).expect("read");
    let parse_only = median(5, || {
        let s: Session = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(&text)
            .expect("parses");
        black_box(s);
    });
    println!(
        "session of {ORDERS} orders, {:.1} MB: serialise {ser:?}, save {save:?}, load {load:?} \
         (of which RON parse {parse_only:?}); median of 5; bar: < 500 ms each",
        bytes as f64 / 1e6
    );

    let mut g = c.benchmark_group("session_io_100k");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Elements(ORDERS as u64));
    g.bench_function("serialise", |b| b.iter(|| black_box(to_ron(&session))));
    g.bench_function("save", |b| {
        b.iter(|| save_session(&path, black_box(&session)).expect("save"))
    });
    g.bench_function("load", |b| {
        b.iter(|| black_box(load_session(&path, &engine).expect("load")))
    });
    g.finish();
}

criterion_group!(benches, session_io);
criterion_main!(benches);
