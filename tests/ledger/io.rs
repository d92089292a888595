//! Sessions in and out of a ledger: `ledger import` then `ledger export` round-trips a session
//! (same orders, decisions and verified history), through the library and the command line; and
//! `ledger add` from several processes at once.

use crate::common::*;
use diffusion_desk::rules::{Licence, LicenceAmount, LicenceOutcome, OverrideVerdict, Scenario};
use diffusion_desk::session::file::{load_session, save_session};
use diffusion_desk::session::{Party, Resolution, Session, Workspace, audit};
use diffusion_desk::store::admin;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

/// A session whose history has every kind of change a record holds.
fn rich_session() -> Session {
    let e = eval();
    let clock = Arc::new(|| "2025-07-01T09:00:00Z".parse().unwrap());
    let s = Workspace::empty(Arc::clone(&e.engine)).session;
    let mut ws = Workspace::with_clock(Arc::clone(&e.engine), s, "alice".into(), clock);
    ws.set_screener(e.screener.clone().unwrap());
    ws.add_order(order("Q-1", "2025-08-01", "IN", "Reliance Jio", 1000))
        .unwrap();
    // Back-dated: takes the year's LPP room first, so Q-1 needs a licence.
    ws.add_order(order("Q-2", "2025-03-01", "IN", "Reliance Jio", 1000))
        .unwrap();
    ws.add_order(order(
        "Q-3",
        "2025-05-01",
        "BR",
        "Huawei Technologies Co., Ltd.",
        10,
    ))
    .unwrap();
    let el = ws
        .screening(2)
        .unwrap()
        .hits
        .iter()
        .position(|h| h.list.short == "EL")
        .unwrap();
    ws.decide_hit(
        2,
        el,
        Resolution::Confirmed,
        "Same company: Shenzhen address",
    )
    .unwrap();
    ws.save_party(
        None,
        Party {
            name: "Reliance Jio".into(),
            hq: cc("IN"),
            parent: None,
            parent_hq: None,
            veu: Default::default(),
        },
    )
    .unwrap();
    ws.add_order(order("Q-4", "2025-06-01", "AE", "Orion Cloud FZ", 64))
        .unwrap();
    ws.void_order(3, "Entered twice").unwrap();
    let pending = Licence {
        application: "Z1000001".into(),
        order_id: "Q-1".into(),
        applied: "2025-08-02".parse().unwrap(),
        outcome: LicenceOutcome::Pending,
    };
    ws.save_licence(None, pending.clone()).unwrap();
    let approved = Licence {
        outcome: LicenceOutcome::Approved {
            number: "D555001".into(),
            decided: "2025-09-01".parse().unwrap(),
            approved: LicenceAmount::Units(1000),
            valid_until: "2026-09-01".parse().unwrap(),
            conditions: "no re-export".into(),
        },
        ..pending.clone()
    };
    ws.save_licence(Some(&pending), approved).unwrap();
    ws.request_override(1, OverrideVerdict::PresumptionOfDenial, "End use unclear")
        .unwrap();
    ws.user = "rita".into();
    ws.approve_override(0, "Agreed after review").unwrap();
    ws.user = "alice".into();
    let mut scenario = Scenario::default();
    scenario.g2g.insert(cc("IN"));
    ws.set_scenario(scenario).unwrap();
    ws.session
}

fn decide(s: &Session) -> Vec<diffusion_desk::rules::Decision> {
    eval().evaluator().decide(s)
}

fn same_session(a: &Session, b: &Session) {
    assert_eq!(a.orders, b.orders);
    assert!(audit::same_audited_state(a, b));
    assert_eq!(a.history, b.history);
    assert_eq!(decide(a), decide(b));
    let ws = Workspace::new(Arc::clone(&eval().engine), b.clone());
    assert!(
        ws.history_status().is_verified(),
        "{:?}",
        ws.history_status()
    );
}

#[test]
fn import_then_export_round_trips_a_session() {
    let l = Ledger::new();
    let original = rich_session();
    let r = admin::import(&l.admin_target(), &eval(), original.clone()).unwrap();
    assert_eq!(
        (r.events, r.orders, r.voided),
        (original.history.len(), 3, 1)
    );
    // A second import is refused: the ledger is no longer empty.
    assert!(admin::import(&l.admin_target(), &eval(), original.clone()).is_err());

    let x = admin::export(&l.target("audrey"), &eval()).unwrap();
    assert!(x.checked && x.mismatched.is_empty(), "{:?}", x.mismatched);
    same_session(&original, &x.session);
    // Through a file, as the app would open it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.ron");
    save_session(&path, &x.session).unwrap();
    same_session(&original, &load_session(&path, &eval().engine).unwrap());
    // The app on the ledger shows the same book and decisions as the file.
    let ws = l.workspace("alice");
    assert_eq!(ws.orders(), original.orders.as_slice());
    assert_eq!(ws.decisions(), decide(&original).as_slice());
}

fn desk(args: &[&str], home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_diffusion-desk"));
    c.args(args);
    for v in [
        "PGPASSWORD",
        "PGPASSFILE",
        "PGHOST",
        "PGPORT",
        "PGUSER",
        "PGDATABASE",
        "PGSSLMODE",
    ] {
        c.env_remove(v);
    }
    c.env("HOME", home).stdin(Stdio::null());
    c
}

/// Twelve orders to one shared consignee, ids `{prefix}-0`…, and one row with a bad quantity.
fn officer_csv(home: &Path, name: &str, prefix: &str) -> std::path::PathBuf {
    let p = home.join(name);
    let mut text = String::from("id,date,destination,consignee,consignee_hq,item,quantity\n");
    for i in 0..12 {
        text.push_str(&format!(
            "{prefix}-{i},2025-0{}-{},IN,Shared Consignee,IN,h100-sxm,300\n",
            7 + i % 3,
            10 + i
        ));
    }
    text.push_str(&format!(
        "{prefix}-bad,2025-07-01,IN,Shared Consignee,IN,h100-sxm,lots\n"
    ));
    std::fs::write(&p, text).unwrap();
    p
}

/// `ledger add` of [`officer_csv`]: twelve decisions as `check` prints them, then the bad row.
fn assert_added(out: std::process::Output, prefix: &str) {
    assert_eq!(
        out.status.code(),
        Some(1),
        "one invalid row: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 13);
    for (i, j) in lines.iter().take(12).enumerate() {
        assert_eq!(j["id"], format!("{prefix}-{i}"));
        for key in [
            "tier",
            "verdict",
            "authority",
            "eccn",
            "tpp",
            "h100e",
            "counts_against_allocation",
            "allocation_remaining_tpp",
            "screening",
            "findings",
        ] {
            assert!(j.get(key).is_some(), "{key} in {j}");
        }
        assert_eq!(j["screening"]["status"], "clear", "{j}");
    }
    assert_eq!(lines[12]["verdict"], "invalid");
    assert!(lines[12]["message"].as_str().unwrap().contains("quantity"));
}

#[test]
fn the_ledger_commands_round_trip_a_session_and_add_orders_from_several_processes() {
    let l = Ledger::new();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    // The quarter with its history: the import keeps every event and its hash.
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("saved_sessions/compliance-quarter.ron");
    let out = desk(
        &[
            "ledger",
            "import",
            &l.cluster.admin_url(&l.db),
            file.to_str().unwrap(),
        ],
        home,
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("history verified"));

    // Two officers add orders at once, their passwords from PGPASSWORD and ~/.pgpass.
    let pgpass = home.join(".pgpass");
    std::fs::write(
        &pgpass,
        format!("127.0.0.1:{}:*:bob:{PASSWORD}\n", l.cluster.port),
    )
    .unwrap();
    std::fs::set_permissions(&pgpass, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let (a_csv, b_csv) = (
        officer_csv(home, "a.csv", "A"),
        officer_csv(home, "b.csv", "B"),
    );
    let run = |user: &str, path: &Path| {
        let mut c = desk(
            &[
                "ledger",
                "add",
                &l.cluster.url(user, &l.db),
                path.to_str().unwrap(),
            ],
            home,
        );
        if user == "alice" {
            c.env("PGPASSWORD", PASSWORD);
        }
        c.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (run("alice", &a_csv), run("bob", &b_csv));
    for (child, prefix) in [(a, "A"), (b, "B")] {
        assert_added(child.wait_with_output().unwrap(), prefix);
    }
    // Export through the command line, as the auditor; it opens with its history verified.
    let exported = home.join("ledger.ron");
    let out = desk(
        &[
            "ledger",
            "export",
            &l.cluster.url("audrey", &l.db),
            exported.to_str().unwrap(),
        ],
        home,
    )
    .env("PGPASSWORD", PASSWORD)
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back = load_session(&exported, &eval().engine).unwrap();
    let before = load_session(&file, &eval().engine).unwrap();
    assert_eq!(back.orders.len(), before.orders.len() + 24);
    assert_eq!(back.history.len(), before.history.len() + 24);
    assert!(
        before.history.len() > 1,
        "the quarter's own history came along"
    );
    assert!(
        Workspace::new(Arc::clone(&eval().engine), back)
            .history_status()
            .is_verified()
    );
    without_a_password_the_command_says_where_to_put_one(&l, home);
}

/// Without a password anywhere and no terminal, a ledger command says where to put one.
fn without_a_password_the_command_says_where_to_put_one(l: &Ledger, home: &Path) {
    let out = desk(
        &[
            "ledger",
            "export",
            &l.cluster.url("rita", &l.db),
            "/dev/null",
        ],
        home,
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("PGPASSWORD") && err.contains("pgpass"),
        "{err}"
    );
}
