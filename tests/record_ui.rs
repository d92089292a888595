//! The compliance record driven through the app by accessible labels: clearing and confirming a
//! hold with a reason, a licence applied for and approved, an override refused to its requester
//! and approved by another person, voiding and restoring, the user name in Settings, the History
//! and Licences views (with snapshots), and the period report exported from the File menu.

#[path = "support/desk_ui.rs"]
mod desk_ui;
use desk_ui::fill;

use diffusion_desk::rules::{Authority, Engine, Item, Order, Verdict, VeuStatus};
use diffusion_desk::screening::{IndexScreener, adapter::embedded_index};
use diffusion_desk::session::audit::Action;
use diffusion_desk::session::file::load_session;
use diffusion_desk::session::{RulesetRef, Session, Workspace};
use diffusion_desk::ui::dialogs::{FakeDialogs, Picked};
use diffusion_desk::ui::history_view::HistoryView;
use diffusion_desk::ui::licences_view::LicencesView;
use diffusion_desk::ui::orders_view::OrdersView;
use diffusion_desk::ui::{AppAction, DeskApp};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::path::Path;
use std::sync::Arc;

type H = Harness<'static, DeskApp>;

fn order(id: &str, dest: &str, consignee: &str, item: &str, qty: u64) -> Order {
    let cc = diffusion_desk::rules::CountryCode::parse(dest).unwrap();
    Order {
        id: id.into(),
        date: "2025-07-07".parse().unwrap(),
        destination: cc,
        consignee: consignee.into(),
        consignee_hq: cc,
        parent: None,
        parent_hq: None,
        veu: VeuStatus::None,
        item: Item::Chip(item.into()),
        quantity: qty,
        licence: None,
    }
}

/// A screened workspace with `orders`, changes recorded as "ana" at a pinned time.
fn workspace(orders: &[Order]) -> Workspace {
    let engine = Arc::new(Engine::embedded());
    let s = Session::new("Record test", RulesetRef::of(engine.loaded()));
    let clock = Arc::new(|| "2025-07-01T09:00:00Z".parse().unwrap());
    let mut ws = Workspace::with_clock(engine, s, "ana".into(), clock);
    ws.set_screener(Arc::new(IndexScreener::new(embedded_index())));
    for o in orders {
        ws.add_order(o.clone()).unwrap();
    }
    ws
}

fn app(ws: Workspace) -> DeskApp {
    let mut app = DeskApp::with_dialogs(ws, Box::new(FakeDialogs::new()));
    app.views.replace(OrdersView::with_default_date(
        &app.ws,
        jiff::civil::date(2025, 7, 1),
    ));
    app
}

fn harness(app: DeskApp) -> H {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app);
    h.run();
    h
}

/// Opens order `i` in the orders view, as a click in the book does.
fn open(h: &mut H, i: usize) {
    h.state_mut().apply(AppAction::OpenOrder(i));
    h.run();
}

fn click(h: &mut H, label: &str) {
    let node = h.get_by_label(label);
    node.scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

/// Types the reason into a reason prompt.
fn reason(h: &mut H, text: &str) {
    h.get_by_role_and_label(Role::MultilineTextInput, "Reason")
        .focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::MultilineTextInput, "Reason")
        .type_text(text);
    h.run();
}

fn disabled(h: &H, label: &str) -> bool {
    h.get_by_role_and_label(Role::Button, label)
        .accesskit_node()
        .is_disabled()
}

fn outcome(h: &H, i: usize) -> (Verdict, Authority) {
    let d = &h.state().ws.decisions()[i];
    (d.verdict, d.authority)
}

#[test]
fn clearing_a_hold_asks_for_a_reason_and_records_it() {
    // A German namesake of a Malaysian Entity List entry.
    let ws = workspace(&[order(
        "Q3-034",
        "DE",
        "Analytical Solutions GmbH",
        "h100-sxm",
        64,
    )]);
    let mut h = harness(app(ws));
    open(&mut h, 0);
    assert_eq!(outcome(&h, 0).0, Verdict::Hold);
    h.get_by_label_contains("Analytical Solutions GmbH (consignee) — EL");
    h.get_by_label("Open: the order waits for a person");
    click(&mut h, "Clear…");
    // The prompt says what clearing does; no reason, no clearing.
    h.get_by_label("Clear the match with “Analytical Solutions”");
    assert!(disabled(&h, "Clear match"));
    reason(
        &mut h,
        "Namesake: a Munich analytics firm; the listed entity is in Malaysia",
    );
    assert!(!disabled(&h, "Clear match"));
    click(&mut h, "Clear match");
    assert_eq!(outcome(&h, 0), (Verdict::Authorized, Authority::Aia));
    let last = h.state().ws.session.history.last().unwrap().clone();
    assert!(matches!(last.action, Action::ScreeningDecided { .. }));
    assert_eq!(last.user, "ana");
    assert_eq!(
        last.reason,
        "Namesake: a Munich analytics firm; the listed entity is in Malaysia"
    );
    h.get_by_label(
        "Cleared by ana: Namesake: a Munich analytics firm; the listed entity is in Malaysia",
    );
    h.get_by_label_contains("match cleared by ana on 2025-07-01");
    // Reopening needs a reason too, and puts the hold back.
    click(&mut h, "Reopen…");
    reason(&mut h, "The customer's registry extract did not arrive");
    click(&mut h, "Reopen match");
    assert_eq!(outcome(&h, 0).0, Verdict::Hold);
}

#[test]
fn confirming_an_entity_list_match_applies_its_policy() {
    let ws = workspace(&[order(
        "Q3-033",
        "SG",
        "Sophgo Technologies Pte. Ltd.",
        "h100-sxm",
        200,
    )]);
    let mut h = harness(app(ws));
    open(&mut h, 0);
    let hits = &h.state().ws.screening(0).unwrap().hits;
    let sg = hits
        .iter()
        .position(|x| x.entry_name == "Sophgo Technologies Pte. Ltd.")
        .unwrap();
    let buttons: Vec<_> = h.get_all_by_label("Confirm…").collect();
    buttons[sg].scroll_to_me();
    h.run();
    let buttons: Vec<_> = h.get_all_by_label("Confirm…").collect();
    buttons[sg].click();
    h.run();
    reason(&mut h, "Same entity: name and Singapore address");
    click(&mut h, "Confirm match");
    assert_eq!(outcome(&h, 0).0, Verdict::PresumptionOfDenial);
}

#[test]
fn a_licence_is_applied_for_then_approved_through_the_ui() {
    // 15,000 B200 to Malaysia: too large for LPP, a licence against the allocation.
    let ws = workspace(&[order(
        "Q3-004",
        "MY",
        "Johor Hyperscale Sdn Bhd",
        "b200",
        15_000,
    )]);
    let mut h = harness(app(ws));
    open(&mut h, 0);
    assert_eq!(outcome(&h, 0).0, Verdict::LicenseRequired);
    h.get_by_label("This order needs a licence: none is recorded for it.");
    click(&mut h, "Apply for licence…");
    assert!(disabled(&h, "Record application"), "no number yet");
    fill(&mut h, "Application number", "Z1045521");
    fill(&mut h, "Date applied", "2025-06-17");
    click(&mut h, "Record application");
    assert_eq!(h.state().ws.session.licences.len(), 1);
    assert_eq!(outcome(&h, 0).0, Verdict::LicenseRequired, "pending");
    h.get_by_label("applied");
    // The order's form says so too: its licence field is rightly empty.
    h.get_by_label("Applied for with this order: application Z1045521 filed 2025-06-17, pending");

    click(&mut h, "Record BIS decision…");
    fill(&mut h, "Decision date", "2025-07-02");
    fill(&mut h, "Licence number", "D1182045");
    fill(&mut h, "Approved amount", "21,000");
    // Validated inline: a validity ending before the decision is refused.
    fill(&mut h, "Valid until", "2025-06-30");
    h.get_by_label_contains("valid until 2025-06-30, before its approval on 2025-07-02");
    assert!(disabled(&h, "Record decision"));
    fill(&mut h, "Valid until", "2027-06-30");
    assert!(!disabled(&h, "Record decision"));
    click(&mut h, "Record decision");
    assert_eq!(outcome(&h, 0), (Verdict::Authorized, Authority::License));
    // The order's line says what it draws; the record says where the licence stands.
    h.get_by_label_contains("under D1182045: 6,000 of 21,000 units left");
    h.get_by_label("approved and drawing");
    h.get_by_label_contains("Applied for with this order: approved as D1182045 on 2025-07-02");
    let events = &h.state().ws.session.history;
    let licence_events = events
        .iter()
        .filter(|e| matches!(e.action, Action::LicenceSaved { .. }))
        .count();
    assert_eq!(licence_events, 2, "application and decision, both recorded");
    // The Licences view lists it, with a link back to the order.
    h.get_by_label("Licences").click();
    h.run();
    h.get_by_label_contains("1 licence as of");
    assert_eq!(
        h.get_all_by_label("Q3-004").count(),
        2,
        "applied for, shipped under"
    );
}

#[test]
fn an_override_is_approved_by_a_second_person_only() {
    let ws = workspace(&[order(
        "Q3-020",
        "SA",
        "Riyadh Frontier Lab",
        "h100-sxm",
        500,
    )]);
    let mut h = harness(app(ws));
    open(&mut h, 0);
    assert_eq!(outcome(&h, 0), (Verdict::Authorized, Authority::Lpp));
    click(&mut h, "Overrides (0)");
    click(&mut h, "Request override…");
    h.get_by_label("license required").click();
    h.run();
    assert!(disabled(&h, "Request override"));
    reason(&mut h, "LPP in D:4 is an open question");
    click(&mut h, "Request override");
    h.get_by_label("Waiting for a second person: no effect yet");
    // The requester cannot approve it: the domain's refusal is shown in the prompt.
    click(&mut h, "Approve…");
    reason(&mut h, "Agreed");
    click(&mut h, "Approve override");
    h.get_by_label_contains("another reviewer must approve it");
    assert_eq!(outcome(&h, 0), (Verdict::Authorized, Authority::Lpp));
    click(&mut h, "Cancel");
    // Another person approves it.
    h.state_mut().ws.user = "bo".into();
    click(&mut h, "Approve…");
    reason(&mut h, "Agreed: conservative reading");
    click(&mut h, "Approve override");
    assert_eq!(outcome(&h, 0), (Verdict::LicenseRequired, Authority::None));
    h.get_by_label_contains("Approved by bo");
}

#[test]
fn voided_orders_show_who_and_why_and_can_be_restored() {
    let ws = workspace(&[
        order("A-1", "IN", "Bharat Compute Pvt", "h100-sxm", 100),
        order("A-2", "IN", "Bharat Compute Pvt", "h100-sxm", 100),
    ]);
    let mut h = harness(app(ws));
    open(&mut h, 1);
    click(&mut h, "Void…");
    reason(&mut h, "Entered twice");
    click(&mut h, "Void order");
    assert_eq!(h.state().ws.orders().len(), 1);
    assert!(
        h.query_by_label("Restore A-2").is_none(),
        "hidden by default"
    );
    h.get_by_label("Show voided").click();
    h.run();
    h.get_by_label("voided by ana on 2025-07-01: Entered twice");
    click(&mut h, "Restore A-2");
    assert_eq!(h.state().ws.orders().len(), 2);
    assert!(h.state().ws.session.voided.is_empty());
}

#[test]
fn the_user_name_is_a_preference_applied_to_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(&[]);
    let app = app(ws).with_data_dir(Some(dir.path().to_path_buf()));
    let mut h = harness(app);
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Settings…").click();
    h.run();
    fill(&mut h, "User name", "  ");
    assert!(disabled(&h, "Save"));
    fill(&mut h, "User name", "Sam Okafor");
    click(&mut h, "Save");
    assert_eq!(h.state().ws.user, "Sam Okafor");
    // Kept in the app data folder, not in the session; the next start uses it.
    let next = DeskApp::with_dialogs(workspace(&[]), Box::new(FakeDialogs::new()))
        .with_data_dir(Some(dir.path().to_path_buf()));
    assert_eq!(next.ws.user, "Sam Okafor");
    assert!(!diffusion_desk::session::file::to_ron(&h.state().ws.session).contains("Sam Okafor"));
}

fn quarter() -> Workspace {
    let engine = Arc::new(Engine::embedded());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saved_sessions/compliance-quarter.ron");
    let mut ws = Workspace::new(Arc::clone(&engine), load_session(&path, &engine).unwrap());
    ws.path = Some(path);
    ws.set_screener(Arc::new(IndexScreener::new(embedded_index())));
    ws
}

fn snapshot_harness(mut app: DeskApp, view: &str) -> H {
    app.show_view(view);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 720.0))
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app);
    h.run();
    h
}

#[test]
fn history_view_filters_and_explains_an_event() {
    let mut h = snapshot_harness(app(quarter()), "history");
    h.get_by_label_contains("History verified: 67 events since 2025-06-16");
    fill(&mut h, "Order", "Q3-011");
    h.get_by_label("3 of 67 events");
    click(&mut h, "Clear filters");
    fill(&mut h, "Party", "sophgo");
    // Added, confirmed, cleared.
    h.get_by_label("3 of 67 events");
    click(&mut h, "Clear filters");
    h.get_by_label("67 of 67 events");
    // The back-dating event: its before/after and the decision it changed.
    let pos = h
        .state()
        .ws
        .session
        .history
        .iter()
        .position(|e| matches!(e.action, Action::OrderEdited { .. }))
        .unwrap();
    h.state_mut().views.get_mut::<HistoryView>().selected = Some(pos);
    h.run();
    h.get_by_label(&format!("Event #{} · order edited", pos + 1));
    h.get_by_label("2025-08-20");
    h.get_by_label("⟳ Q3-021: authorized under LPP → license required");
    h.get_by_label("Timeline of Q3-011");
    fill(&mut h, "Order", "Q3-011");
    h.snapshot("history_view");
    // The link opens the order in the orders view.
    h.get_by_label("Open Q3-011").click();
    h.run();
    assert_eq!(h.state().ws.session.view.view.as_str(), "orders");
}

#[test]
fn history_view_says_where_a_tampered_chain_breaks() {
    let mut ws = quarter();
    let mut s = ws.session.clone();
    s.history[11].reason = "edited afterwards".into();
    ws.replace_session(s, None);
    let h = snapshot_harness(app(ws), "history");
    h.get_by_label(
        "⚠ History broken at event 12 (#12): its content does not match its hash (edited after \
         it was recorded)",
    );
}

#[test]
fn licences_view_snapshot() {
    let mut app = app(quarter());
    app.views
        .replace(LicencesView::as_of(jiff::civil::date(2025, 9, 30)));
    let mut h = snapshot_harness(app, "licences");
    h.get_by_label("5 licences as of 2025-09-30: 1 applied, 1 approved and drawing, 1 used up, 1 expired, 1 denied");
    h.snapshot("licences_view");
    // Each order is a link.
    h.get_by_label("Q3-016").click();
    h.run();
    assert_eq!(h.state().ws.session.view.view.as_str(), "orders");
}

#[test]
fn the_period_report_is_exported_from_the_file_menu() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("q3.csv");
    let dialogs = FakeDialogs::new();
    dialogs.answer_save(Picked::Path(out.clone()));
    let mut app = DeskApp::with_dialogs(quarter(), Box::new(dialogs.clone()));
    app.record.report =
        diffusion_desk::ui::report_window::ReportWindow::new(jiff::civil::date(2025, 11, 20));
    let mut h = harness(app);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export period report…").click();
    h.run();
    // The current quarter by default; the session's quarter one click away.
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "From")
            .value()
            .as_deref(),
        Some("2025-10-01")
    );
    click(&mut h, "Quarter of the latest order");
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "To")
            .value()
            .as_deref(),
        Some("2025-09-30")
    );
    h.get_by_label("CSV (for spreadsheets)").click();
    h.run();
    // Written off the UI thread: the window shows a spinner meanwhile.
    h.get_by_label("Export…").click();
    h.step();
    assert_eq!(
        dialogs.calls().last().unwrap(),
        "save: Export period report (compliance-quarter-q3-2025.csv)"
    );
    for _ in 0..200 {
        if !h.state().record.report.is_running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
        h.step();
    }
    h.step();
    h.run();
    assert!(out.exists());
    // In the window and in the status bar.
    let done = "Wrote the Q3 2025 report (35 orders) to q3.csv";
    assert_eq!(h.get_all_by_label(done).count(), 2);
}
