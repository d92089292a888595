//! The app on a team ledger, headless: File ▸ Connect to team ledger…, the status bar, and a
//! colleague's back-dated order shown to the officer whose decision it changed.

use crate::common::*;
use diffusion_desk::session::Workspace;
use diffusion_desk::session::audit::Action;
use diffusion_desk::session::commit::Intent;
use diffusion_desk::session::store::StoreStatus;
use diffusion_desk::ui::DeskApp;
use diffusion_desk::ui::dialogs::FakeDialogs;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;
use std::time::{Duration, Instant};

type App = Harness<'static, DeskApp>;

fn fill(h: &mut App, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(role, label).type_text(text);
    h.run();
}

/// Runs frames until `done` holds (the ledger's worker answers between frames).
fn run_until(h: &mut App, what: &str, mut done: impl FnMut(&App) -> bool) {
    let start = Instant::now();
    while !done(h) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
        // step, not run: the dialog's spinner repaints while connecting.
        h.step();
    }
}

#[test]
fn the_app_connects_shows_colleagues_changes_live_and_tells_whose_decision_changed() {
    let l = Ledger::new();
    let mut bob = l.conn("bob");
    let add = |c: &mut diffusion_desk::store::LedgerConn, id: &str, date: &str, qty: u64| {
        let author = c.author_now();
        let intent = Intent::new(
            Action::OrderAdded {
                order: order(id, date, "IN", "Reliance Jio", qty),
            },
            "",
        );
        c.commit(&intent, &author).unwrap();
    };
    // The consignee's LPP room for 2025 is about 1,699 H100.
    add(&mut bob, "B-1", "2025-09-01", 100);

    let data = tempfile::tempdir().unwrap();
    let ws = Workspace::empty(Arc::clone(&eval().engine));
    let app = DeskApp::with_dialogs(ws, Box::new(FakeDialogs::default()))
        .with_data_dir(Some(data.path().to_path_buf()));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 760.0))
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app);
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Connect to team ledger").click();
    h.run();
    fill(
        &mut h,
        Role::TextInput,
        "Ledger URL",
        &l.cluster.url("alice", &l.db),
    );
    fill(&mut h, Role::PasswordInput, "Password", PASSWORD);
    h.get_by_label("Connect").click();
    h.step();
    run_until(&mut h, "the ledger to open", |h| {
        h.state().ws.store_status() == StoreStatus::Connected
    });
    assert_eq!(h.state().ws.user, "alice");
    assert_eq!(h.state().ws.orders().len(), 1);
    assert!(h.query_by_label_contains("connected").is_some());
    assert!(
        h.query_by_role_and_label(Role::PasswordInput, "Password")
            .is_none()
    );

    // Alice enters an October order for the same consignee: it still fits the LPP room.
    h.state_mut()
        .ws
        .add_order(order("A-1", "2025-10-01", "IN", "Reliance Jio", 1000))
        .unwrap();
    run_until(&mut h, "alice's order", |h| {
        h.state().ws.orders().len() == 2
    });
    // Bob back-dates an order to February: alice's order no longer fits, and she is told.
    add(&mut bob, "B-0", "2025-02-01", 650);
    run_until(&mut h, "the notice", |h| {
        h.query_by_label_contains("changed the decision of your order A-1")
            .is_some()
    });
    assert!(h.query_by_label_contains("B-0 by bob").is_some());

    // The password was never written anywhere the app keeps things.
    for entry in walk(data.path()) {
        let text = std::fs::read(&entry).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&text).contains(PASSWORD),
            "{}",
            entry.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
