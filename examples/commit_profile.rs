//! The CPU side of team-ledger commits at a given book size, without a database: four replicas
//! take turns, each catching up on the others' events and then preparing its own order, as
//! `LedgerConn::try_commit` does inside the head lock (extend, `prepare_in`, the projection
//! rows, the JSON sent). Prints the mean time of each phase and the spread of the total; run it
//! under `perf record` to see where the time goes.
//!
//! Then the same book in a workspace on a session file (the desktop app's own store): the mean
//! time of adding, editing (back-dating) and voiding an order, decisions and summary included.
//!
//! `cargo run --release --example commit_profile -- [orders in the book, default 10000]
//! [commits, default 400]`

use diffusion_desk::rules::{Engine, Order};
use diffusion_desk::session::audit::{Action, AuditEvent};
use diffusion_desk::session::commit::{Author, Intent, prepare_in};
use diffusion_desk::session::synthetic::synthetic_orders;
use diffusion_desk::session::{RulesetRef, Session, Workspace};
use diffusion_desk::store::LedgerEval;
use diffusion_desk::store::replica::Replica;
use diffusion_desk::store::rows;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A ledger of `n` synthetic orders, each added by its own event, in date order (as the ledger
/// bench sets it up).
fn history(eval: &LedgerEval, n: usize) -> Vec<AuditEvent> {
    let mut orders = synthetic_orders(&eval.engine, n, 7);
    orders.sort_by_key(|o| o.date);
    let mut prev = String::new();
    let mut events = Vec::with_capacity(n);
    for (i, o) in orders.into_iter().enumerate() {
        let e = AuditEvent::new(
            i as u64 + 1,
            format!("{}T09:00:00Z", o.date),
            "importer".into(),
            Action::OrderAdded { order: o },
            String::new(),
            Vec::new(),
            &prev,
        );
        prev = e.hash.clone();
        events.push(e);
    }
    events
}

const PHASES: [&str; 4] = ["catch up", "prepare", "rows+json", "total"];

/// One commit of `order` on `r`, after catching up on `log` (the events after the first
/// `base`); the time of each phase.
fn commit(
    eval: &LedgerEval,
    r: &mut Replica,
    (log, base): (&mut Vec<AuditEvent>, usize),
    order: Order,
) -> [Duration; 4] {
    let t0 = Instant::now();
    let known = usize::try_from(r.seq()).expect("a small ledger") - base;
    r.extend(log[known..].to_vec()).unwrap();
    let t1 = Instant::now();
    let intent = Intent::new(Action::OrderAdded { order }, "");
    let author = Author {
        user: "officer".into(),
        at: "2026-01-01T00:00:00Z".into(),
    };
    let (event, redecided) = prepare_in(
        eval.evaluator(),
        &mut r.session,
        &mut r.book,
        &intent,
        &author,
    )
    .unwrap();
    r.place(&event);
    let t2 = Instant::now();
    let (rows, gone) = rows::delta(
        &r.session,
        r.book.decisions(),
        &redecided,
        &r.placement,
        &event,
    )
    .unwrap();
    let sent = (
        serde_json::to_string(&event).unwrap(),
        serde_json::to_string(&rows).unwrap(),
        gone,
    );
    std::hint::black_box(sent);
    drop(rows);
    let t3 = Instant::now();
    r.committed(event.clone());
    r.take_new();
    log.push(event);
    [t1 - t0, t2 - t1, t3 - t2, t3 - t0]
}

/// Adds, edits and voids `n` orders in a workspace on a session file holding `events`.
fn workspace(eval: &LedgerEval, events: &[AuditEvent], n: usize) {
    let mut s = Session::new("profile", RulesetRef::of(eval.engine.loaded()));
    s.orders = events
        .iter()
        .filter_map(|e| match &e.action {
            Action::OrderAdded { order } => Some(order.clone()),
            _ => None,
        })
        .collect();
    let mut ws = Workspace::new(Arc::clone(&eval.engine), s);
    if let Some(sc) = &eval.screener {
        ws.set_screener(Arc::clone(sc));
    }
    let mut orders = synthetic_orders(&eval.engine, n, 200);
    for (i, o) in orders.iter_mut().enumerate() {
        o.id = format!("W-{i}");
    }
    let t = Instant::now();
    for o in &orders {
        ws.add_order(o.clone()).unwrap();
    }
    let add = t.elapsed();
    let t = Instant::now();
    for (k, o) in orders.iter().enumerate() {
        let i = ws.orders().iter().position(|x| x.id == o.id).unwrap();
        let mut edited = o.clone();
        edited.date = orders[(k * 7) % n].date;
        ws.replace_order(i, edited).unwrap();
    }
    let edit = t.elapsed();
    let t = Instant::now();
    for o in &orders {
        let i = ws.orders().iter().position(|x| x.id == o.id).unwrap();
        ws.void_order(i, "profile").unwrap();
    }
    let void = t.elapsed();
    let per = |d: Duration| d / u32::try_from(n).expect("a few edits");
    println!(
        "workspace on a session file of {} orders: add {:.1?}, edit {:.1?}, void {:.1?} per order",
        events.len(),
        per(add),
        per(edit),
        per(void)
    );
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let base = args.first().copied().unwrap_or(10_000);
    let commits = args.get(1).copied().unwrap_or(400).max(1);
    let eval = LedgerEval::standard(Arc::new(Engine::embedded()));
    let events = history(&eval, base);
    let ruleset = RulesetRef::of(eval.engine.loaded());
    let mut replicas: Vec<Replica> = (0..4)
        .map(|_| {
            let mut r = Replica::load(events.clone(), "profile", ruleset.clone()).unwrap();
            r.refresh(eval.evaluator());
            r
        })
        .collect();
    let mut orders = synthetic_orders(&eval.engine, commits, 100);
    for (i, o) in orders.iter_mut().enumerate() {
        o.id = format!("B-{i}");
    }
    // Events committed after the base, in ledger order.
    let mut log: Vec<AuditEvent> = Vec::new();
    let mut sums = [Duration::ZERO; 4];
    let mut totals = Vec::with_capacity(commits);
    for (i, o) in orders.into_iter().enumerate() {
        let t = commit(&eval, &mut replicas[i % 4], (&mut log, base), o);
        for (s, d) in sums.iter_mut().zip(t) {
            *s += d;
        }
        totals.push(t[3]);
    }
    totals.sort();
    let n = u32::try_from(commits).expect("a few commits");
    println!(
        "book of {base}→{} orders, {commits} commits over 4 replicas:",
        base + commits
    );
    for (name, s) in PHASES.iter().zip(sums) {
        println!("  {name:<10} mean {:>9.1?}", s / n);
    }
    println!(
        "  total p50 {:.2?}, p99 {:.2?}, max {:.2?}",
        totals[totals.len() / 2],
        totals[totals.len() * 99 / 100],
        totals[totals.len() - 1]
    );
    workspace(&eval, &events, commits.min(200));
}
