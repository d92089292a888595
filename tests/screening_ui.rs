//! Screening in the app: live matches as a party is typed, holds in the order book, the list's
//! vintage in the status bar, and a bad list file reported without replacing the list in use.

use diffusion_desk::rules::{Engine, Verdict};
use diffusion_desk::screening::adapter::embedded_index;
use diffusion_desk::session::Workspace;
use diffusion_desk::ui::DeskApp;
use diffusion_desk::ui::orders_view::OrdersView;
use diffusion_desk::ui::screening_loader::ListSource;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;

fn harness() -> Harness<'static, DeskApp> {
    let ws = Workspace::empty(Arc::new(Engine::embedded()));
    let mut app = DeskApp::new(ws).with_screening_index(embedded_index());
    app.views.replace(OrdersView::with_default_date(
        &app.ws,
        jiff::civil::date(2025, 7, 1),
    ));
    app.show_view("orders");
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app);
    h.run();
    h
}

fn fill(h: &mut Harness<'static, DeskApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
}

#[test]
fn typing_a_listed_name_shows_its_matches_and_the_order_is_a_hold() {
    let mut h = harness();
    h.get_by_label_contains("Screening: CSL of 2026-07-31");
    fill(&mut h, "Destination", "IN");
    fill(&mut h, "Consignee", "Bharat Compute Pvt");
    h.get_by_label_contains("no list match (CSL of 2026-07-31)");
    fill(&mut h, "Consignee HQ", "IN");
    fill(&mut h, "Ultimate parent", "Huawei Technologies Co., Ltd.");
    fill(&mut h, "Parent HQ", "CN");
    fill(&mut h, "Quantity", "10");
    // The parent's best matches, with list, entry and score, as it is typed.
    h.get_by_label_contains("1.00 EL · Huawei Technologies Co., Ltd.");
    h.get_by_label("Hold");
    h.get_by_role_and_label(Role::Button, "Add order").click();
    h.run();
    let ws = &h.state().ws;
    assert_eq!(ws.decisions()[0].verdict, Verdict::Hold);
    assert!(ws.decisions()[0].draw.is_none(), "a hold draws nothing");
    // The order book says so, and filters holds.
    h.get_by_label_contains("possible match (");
    h.get_by_role_and_label(Role::ComboBox, "Screening").click();
    h.run();
    h.get_by_label("possible match (holds)").click();
    h.run();
    h.get_by_label_contains("1 of 1 orders");
}

#[test]
fn a_malformed_list_is_reported_and_the_list_in_use_stays() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("consolidated.json");
    std::fs::write(
        &bad,
        r#"{"results": [{"name": "A", "source": "Entity List (EL) - Bureau of Industry and Security"}, {"source": "Entity List (EL) - Bureau of Industry and Security"}]}"#,
    )
    .unwrap();
    let mut h = harness();
    h.state_mut().screening.start(ListSource::File(bad));
    for _ in 0..200 {
        h.run_steps(1);
        if !h.state().screening.loading() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run();
    // The error names where the file is wrong; the shipped list is still in use.
    h.get_by_label_contains("results[1]");
    h.get_by_label_contains("Screening: CSL of 2026-07-31");
}
