//! Team ledger on localhost, against a throwaway PostgreSQL cluster (tests/support/pg.rs) with
//! durable commits (fsync on, as a real server):
//! - commits per second and commit latency (p50, p99) with 4 concurrent officers, each commit
//!   its own transaction (lock the head, catch up, evaluate, store, notify);
//! - opening a ledger that holds 100,000 orders to a usable workspace: connect, read and verify
//!   every event, replay, evaluate the book (screened), and the app's first frame.
//!
//! Quality bars (product.md): p99 commit under 10 ms with 4 clients; a 100k-order ledger opens
//! to a usable frame in under 2 s.
//!
//! `cargo bench --bench ledger`; sizes from LEDGER_BENCH_COMMITS (per client, default 500),
//! LEDGER_BENCH_BASE (orders already in the ledger for the commit runs, default 10,000) and
//! LEDGER_BENCH_ORDERS (the ledger opened, default 100,000).

#[path = "../tests/support/pg.rs"]
mod pg;
#[allow(dead_code)]
mod support;

use diffusion_desk::rules::{Engine, Order};
use diffusion_desk::session::audit::{Action, AuditEvent};
use diffusion_desk::session::commit::Intent;
use diffusion_desk::session::synthetic::synthetic_orders;
use diffusion_desk::session::{RulesetRef, Session};
use diffusion_desk::store::{Env, LedgerConn, LedgerEval, PgStore, Target, admin};
use diffusion_desk::ui::DeskApp;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CLIENTS: usize = 4;
const PASSWORD: &str = "bench";

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A ledger database holding `n` synthetic orders, each added by its own event, in date order
/// (as officers entering a book day by day would leave it).
fn ledger_with(cluster: &pg::Cluster, db: &str, eval: &LedgerEval, n: usize) {
    cluster.create_db(db);
    let admin_target = Target::resolve(&cluster.admin_url(db), None, &Env::isolated()).unwrap();
    admin::init(&admin_target, eval, "Bench ledger").unwrap();
    for c in 0..CLIENTS {
        cluster.create_login(&format!("officer{c}"), PASSWORD, &["ledger_officer"]);
    }
    if n == 0 {
        return;
    }
    let mut orders = synthetic_orders(&eval.engine, n, 7);
    orders.sort_by_key(|o| o.date);
    let mut s = Session::new("Bench ledger", RulesetRef::of(eval.engine.loaded()));
    let mut prev = String::new();
    for (i, o) in orders.iter().enumerate() {
        let e = AuditEvent::new(
            i as u64 + 1,
            format!("{}T09:00:00Z", o.date),
            "importer".into(),
            Action::OrderAdded { order: o.clone() },
            String::new(),
            Vec::new(),
            &prev,
        );
        prev = e.hash.clone();
        s.history.push(e);
    }
    s.orders = orders;
    let t = Instant::now();
    admin::import(&admin_target, eval, s).unwrap();
    println!("  (set-up: imported {n} orders in {:.1?})", t.elapsed());
}

fn target(cluster: &pg::Cluster, user: &str, db: &str) -> Target {
    Target::resolve(
        &cluster.url(user, db),
        Some(PASSWORD.into()),
        &Env::isolated(),
    )
    .unwrap()
}

/// 4 officers committing `per_client` orders each: back to back (`pace` None: a stress test,
/// where each commit also waits for the others' in the queue for the head), or with a pause of
/// up to `pace` between their own commits (busy officers: commits rarely queue).
fn commits(
    cluster: &pg::Cluster,
    eval: &LedgerEval,
    base: usize,
    per_client: usize,
    pace: Option<Duration>,
) {
    let db = format!("commits{base}x{}", pace.map_or(0, |p| p.as_millis()));
    ledger_with(cluster, &db, eval, base);
    let start = Instant::now();
    let threads: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let t = target(cluster, &format!("officer{c}"), &db);
            let eval = eval.clone();
            let mut orders: Vec<Order> = synthetic_orders(&eval.engine, per_client, 100 + c as u64);
            for (i, o) in orders.iter_mut().enumerate() {
                o.id = format!("B{c}-{i}");
            }
            std::thread::spawn(move || {
                let mut conn = LedgerConn::open(Arc::new(t), eval).unwrap();
                let mut seed = 0x9E37_79B9_7F4A_7C15_u64 ^ c as u64;
                orders
                    .into_iter()
                    .map(|o| {
                        if let Some(p) = pace {
                            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                            let ms = p.as_millis() as u64;
                            std::thread::sleep(Duration::from_millis((seed >> 33) % ms.max(1)));
                            // As the app's worker does on NOTIFY: catch up outside the lock.
                            conn.catch_up().unwrap();
                            conn.refresh();
                        }
                        let intent = Intent::new(Action::OrderAdded { order: o }, "");
                        let author = conn.author_now();
                        let t = Instant::now();
                        conn.commit(&intent, &author).unwrap();
                        t.elapsed()
                    })
                    .collect::<Vec<Duration>>()
            })
        })
        .collect();
    let mut all: Vec<Duration> = threads
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let wall = start.elapsed();
    all.sort();
    let n = all.len();
    let how = match pace {
        None => "back to back".to_string(),
        Some(p) => format!("each pausing 0–{p:?} between commits"),
    };
    println!(
        "commits, {CLIENTS} clients {how}, ledger of {base}→{} orders: {:.0} commits/s; latency p50 {:.2?}, p99 {:.2?}, max {:.2?} ({n} commits in {wall:.2?})",
        base + n,
        n as f64 / wall.as_secs_f64(),
        all[n / 2],
        all[n * 99 / 100],
        all[n - 1]
    );
}

/// Opening a large ledger: the store's load, the workspace, and the app's first frame.
fn open(cluster: &pg::Cluster, eval: &LedgerEval, n: usize) {
    let db = "open";
    ledger_with(cluster, db, eval, n);
    for round in 1..=3 {
        let t = Instant::now();
        let conn =
            LedgerConn::open(Arc::new(target(cluster, "officer0", db)), eval.clone()).unwrap();
        let load = t.elapsed();
        assert_eq!(conn.replica.session.orders.len(), n);
        drop(conn);

        let t = Instant::now();
        let ws = PgStore::open_workspace(
            target(cluster, "officer0", db),
            eval.clone(),
            Duration::from_secs(120),
        )
        .unwrap();
        let workspace = t.elapsed();
        let ctx = egui::Context::default();
        let mut app = DeskApp::new(ws);
        app.show_view("orders");
        let frame = support::timed_frame(&ctx, &mut app, support::input(None));
        let usable = t.elapsed();
        println!(
            "open a ledger of {n} orders (round {round}): read+verify+replay+evaluate {load:.2?}; to a workspace {workspace:.2?}; first frame {frame:.2?}; usable frame after {usable:.2?}"
        );
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let machine = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("ledger bench: {machine} cores, PostgreSQL on 127.0.0.1 with fsync on");
    let cluster = pg::Cluster::start_with(pg::Options {
        durable: true,
        ..pg::Options::default()
    });
    let t = Instant::now();
    let eval = LedgerEval::standard(Arc::new(Engine::embedded()));
    println!(
        "  (set-up: screening index built in {:.2?}, once per process)",
        t.elapsed()
    );
    let per_client = size("LEDGER_BENCH_COMMITS", 500);
    let base = size("LEDGER_BENCH_BASE", 10_000);
    let pace = Some(Duration::from_millis(100));
    commits(&cluster, &eval, 0, per_client, None);
    commits(&cluster, &eval, 0, per_client, pace);
    commits(&cluster, &eval, base, per_client, None);
    commits(&cluster, &eval, base, per_client, pace);
    open(&cluster, &eval, size("LEDGER_BENCH_ORDERS", 100_000));
}
