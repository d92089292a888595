//! The server goes away mid-session: edits are kept and reported, the worker reconnects, and
//! every edit is committed exactly once.

use crate::common::*;
use diffusion_desk::session::Workspace;
use diffusion_desk::session::store::StoreStatus;
use diffusion_desk::store::PgStore;
use diffusion_desk::store::outbox::Outbox;
use std::time::Duration;

fn exactly_once(l: &Ledger, n: usize) {
    let row = l
        .sql("audrey")
        .query_one(
            "SELECT count(*), count(DISTINCT idem_key), count(DISTINCT event -> 'action' -> 'OrderAdded' -> 'order' ->> 'id') FROM ledger.events",
            &[],
        )
        .unwrap();
    let (events, keys, ids): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
    assert_eq!((events, keys, ids), (n as i64, n as i64, n as i64));
}

fn settled(ws: &mut Workspace, n: usize) {
    let done = wait_for(ws, Duration::from_secs(60), |ws| {
        ws.orders().len() == n && ws.store_status() == StoreStatus::Connected
    });
    assert!(
        done.is_some(),
        "{} of {n} orders, status {:?}",
        ws.orders().len(),
        ws.store_status()
    );
}

#[test]
fn stopping_and_restarting_the_server_mid_session_leaves_exactly_one_commit_per_edit() {
    let mut l = Ledger::new();
    let mut ws = l.workspace("alice");
    for i in 0..5 {
        add(&mut ws, i);
    }
    settled(&mut ws, 5);

    // A clean shutdown: edits made while it is down wait, and the status bar says so.
    l.cluster.stop("fast");
    for i in 5..10 {
        add(&mut ws, i);
    }
    let told = wait_for(&mut ws, Duration::from_secs(20), |ws| {
        matches!(
            ws.store_status(),
            StoreStatus::Reconnecting { pending: 5, .. }
        )
    });
    assert!(told.is_some(), "status: {:?}", ws.store_status());
    assert_eq!(ws.orders().len(), 5);
    l.cluster.restart();
    settled(&mut ws, 10);
    exactly_once(&l, 10);

    // A crash in the middle of a burst: some commits were in flight when the server died.
    for i in 10..30 {
        add(&mut ws, i);
    }
    std::thread::sleep(Duration::from_millis(15));
    l.cluster.stop("immediate");
    std::thread::sleep(Duration::from_millis(300));
    l.cluster.restart();
    settled(&mut ws, 30);
    exactly_once(&l, 30);
    // The workspace's copy is the ledger's.
    let fresh = l.workspace("bob");
    assert_eq!(fresh.session.history, ws.session.history);
}

fn add(ws: &mut Workspace, i: usize) {
    ws.add_order(order(
        &format!("F-{i:02}"),
        "2025-05-05",
        "IN",
        "Acme Data",
        10,
    ))
    .unwrap();
}

/// Waits until every app instance using the outbox folder `dir` has stopped: each holds a
/// `.lock` file there while it runs.
fn released(dir: &std::path::Path) {
    let locks = || {
        std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "lock")
            })
            .count()
    };
    let start = std::time::Instant::now();
    while locks() > 0 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "an instance did not stop"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn edits_waiting_for_the_server_survive_closing_the_app_and_are_sent_once_next_time() {
    let mut l = Ledger::new();
    let dir = tempfile::tempdir().unwrap();
    // The outbox files waiting in the folder (one per app instance that had edits unsent).
    let waiting = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .collect()
    };
    let open = |l: &Ledger| {
        PgStore::open_workspace_with(
            l.target("alice"),
            eval(),
            Duration::from_secs(60),
            Outbox::in_dir(dir.path(), &l.target("alice")),
        )
        .unwrap()
    };
    let mut ws = open(&l);
    add(&mut ws, 0);
    settled(&mut ws, 1);
    assert!(waiting().is_empty(), "nothing waits, so nothing is kept");

    l.cluster.stop("fast");
    add(&mut ws, 1);
    add(&mut ws, 2);
    let told = wait_for(&mut ws, Duration::from_secs(20), |ws| {
        matches!(
            ws.store_status(),
            StoreStatus::Reconnecting { pending: 2, .. }
        )
    });
    assert!(told.is_some(), "status: {:?}", ws.store_status());
    // The app closes while the server is away: the edits are on disk.
    drop(ws);
    released(dir.path());
    let files = waiting();
    assert_eq!(files.len(), 1, "{files:?}");
    let file = files[0].clone();
    let kept = std::fs::read_to_string(&file).unwrap();
    assert!(kept.contains("F-01") && kept.contains("F-02"), "{kept}");

    // Next time, they are sent first, once, and the file goes.
    l.cluster.restart();
    let mut ws = open(&l);
    settled(&mut ws, 3);
    exactly_once(&l, 3);
    assert!(waiting().is_empty(), "{:?}", waiting());
    let notices = ws.take_notices();
    assert!(
        notices
            .iter()
            .any(|n| n.starts_with("2 edits not yet sent when the app last closed")),
        "{notices:?}"
    );

    // Had they reached the ledger before the crash, sending them again records nothing new.
    std::fs::write(&file, &kept).unwrap();
    drop(ws);
    released(dir.path());
    let mut ws = open(&l);
    let drained = wait_for(&mut ws, Duration::from_secs(30), |ws| {
        ws.store_status() == StoreStatus::Connected && waiting().is_empty()
    });
    assert!(drained.is_some(), "status: {:?}", ws.store_status());
    settled(&mut ws, 3);
    exactly_once(&l, 3);
}
