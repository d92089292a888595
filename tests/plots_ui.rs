//! The comparison plots, driven through the UI by accessible labels on the demo session.

use diffusion_desk::cc;
use diffusion_desk::rules::Engine;
use diffusion_desk::session::demo::demo_workspace;
use diffusion_desk::session::{PlotScale, PlotUnit};
use diffusion_desk::ui::plots_view::PlotsView;
use diffusion_desk::ui::{AppAction, DeskApp};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use std::sync::Arc;

fn app() -> DeskApp {
    let mut app = DeskApp::new(demo_workspace(Arc::new(Engine::embedded())));
    app.show_view("plots");
    app
}

fn harness() -> Harness<'static, DeskApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 760.0))
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app());
    h.run();
    h
}

/// Opens the combo box labelled `combo` and picks `option`.
fn choose(h: &mut Harness<'static, DeskApp>, combo: &str, option: &str) {
    h.get_by_label(combo).click();
    h.run();
    h.get_by_label(option).click();
    h.run();
}

/// The accessible description of the plot on screen (what a screen reader announces).
fn plot_description(h: &Harness<'static, DeskApp>, starts_with: &str) -> String {
    let node = h.get_by_role(Role::Image);
    let label = node
        .accesskit_node()
        .label()
        .unwrap_or_default()
        .to_string();
    assert!(label.starts_with(starts_with), "{label}");
    label
}

/// Panics unless exactly one piece of text on screen contains `text`.
fn shown(h: &Harness<'static, DeskApp>, text: &str) {
    h.get(By::new().role(Role::Label).label_contains(text));
}

#[test]
fn switching_unit_changes_the_axis_label_without_touching_the_order_book() {
    let mut h = harness();
    let before = plot_description(&h, "National caps vs corporate purchases");
    assert!(
        before.contains("X axis: H100-equivalents by TPP (1 H100e = 15,832 TPP)"),
        "{before}"
    );
    assert!(before.contains("Meta 2023: 150,000"), "{before}");
    assert!(
        before.contains("Tier 2 country cap 2025–27: 49,899"),
        "{before}"
    );

    choose(&mut h, "Unit", "TPP");
    let after = plot_description(&h, "National caps vs corporate purchases");
    assert!(
        after.contains("X axis: Total Processing Performance (TPP)"),
        "{after}"
    );
    assert!(
        after.contains("Tier 2 country cap 2025–27: 790M"),
        "{after}"
    );
    h.get_by_label("in TPP · linear scale");

    let ws = &h.state().ws;
    assert_eq!(ws.session.view.plots.unit, PlotUnit::Tpp);
    assert!(!ws.can_undo(), "a view change is not an order-book edit");
}

#[test]
fn log_scale_changes_the_axis_label() {
    let mut h = harness();
    choose(&mut h, "Scale", "Log");
    let d = plot_description(&h, "National caps vs corporate purchases");
    assert!(
        d.contains("X axis: H100-equivalents by TPP (1 H100e = 15,832 TPP) (log scale)"),
        "{d}"
    );
    assert_eq!(h.state().ws.session.view.plots.scale, PlotScale::Log);
}

#[test]
fn hovering_a_bar_shows_its_source() {
    let mut h = harness();
    let meta = h
        .state()
        .views
        .get::<PlotsView>()
        .bar_screen_pos("omdia-2023-meta")
        .expect("Meta's bar is drawn");
    h.hover_at(meta);
    h.run();
    shown(
        &h,
        "\u{201c}Nvidia AI and HPC GPU sales reportedly approached",
    );
    h.get_by_label("press relay");
    h.get_by_label("H100 units");
    h.get_by_label("2023");
    shown(&h, "https://www.tomshardware.com/");

    // A cap's tooltip names the ruleset parameter and its confidence.
    let cap = h
        .state()
        .views
        .get::<PlotsView>()
        .bar_screen_pos("cap-allocation-g2g")
        .expect("the doubled allocation is drawn");
    h.hover_at(cap);
    h.run();
    h.get_by_label("country_allocation_tpp × g2g_multiplier");
    shown(&h, "⚠ UNCONFIRMED");
}

#[test]
fn allocation_plot_shows_when_the_allocation_runs_out() {
    let mut h = harness();
    choose(&mut h, "Plot", "Allocation over time");
    // The demo session's plot country is Malaysia: two licensed orders, 723M of 790M TPP.
    h.get_by_label("Allocation over time: Malaysia (MY)");
    shown(&h, "Runs out: 2025-08-12 at the current pace");
    let d = plot_description(&h, "Allocation over time for Malaysia");
    assert!(d.contains("Y axis: Cumulative H100e by TPP"), "{d}");

    // Pick another country through the searchable Country list.
    h.get_by_label("Country").click();
    h.run();
    h.get_by_label("Search countries").focus();
    h.run();
    h.get_by_label("Search countries").type_text("Indon");
    h.run();
    h.get_by_label("Indonesia (ID)").click();
    h.run();
    h.get_by_label("Allocation over time: Indonesia (ID)");
    shown(
        &h,
        "Runs out: no order in this session draws Indonesia's allocation",
    );
    assert_eq!(h.state().ws.session.view.plots.country, Some(cc!("ID")));
}

#[test]
fn the_map_can_open_the_allocation_plot() {
    let mut h = harness();
    h.state_mut().show_view("map");
    h.state_mut()
        .apply(AppAction::ShowAllocationPlot(cc!("IN")));
    h.run();
    let p = &h.state().ws.session.view.plots;
    assert_eq!(p.kind.as_str(), "allocation");
    h.get_by_label("Allocation over time: India (IN)");
    // India's second order is the only one that draws: no pace to extrapolate.
    shown(&h, "Runs out: cannot say");
}

#[test]
fn picking_a_hopper_figure_lists_it_as_excluded_in_h100e() {
    let mut h = harness();
    h.get_by_label("Meta 2024").click();
    h.run();
    let sel = h.state().ws.session.view.plots.selected_figures.clone();
    assert!(sel.iter().any(|s| s == "omdia-2024-meta"), "{sel:?}");
    assert!(sel.iter().any(|s| s == "omdia-2023-meta"), "{sel:?}");
    h.get_by_label("1 selected figure(s) not shown in H100e by TPP");

    // In source units the plot shows one family at a time; Hopper can be chosen.
    choose(&mut h, "Unit", "Source units");
    choose(&mut h, "Source unit", "Hopper units (H100/H200/H20 mix)");
    let d = plot_description(&h, "National caps vs corporate purchases");
    assert!(d.contains("Meta 2024: 224,000"), "{d}");
    assert!(!d.contains("Meta 2023"), "{d}");

    // Back to the demo preset: the stored selection is empty again.
    h.get_by_label("Demo preset").click();
    h.run();
    assert!(h.state().ws.session.view.plots.selected_figures.is_empty());
}

#[test]
fn export_png_saves_the_figure() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app();
    app.views.get_mut::<PlotsView>().set_export_dir(dir.path());
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 560.0))
        .wgpu()
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app);
    h.run();
    h.get_by_label("Export PNG").click();
    h.run();
    let file = dir.path().join("diffusion-desk-caps-vs-purchases.png");
    assert!(file.exists(), "no {}", file.display());
    let notice = h
        .state()
        .views
        .get::<PlotsView>()
        .export_notice()
        .unwrap_or_default()
        .to_string();
    assert!(notice.starts_with("Saved "), "{notice}");
    shown(&h, "Saved ");
    let img = image::open(&file).unwrap();
    assert!(img.width() > 300 && img.height() > 300);
}

#[test]
fn narrow_windows_open_the_figure_list_on_request() {
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 560.0))
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app());
    h.run();
    assert!(
        h.query_by_label("Meta 2023").is_none(),
        "the list starts closed"
    );
    h.get_by_label("Figure list").click();
    h.run();
    h.get_by_label("Meta 2023");
    h.get_by_label("Tier 2 cap with G2G deal");
}

#[test]
fn caps_demo_snapshot() {
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 560.0))
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app());
    h.run();
    h.snapshot("plots_caps_demo");
}
