//! The world tier map, driven like a user: hover, click, search, overlay, pan and zoom.

use diffusion_desk::cc;
use diffusion_desk::rules::{CountryCode, Engine};
use diffusion_desk::session::MapOverlay;
use diffusion_desk::session::demo::demo_workspace;
use diffusion_desk::ui::DeskApp;
use diffusion_desk::ui::map_view::MapView;
use egui::accesskit::Role;
use egui::{PointerButton, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;

const SIZE: egui::Vec2 = vec2(900.0, 560.0);

fn app() -> DeskApp {
    let mut app = DeskApp::new(demo_workspace(Arc::new(Engine::embedded())));
    app.show_view("map");
    app
}

fn harness() -> Harness<'static, DeskApp> {
    let mut h = Harness::builder()
        .with_size(SIZE)
        .with_max_steps(16)
        .with_theme(egui::Theme::Light)
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app());
    h.run();
    h
}

fn pos_of(h: &Harness<'static, DeskApp>, code: CountryCode) -> Pos2 {
    let app = h.state();
    app.views
        .get::<MapView>()
        .screen_pos_of(&app.ws, code)
        .unwrap_or_else(|| panic!("{code} is not on screen"))
}

fn click_at(h: &mut Harness<'static, DeskApp>, pos: Pos2) {
    h.hover_at(pos);
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
        h.step();
    }
    // Move the pointer away so no tooltip repeats what the panel shows.
    h.remove_cursor();
    h.run();
}

fn selected(h: &Harness<'static, DeskApp>) -> Option<CountryCode> {
    h.state().ws.session.view.map.selected
}

#[test]
fn hovering_india_shows_its_tier_in_a_tooltip() {
    let mut h = harness();
    assert!(h.query_by_label("Country details").is_none());
    let india = pos_of(&h, cc!("IN"));
    h.hover_at(india);
    h.run();
    assert_eq!(h.state().views.get::<MapView>().hovered(), Some(cc!("IN")));
    let tip = h.get_by_label("Country details");
    tip.get_by_label("India (IN · IND)");
    assert!(
        !tip.query_all_by_label_contains("Tier 2")
            .collect::<Vec<_>>()
            .is_empty(),
        "the tooltip names the tier"
    );
    tip.get_by_label_contains("residual");
    tip.get_by_label_contains("790M TPP");
}

#[test]
fn clicking_countries_selects_them_and_shows_their_allocation() {
    let mut h = harness();
    let p = pos_of(&h, cc!("FR"));
    click_at(&mut h, p);
    assert_eq!(selected(&h), Some(cc!("FR")));
    h.get_by_label("no allocation (Tier 1: no country cap)");
    h.get_by_role_and_label(Role::Button, "New order for France");

    let p = pos_of(&h, cc!("IN"));
    click_at(&mut h, p);
    assert_eq!(selected(&h), Some(cc!("IN")));
    h.get_by_label_contains("790M TPP");
    // The demo books two licensed orders of 1,000 H100 SXM to India.
    h.get_by_label("Orders to India (2)");
    h.get_by_label("DEMO-001");

    // Clicking the sea (the middle of the South Atlantic) clears the selection.
    let app = h.state();
    let atlantic = app
        .views
        .get::<MapView>()
        .screen_pos_of(&app.ws, cc!("BR"))
        .unwrap()
        + vec2(80.0, 0.0);
    let ao = app
        .views
        .get::<MapView>()
        .screen_pos_of(&app.ws, cc!("AO"))
        .unwrap();
    let sea = Pos2::new((atlantic.x + ao.x) / 2.0, atlantic.y + 20.0);
    click_at(&mut h, sea);
    assert_eq!(selected(&h), None);
    assert!(h.query_by_label("Orders to India (2)").is_none());
}

#[test]
fn the_details_panel_leads_to_orders_and_plots() {
    let mut h = harness();
    let p = pos_of(&h, cc!("IN"));
    click_at(&mut h, p);
    h.get_by_label("Allocation over time").click();
    h.run();
    let app = h.state();
    assert_eq!(app.ws.session.view.view.as_str(), "plots");
    assert_eq!(app.ws.session.view.plots.country, Some(cc!("IN")));
    assert_eq!(app.ws.session.view.plots.kind.as_str(), "allocation");

    h.state_mut().show_view("map");
    h.run();
    h.get_by_label("New order for India").click();
    h.run();
    assert_eq!(h.state().ws.session.view.view.as_str(), "orders");

    h.state_mut().show_view("map");
    h.run();
    h.get_by_label("DEMO-002").click();
    h.run();
    assert_eq!(h.state().ws.session.view.view.as_str(), "orders");
}

#[test]
fn searching_macau_selects_it_and_shows_tier_3() {
    let mut h = harness();
    h.get_by_role_and_label(Role::TextInput, "Find country")
        .focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Find country")
        .type_text("Macau");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(selected(&h), Some(cc!("MO")));
    h.get_by_label("Tier 3");
    h.get_by_label_contains("named beside D:5");
    // The view zoomed in on Macau, which is now on screen.
    assert!(h.state().ws.session.view.map.zoom > 10.0);
    pos_of(&h, cc!("MO"));
}

#[test]
fn picking_a_search_result_and_countries_without_a_shape() {
    let mut h = harness();
    h.get_by_role_and_label(Role::TextInput, "Find country")
        .focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Find country")
        .type_text("sing");
    h.run();
    h.get_by_label("Singapore (SG · SGP)").click();
    h.run();
    assert_eq!(selected(&h), Some(cc!("SG")));
    h.get_by_label("Orders to Singapore (0)");

    // Tuvalu is in the country table but too small for the 1:50m atlas.
    h.get_by_role_and_label(Role::TextInput, "Find country")
        .focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Find country")
        .type_text("Tuvalu");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(selected(&h), Some(cc!("TV")));
    h.get_by_label_contains("Not drawn on the map");
    h.get_by_label("Tier 2");
}

#[test]
fn the_country_panel_counts_the_listed_entities_with_an_address_there() {
    let index = diffusion_desk::screening::adapter::embedded_index();
    let by_country = index.list().entries_by_country();
    let mut h = Harness::builder()
        .with_size(vec2(1100.0, 700.0))
        .with_max_steps(16)
        .with_theme(egui::Theme::Light)
        .build_ui_state(
            |ui, app: &mut DeskApp| app.ui_root(ui),
            app().with_screening_index(index.clone()),
        );
    h.run();
    let search = |h: &mut Harness<'static, DeskApp>, text: &str| {
        h.get_by_role_and_label(Role::TextInput, "Find country")
            .focus();
        h.run();
        h.get_by_role_and_label(Role::TextInput, "Find country")
            .type_text(text);
        h.run();
        h.key_press(egui::Key::Enter);
        h.run();
    };

    search(&mut h, "China");
    assert_eq!(selected(&h), Some(cc!("CN")));
    let china = &by_country[&cc!("CN")];
    let total: usize = china.values().sum();
    let entity_list = china[&diffusion_desk::screening::ListKind::EntityList];
    assert!(total > 500 && entity_list > 100, "{china:?}");
    h.get_by_label("Listed parties");
    let thousands = |n: usize| diffusion_desk::format::thousands(n as u64);
    h.get_by_label(&format!(
        "{} entries with an address here",
        thousands(total)
    ));
    for (kind, &n) in china {
        h.get_by_label(&format!("{} {}", kind.short(), thousands(n)));
    }

    // Tuvalu has no listed entity.
    assert!(!by_country.contains_key(&cc!("TV")));
    search(&mut h, "Tuvalu");
    assert_eq!(selected(&h), Some(cc!("TV")));
    h.get_by_label("no screening-list entry has an address here");
}

#[test]
fn without_a_screening_list_the_panel_has_no_listed_parties_row() {
    let mut h = harness();
    let india = pos_of(&h, cc!("IN"));
    click_at(&mut h, india);
    assert_eq!(selected(&h), Some(cc!("IN")));
    assert!(h.query_by_label("Listed parties").is_none());
}

#[test]
fn tiny_countries_have_markers_that_hover_like_countries() {
    let mut h = harness();
    let sg = pos_of(&h, cc!("SG"));
    h.hover_at(sg);
    h.run();
    assert_eq!(h.state().views.get::<MapView>().hovered(), Some(cc!("SG")));
    h.get_by_label("Country details")
        .get_by_label("Singapore (SG · SGP)");
}

#[test]
fn the_overlay_switch_changes_the_colouring_and_the_legend() {
    let mut h = harness();
    h.get_by_label("Tier 2 · 206");
    assert!(h.query_by_label_contains("Allocation drawn").is_none());
    h.get_by_label("Allocation use").click();
    h.run();
    assert_eq!(
        h.state().ws.session.view.map.overlay,
        MapOverlay::AllocationUse
    );
    h.get_by_label_contains("Allocation drawn");
    h.get_by_label("100 %");
    assert!(h.query_by_label("Tier 2 · 206").is_none());
}

#[test]
fn scroll_zooms_about_the_pointer_drag_pans_and_reset_restores() {
    let mut h = harness();
    let india = pos_of(&h, cc!("IN"));
    h.hover_at(india);
    h.run();
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: vec2(0.0, 200.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    h.run();
    let zoom = h.state().ws.session.view.map.zoom;
    assert!(zoom > 1.2, "zoomed in: {zoom}");
    let after = pos_of(&h, cc!("IN"));
    assert!(
        (after - india).length() < 25.0,
        "India stays near the pointer"
    );

    let before = h.state().ws.session.view.map.center;
    h.drag_at(after);
    h.step();
    h.hover_at(after + vec2(-100.0, 0.0));
    h.step();
    h.drop_at(after + vec2(-100.0, 0.0));
    h.run();
    let center = h.state().ws.session.view.map.center;
    assert!(center[0] > before[0], "dragging left moves the view east");

    h.get_by_label("Reset view").click();
    h.run();
    let m = &h.state().ws.session.view.map;
    assert_eq!((m.zoom, m.center), (1.0, [0.0, 0.0]));
}

#[test]
fn snapshot_tier_map_with_india_selected() {
    let mut h = Harness::builder()
        .with_size(SIZE)
        .with_max_steps(16)
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app());
    h.run();
    h.state_mut().ws.session.view.map.selected = Some(cc!("IN"));
    h.run();
    h.snapshot("map_tier_light");
}

#[test]
fn snapshot_allocation_overlay_dark() {
    let mut a = app();
    a.ws.session.view.map.overlay = MapOverlay::AllocationUse;
    let mut h = Harness::builder()
        .with_size(SIZE)
        .with_max_steps(16)
        .with_theme(egui::Theme::Dark)
        .wgpu()
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), a);
    h.run();
    h.snapshot("map_allocation_overlay");
}
