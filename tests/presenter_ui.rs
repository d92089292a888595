//! Presenter mode and what-ifs, driven like a presenter on the demo session: the clicker's keys
//! through the deck (which slide is shown, by its accessible labels), entering and leaving
//! presentation, a what-if switched on mid-talk, the deck window, a what-if's diff in the order
//! book, the scenario editor, what-if mode on the map, and a snapshot of a slide as presented.

use diffusion_desk::cc;
use diffusion_desk::rules::{Engine, Tier};
use diffusion_desk::session::audit::Action;
use diffusion_desk::session::demo::demo_workspace;
use diffusion_desk::session::what_if_presets::{NO_LPP, POLAND_TIER1};
use diffusion_desk::ui::DeskApp;
use diffusion_desk::ui::map_view::MapView;
use egui::accesskit::Role;
use egui::{Key, Modifiers, PointerButton, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;

const SIZE: egui::Vec2 = vec2(1280.0, 720.0);

/// The demo's six slides, in order.
const TITLES: [&str; 6] = [
    "Three tiers: who may buy AI chips, and how many",
    "A whole country's cap vs one company's purchases",
    "Caps and purchases on a log scale",
    "What a cap buys: a frontier model in two months",
    "What if Poland were Tier 1?",
    "What if there were no LPP?",
];

fn app() -> DeskApp {
    DeskApp::new(demo_workspace(Arc::new(Engine::embedded())))
}

fn harness_with(app: DeskApp, wgpu: bool) -> Harness<'static, DeskApp> {
    let builder = Harness::builder()
        .with_size(SIZE)
        .with_max_steps(24)
        .with_theme(egui::Theme::Light);
    let builder = if wgpu { builder.wgpu() } else { builder };
    let mut h = builder.build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app);
    h.run();
    h
}

fn harness() -> Harness<'static, DeskApp> {
    harness_with(app(), false)
}

fn press(h: &mut Harness<'static, DeskApp>, key: Key) {
    h.key_press(key);
    h.run();
}

/// The slide on screen: its title and "n / 6" are visible, no other slide's title is.
fn assert_slide(h: &Harness<'static, DeskApp>, n: usize) {
    h.get_by_label(TITLES[n - 1]);
    h.get_by_label(&format!("{n} / 6"));
    for (i, t) in TITLES.iter().enumerate() {
        if i + 1 != n {
            assert!(
                h.query_by_label(t).is_none(),
                "slide {} shown with {n}",
                i + 1
            );
        }
    }
    assert_eq!(h.state().presenter.current_slide(), Some(n - 1));
}

#[test]
fn the_clicker_keys_move_through_the_deck_and_esc_leaves() {
    let mut h = harness();
    // The user was on the orders view with a plot setting of their own.
    h.state_mut().show_view("orders");
    h.state_mut().ws.session.view.plots.country = Some(cc!("IN"));
    h.run();
    let before = h.state().ws.session.view.clone();
    assert!(h.query_by_label("File").is_some());

    press(&mut h, Key::F5);
    assert!(h.state().presenter.presenting());
    assert!(
        h.query_by_label("File").is_none(),
        "only the slide is shown"
    );
    assert_slide(&h, 1);
    h.get_by_label("World map of export tiers");

    press(&mut h, Key::ArrowRight);
    assert_slide(&h, 2);
    press(&mut h, Key::PageDown);
    assert_slide(&h, 3);
    press(&mut h, Key::Space);
    assert_slide(&h, 4);
    h.get_by_label("≈ 58.6 days");
    press(&mut h, Key::PageUp);
    assert_slide(&h, 3);
    press(&mut h, Key::ArrowLeft);
    assert_slide(&h, 2);
    // Speaker notes (drawn inside the window here: tests have no second native window).
    press(&mut h, Key::N);
    h.get_by_label("Next: Caps and purchases on a log scale");
    h.get_by_label_contains("Omdia via Tom's Hardware");
    press(&mut h, Key::N);
    assert!(
        h.query_by_label("Next: Caps and purchases on a log scale")
            .is_none()
    );
    press(&mut h, Key::End);
    assert_slide(&h, 6);
    press(&mut h, Key::PageDown);
    assert_slide(&h, 6);
    // The last slide compares a what-if, labelled as one.
    h.get_by_label("What-if: No LPP — not the rule as written");

    press(&mut h, Key::Escape);
    assert!(!h.state().presenter.presenting());
    assert!(h.query_by_label("File").is_some(), "the app is back");
    assert_eq!(
        h.state().ws.session.view,
        before,
        "the user's view state is restored"
    );
    assert!(!h.state().ws.dirty, "presenting changes nothing");

    // Shift+F5 resumes where the show ended.
    h.key_press_modifiers(Modifiers::SHIFT, Key::F5);
    h.run();
    assert_slide(&h, 6);
    press(&mut h, Key::Home);
    assert_slide(&h, 1);
    press(&mut h, Key::Escape);
}

#[test]
fn present_from_the_menu_and_switch_a_what_if_on_mid_talk() {
    let mut h = harness();
    h.get_by_label("Present").click();
    h.run();
    h.get_by_label_contains("Present from the start").click();
    h.run();
    assert_slide(&h, 1);
    assert!(
        h.query_by_label_contains("not the rule as written")
            .is_none()
    );
    // W: the first what-if on the current slide (the map), labelled as a what-if.
    press(&mut h, Key::W);
    h.get_by_label(&format!(
        "What-if: {POLAND_TIER1} — not the rule as written"
    ));
    assert_slide(&h, 1);
    // The next slide shows its own saved state again.
    press(&mut h, Key::ArrowRight);
    assert!(
        h.query_by_label_contains("not the rule as written")
            .is_none()
    );
    press(&mut h, Key::Escape);
    assert_eq!(h.state().ws.session.view.what_if, None);
}

#[test]
fn a_what_ifs_diff_is_shown_in_the_order_book() {
    let mut h = harness();
    h.state_mut().show_view("orders");
    h.run();
    assert!(h.query_by_label_contains("orders change").is_none());

    // Choose "No LPP" in the top bar's picker.
    h.get_by_label("What-if").click();
    h.run();
    h.get_by_label(NO_LPP).click();
    h.run();
    assert_eq!(h.state().ws.session.view.what_if.as_deref(), Some(NO_LPP));
    h.get_by_label(&format!("What-if: {NO_LPP} — not the rule as written"));
    h.get_by_label("1 order changes: 1 authorized → license_required");
    // Which order changes, as written and under the what-if, and why.
    h.get_by_label("authorized under LPP");
    h.get_by_label("→ License required");
    h.get_by_label_contains("LPP not available");
    assert!(h.query_by_label("DEMO-002").is_some());

    // Only the changed orders.
    h.get_by_label("Changed under what-if").click();
    h.run();
    assert!(h.query_by_label("DEMO-002").is_none());
    assert_eq!(
        h.query_all_by_label("DEMO-001").count(),
        2,
        "the list and the book"
    );
    h.get_by_label_contains("1 of 12 orders");

    // Another what-if, another diff.
    h.state_mut().ws.session.view.what_if = Some(POLAND_TIER1.into());
    h.run();
    h.get_by_label("1 order changes: 1 license_required → authorized");
    h.get_by_label("authorized under AIA");
}

#[test]
fn the_scenario_editor_records_each_change_and_refuses_nonsense_inline() {
    let mut h = harness();
    h.get_by_label("Present").click();
    h.run();
    h.get_by_label("What-if scenarios…").click();
    h.run();
    h.get_by_label("New what-if").click();
    h.run();
    let events = h.state().ws.session.history.len();
    assert_eq!(
        h.state().ws.session.view.what_if.as_deref(),
        Some("New what-if")
    );

    let field = "LPP room (TPP a year)";
    h.get_by_role_and_label(Role::TextInput, field).focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, field)
        .type_text("lots");
    press(&mut h, Key::Enter);
    h.get_by_label_contains("is not an amount of TPP");
    assert_eq!(
        h.state().ws.session.history.len(),
        events,
        "nothing recorded"
    );

    h.get_by_role_and_label(Role::TextInput, field).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, field)
        .type_text("10M");
    press(&mut h, Key::Enter);
    assert!(h.query_by_label_contains("is not an amount").is_none());
    let ws = &h.state().ws;
    assert_eq!(
        ws.session
            .what_if("New what-if")
            .unwrap()
            .changes
            .lpp_room_tpp_per_year,
        Some(10_000_000)
    );
    let last = ws.session.history.last().unwrap();
    assert!(matches!(last.action, Action::WhatIfSaved { .. }), "audited");
    assert!(ws.history_status().is_verified());

    // The ruleset refuses a zero multiplier: the reason is shown by the field.
    let field = "g2g multiplier";
    h.get_by_role_and_label(Role::TextInput, field).focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, field)
        .type_text("0");
    press(&mut h, Key::Enter);
    h.get_by_label_contains("at least 1");
}

#[test]
fn what_if_mode_on_the_map_moves_the_clicked_country_to_the_next_tier() {
    let mut h = harness();
    h.state_mut().ws.session.view.what_if = Some(NO_LPP.into());
    h.run();
    h.get_by_label(&format!("What-if: {NO_LPP} — not the rule as written"));
    h.get_by_label("What-if mode: click to change tiers")
        .click();
    h.run();
    assert!(h.state().views.get::<MapView>().what_if_mode());
    let app = h.state();
    let india = app
        .views
        .get::<MapView>()
        .screen_pos_of(&app.ws, cc!("IN"))
        .unwrap();
    h.hover_at(india);
    h.run();
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: india,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run();
    let ws = &h.state().ws;
    let w = ws.session.what_if(NO_LPP).unwrap();
    assert_eq!(w.changes.tiers.get(&cc!("IN")), Some(&Tier::Three));
    assert_eq!(
        ws.session.view.map.selected, None,
        "a click in what-if mode selects nothing"
    );
    assert!(matches!(
        ws.session.history.last().unwrap().action,
        Action::WhatIfSaved { .. }
    ));
    h.get_by_label_contains("India: Tier 3");
}

#[test]
fn slides_are_added_from_the_current_view_and_reordered_in_the_deck_window() {
    let mut h = harness();
    h.state_mut().show_view("plots");
    h.state_mut().ws.session.view.what_if = Some(NO_LPP.into());
    h.run();
    h.get_by_label("Present").click();
    h.run();
    h.get_by_label("Add current view as slide").click();
    h.run();
    let deck = &h.state().ws.session.deck;
    assert_eq!(deck.len(), 7);
    assert_eq!(deck.slides[6].view.what_if(), Some(NO_LPP));
    assert!(h.state().ws.dirty, "deck edits mark the session changed");
    assert!(h.state().presenter.deck_window_open());
    h.get_by_label("7. Caps vs purchases — what if: No LPP");

    // Its title, caption and notes are edited in place.
    h.get_by_role_and_label(Role::MultilineTextInput, "Caption")
        .focus();
    h.run();
    h.get_by_role_and_label(Role::MultilineTextInput, "Caption")
        .type_text("Paired bars: the rule as written and the what-if.");
    h.run();
    assert_eq!(
        h.state().ws.session.deck.slides[6].caption,
        "Paired bars: the rule as written and the what-if."
    );

    // Move the new slide up, then delete the first.
    h.get_all_by_label("Up").last().unwrap().click();
    h.run();
    assert_eq!(
        h.state().ws.session.deck.slides[5].title,
        "Caps vs purchases — what if: No LPP"
    );
    h.get_all_by_label("Delete").next().unwrap().click();
    h.run();
    let deck = &h.state().ws.session.deck;
    assert_eq!(deck.len(), 6);
    assert_eq!(deck.slides[0].title, TITLES[1]);
}

#[test]
fn a_slide_in_presentation_mode() {
    let mut h = harness_with(app(), true);
    press(&mut h, Key::F5);
    for _ in 0..4 {
        press(&mut h, Key::ArrowRight);
    }
    assert_slide(&h, 5);
    h.snapshot("presenter_slide_what_if_map");
}

#[test]
fn the_deck_exports_from_the_app_as_pdf_and_pngs() {
    use diffusion_desk::ui::dialogs::{FakeDialogs, Picked};
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("talk.pdf");
    let pngs = dir.path().join("slides");
    let dialogs = FakeDialogs::new();
    dialogs.answer_save(Picked::Path(pdf.clone()));
    dialogs.answer_folder(Picked::Path(pngs.clone()));
    let ws = demo_workspace(Arc::new(Engine::embedded()));
    let mut h = harness_with(DeskApp::with_dialogs(ws, Box::new(dialogs.clone())), false);

    let export = |h: &mut Harness<'static, DeskApp>, item: &str| {
        h.get_by_label("Present").click();
        h.run();
        h.get_by_label(item).click();
        h.run();
        // The slides render on a worker thread; the status bar reports the outcome.
        for _ in 0..600 {
            if h.state()
                .notice
                .as_deref()
                .is_some_and(|n| n.starts_with("Exported"))
            {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            h.step();
        }
        h.state_mut().notice.take().expect("the export finished")
    };
    let notice = export(&mut h, "Export deck as PDF…");
    assert_eq!(notice, format!("Exported 6 slides to {}", pdf.display()));
    let parsed = hayro_syntax::Pdf::new(std::fs::read(&pdf).unwrap()).unwrap();
    assert_eq!(parsed.pages().len(), 6);

    let notice = export(&mut h, "Export deck as PNGs…");
    assert_eq!(
        notice,
        format!("Exported 6 slides as PNGs to {}", pngs.display())
    );
    assert!(pngs.join("slide-06.png").exists());
    assert_eq!(
        dialogs.calls(),
        [
            "save: Export deck as PDF (presenter-demo-national-caps-vs-corporate-purchases-deck.pdf)",
            "folder: Export deck as PNGs into a folder"
        ]
    );
}
