//! The compliance officer's workflow, driven through the UI by accessible labels.

#[path = "support/desk_ui.rs"]
mod desk_ui;
use desk_ui::{fill, orders_desk};

use diffusion_desk::rules::{Authority, Engine, Verdict};
use diffusion_desk::session::Workspace;
use diffusion_desk::ui::DeskApp;
use diffusion_desk::ui::orders_view::OrdersView;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::sync::Arc;

fn harness() -> Harness<'static, DeskApp> {
    let app = DeskApp::new(Workspace::empty(Arc::new(Engine::embedded())));
    orders_desk(
        app,
        jiff::civil::date(2025, 3, 1),
        egui::vec2(1280.0, 800.0),
    )
}

fn blur(h: &mut Harness<'static, DeskApp>) {
    h.key_press(egui::Key::Escape);
    h.run();
}

fn india_order(h: &mut Harness<'static, DeskApp>, qty: &str) {
    fill(h, "Destination", "IN");
    fill(h, "Consignee", "Bharat Compute Pvt");
    fill(h, "Consignee HQ", "India");
    fill(h, "Quantity", qty);
    blur(h);
}

fn add_button_disabled(h: &Harness<'static, DeskApp>) -> bool {
    h.get_by_role_and_label(Role::Button, "Add order")
        .accesskit_node()
        .is_disabled()
}

#[test]
fn enter_orders_see_decisions_edit_undo_delete() {
    let mut h = harness();

    // 1,000 H100 SXM to India for a new consignee: authorized under LPP, room shown.
    india_order(&mut h, "1000");
    h.get_by_label("Authorized");
    h.get_by_label("under LPP");
    h.get_by_label_contains("LPP room for Bharat Compute Pvt in 2025: 26.9M → 11.07M TPP");
    assert!(!add_button_disabled(&h));
    h.get_by_role_and_label(Role::Button, "Add order").click();
    h.run();
    assert_eq!(h.state().ws.orders().len(), 1);

    // The same again: no LPP room left, a licence drawing India's allocation.
    india_order(&mut h, "1000");
    h.get_by_label("License required");
    h.get_by_label_contains("India allocation (2025–2027): 790M → 774.17M TPP");
    h.get_by_role_and_label(Role::Button, "Add order").click();
    h.run();
    let ws = &h.state().ws;
    assert_eq!(ws.orders().len(), 2);
    assert_eq!(ws.decisions()[1].verdict, Verdict::LicenseRequired);

    // A bad quantity marks the field and disables submit, saying why.
    india_order(&mut h, "abc");
    h.get_by_label("⚠ `abc` is not a positive whole number");
    assert!(add_button_disabled(&h));
    h.get_by_label_contains("Cannot submit");

    // Editing the first order's quantity frees LPP room: the second order's verdict changes.
    h.get_by_label("ORD-0001").click();
    h.run();
    h.get_by_label_contains("Edit order ORD-0001");
    fill(&mut h, "Quantity", "100");
    blur(&mut h);
    h.get_by_label_contains("Changes the outcome of 1 other order: ORD-0002");
    h.get_by_role_and_label(Role::Button, "Save changes")
        .click();
    h.run();
    assert_eq!(h.state().ws.decisions()[1].authority, Authority::Lpp);
    h.get_by_label_contains("The last edit changed 1 later decision: ORD-0002");

    // Undo restores it.
    blur(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().ws.orders()[0].quantity, 1000);
    assert_eq!(
        h.state().ws.decisions()[1].verdict,
        Verdict::LicenseRequired
    );

    // Voiding asks why, keeps the order as voided, and gives the later order its LPP room back.
    h.get_by_label("ORD-0001").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Void…").click();
    h.run();
    assert!(
        h.get_by_role_and_label(Role::Button, "Void order")
            .accesskit_node()
            .is_disabled(),
        "no reason yet"
    );
    h.get_by_role_and_label(Role::MultilineTextInput, "Reason")
        .type_text("Customer cancelled the purchase order");
    h.run();
    h.get_by_role_and_label(Role::Button, "Void order").click();
    h.run();
    let ws = &h.state().ws;
    assert_eq!(ws.orders().len(), 1);
    assert_eq!(ws.orders()[0].id, "ORD-0002");
    assert_eq!(ws.decisions()[0].authority, Authority::Lpp);
    assert_eq!(ws.session.voided[0].order.id, "ORD-0001");
    assert_eq!(
        ws.session.voided[0].reason,
        "Customer cancelled the purchase order"
    );
}

#[test]
fn model_weights_need_training_operations() {
    let mut h = harness();
    fill(&mut h, "Destination", "AE");
    fill(&mut h, "Consignee", "Gulf Lab");
    fill(&mut h, "Consignee HQ", "AE");
    h.get_by_role_and_label(Role::ComboBox, "Item").click();
    h.run();
    h.get_by_label_contains("Model weights (4E091")
        .click_accesskit();
    h.run();
    assert_eq!(
        h.state().views.get::<OrdersView>().form.draft.item,
        "model-weights"
    );
    fill(&mut h, "Training operations", "");
    blur(&mut h);
    assert!(add_button_disabled(&h));
    h.get_by_label("⚠ is required for model weights");
    fill(&mut h, "Training operations", "3e26");
    blur(&mut h);
    h.get_by_label("Presumption of denial");
}

#[test]
fn keyboard_moves_through_the_book() {
    let mut h = harness();
    for q in ["10", "20", "30"] {
        india_order(&mut h, q);
        h.get_by_role_and_label(Role::Button, "Add order").click();
        h.run();
    }
    h.get_by_label("ORD-0001").click();
    h.run();
    h.get_by_label_contains("Edit order ORD-0001");
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.get_by_label_contains("Edit order ORD-0002");
    h.key_press(egui::Key::End);
    h.run();
    h.get_by_label_contains("Edit order ORD-0003");
}

#[test]
fn form_with_preview_snapshot() {
    let ws = diffusion_desk::session::demo::demo_workspace(Arc::new(Engine::embedded()));
    let mut app = DeskApp::new(ws);
    app.views.replace(OrdersView::with_default_date(
        &app.ws,
        jiff::civil::date(2025, 3, 1),
    ));
    app.show_view("orders");
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 720.0))
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app);
    h.run();
    fill(&mut h, "Destination", "IN");
    fill(&mut h, "Consignee", "Bharat Compute Pvt");
    fill(&mut h, "Consignee HQ", "IN");
    fill(&mut h, "Quantity", "1200");
    blur(&mut h);
    h.snapshot("orders_form_preview");
}

#[test]
fn rule_data_window_lists_parameters_with_confidence() {
    let mut h = harness();
    h.get_by_label("Rules").click();
    h.run();
    h.get_by_label("Rule data and sources…").click();
    h.run();
    h.get_by_label("Rule data and sources");
    h.get_by_label("lpp_room_tpp_per_year");
    h.get_by_label_contains("26900000 (TPP per ultimate consignee per calendar year)");
    assert!(
        h.query_all_by_label("⚠ UNCONFIRMED").count() > 0,
        "uncertain values are marked"
    );
    h.get_by_label("NVIDIA H100 SXM");
}
