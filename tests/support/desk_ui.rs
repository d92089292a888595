//! Driving the app in kittest the way a user does, shared by the UI test files
//! (`#[path = "support/desk_ui.rs"] mod desk_ui;`). Not every file uses every helper.
#![allow(dead_code)]

use diffusion_desk::rules::Engine;
use diffusion_desk::session::Workspace;
use diffusion_desk::ui::DeskApp;
use diffusion_desk::ui::orders_view::OrdersView;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;

pub type Desk = Harness<'static, DeskApp>;

/// The app on the Orders view of an empty session, new orders dated `default_date`.
pub fn orders_desk(app: DeskApp, default_date: jiff::civil::Date, size: egui::Vec2) -> Desk {
    let mut app = app;
    app.views
        .replace(OrdersView::with_default_date(&app.ws, default_date));
    app.show_view("orders");
    let mut h = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app);
    h.run();
    h
}

/// An empty session with `engine`, on the Orders view.
pub fn empty_orders_desk(engine: Engine, default_date: jiff::civil::Date) -> Desk {
    let app = DeskApp::new(Workspace::empty(Arc::new(engine)));
    orders_desk(app, default_date, egui::vec2(1280.0, 900.0))
}

/// Replaces the text of the input labelled `label` with `text`, as typing would.
pub fn fill(h: &mut Desk, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
}

/// Opens `menu` and chooses `item`.
pub fn choose(h: &mut Desk, menu: &str, item: &str) {
    h.get_by_label(menu).click();
    h.run();
    h.get_by_label(item).click();
    h.run();
}
