//! Restricted-party screening: index build time and per-name screening time over a mix of
//! listed and unlisted names. Quality bar (product.md): under 1 ms per name after the index is
//! built (release build). Also times reading the stored index back (what commands and the app
//! do after the first run; `src/screening/stored_index.rs`).
//!
//! `cargo bench --bench screening -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use diffusion_desk::screening::stored_index::IndexStore;
use diffusion_desk::screening::{DEFAULT_THRESHOLD, ScreeningCache, ScreeningIndex, ScreeningList};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

/// The demo sessions' parties (the screening quality test's made-up names start with them).
const DEMO_PARTY_NAMES: &str = include_str!("../tests/data/demo-party-names.txt");

/// Further unlisted names, some made of common words.
const UNLISTED: &[&str] = &[
    "Shenzhen Lotus Cloud Computing Co., Ltd.",
    "Dubai Creek Cloud FZE",
    "Moscow Riverside Bakery LLC",
    "China Technology Group",
    "International Trading Company",
];

/// Every 500th listed primary name (52 names, individuals, vessels and companies), some
/// with a typo, plus the unlisted names: about 70 % listed, 30 % not.
fn mixed_names(list: &ScreeningList) -> Vec<String> {
    let mut names: Vec<String> = list
        .entries
        .iter()
        .step_by(500)
        .enumerate()
        .map(|(i, e)| {
            if i % 4 == 0 {
                with_typo(&e.name)
            } else {
                e.name.clone()
            }
        })
        .collect();
    names.extend(
        DEMO_PARTY_NAMES
            .lines()
            .chain(UNLISTED.iter().copied())
            .map(str::to_string),
    );
    names
}

/// The fourth letter replaced by 'x', when the name is long enough.
fn with_typo(name: &str) -> String {
    name.char_indices()
        .map(|(i, c)| {
            if i == 3 && c.is_ascii_alphabetic() {
                'x'
            } else {
                c
            }
        })
        .collect()
}

/// Resident memory in MB (Linux), to show what the index costs.
fn resident_mb() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / 1_048_576.0)
}

fn build(c: &mut Criterion) {
    let list = Arc::new(ScreeningList::embedded());
    let before = resident_mb();
    let started = Instant::now();
    let index = ScreeningIndex::build(Arc::clone(&list));
    let elapsed = started.elapsed();
    if let (Some(before), Some(after)) = (before, resident_mb()) {
        println!(
            "index of {} entries: {} names, {} tokens, built in {elapsed:?}, ~{:.0} MB resident",
            list.len(),
            index.name_count(),
            index.token_count(),
            after - before
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let store = IndexStore::in_dir(dir.path(), 1);
    store.save(&index).expect("the index is stored");
    drop(index);
    let mut g = c.benchmark_group("screening");
    g.sample_size(10);
    g.bench_function("load_embedded_list", |b| {
        b.iter(|| black_box(ScreeningList::embedded()))
    });
    g.bench_function("index_build", |b| {
        b.iter(|| black_box(ScreeningIndex::build(Arc::clone(&list))))
    });
    // What a command or the app does after the first run: list and index read back together.
    g.bench_function("index_load_stored", |b| {
        b.iter(|| black_box(store.load().expect("the stored index loads")))
    });
    g.finish();
}

fn screen(c: &mut Criterion) {
    let index = ScreeningIndex::build(Arc::new(ScreeningList::embedded()));
    let names = mixed_names(index.list());
    let started = Instant::now();
    let mut found = 0usize;
    for name in &names {
        found += usize::from(!index.screen(name, None, DEFAULT_THRESHOLD).is_empty());
    }
    println!(
        "{} names ({} with a match above {DEFAULT_THRESHOLD}): {:?} per name, first pass",
        names.len(),
        found,
        started.elapsed() / names.len() as u32
    );
    let mut g = c.benchmark_group("screening");
    g.throughput(Throughput::Elements(names.len() as u64));
    g.bench_function("screen_mixed_names", |b| {
        b.iter(|| {
            for name in &names {
                black_box(index.screen(black_box(name), None, DEFAULT_THRESHOLD));
            }
        })
    });
    // `check` on many orders naming the same parties: after the first pass, every name is a
    // cache hit.
    let mut cache = ScreeningCache::new();
    g.bench_function("screen_cached_repeat_names", |b| {
        b.iter(|| {
            for name in &names {
                black_box(index.screen_cached(
                    &mut cache,
                    black_box(name),
                    None,
                    DEFAULT_THRESHOLD,
                ));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, build, screen);
criterion_main!(benches);
