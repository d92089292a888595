//! Screening in the app: live matches as a party is typed, holds in the order book, the list's
//! vintage in the status bar, and a bad list file reported without replacing the list in use.

#[path = "support/desk_ui.rs"]
mod desk_ui;
use desk_ui::{fill, orders_desk};

use diffusion_desk::rules::{Engine, Verdict};
use diffusion_desk::screening::adapter::embedded_index;
use diffusion_desk::session::Workspace;
use diffusion_desk::ui::DeskApp;
use diffusion_desk::ui::screening_loader::ListSource;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;

fn harness() -> Harness<'static, DeskApp> {
    let ws = Workspace::empty(Arc::new(Engine::embedded()));
    let app = DeskApp::new(ws).with_screening_index(embedded_index());
    orders_desk(
        app,
        jiff::civil::date(2025, 7, 1),
        egui::vec2(1280.0, 900.0),
    )
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
