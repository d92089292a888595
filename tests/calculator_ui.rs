//! "What a cap buys", driven through its accessible labels on the demo session.

use diffusion_desk::fleets::training::{CalculatorSettings, FleetKind};
use diffusion_desk::rules::Engine;
use diffusion_desk::session::Workspace;
use diffusion_desk::session::demo::demo_workspace;
use diffusion_desk::ui::calculator_view::CalculatorView;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use std::sync::Arc;

struct Calc {
    view: CalculatorView,
    ws: Workspace,
    settings: CalculatorSettings,
    fonts_installed: bool,
}

fn harness(size: egui::Vec2, wgpu: bool) -> Harness<'static, Calc> {
    let ws = demo_workspace(Arc::new(Engine::embedded()));
    let state = Calc {
        view: CalculatorView::new(&ws),
        ws,
        settings: CalculatorSettings::default(),
        fonts_installed: false,
    };
    let builder = Harness::builder()
        .with_size(size)
        .with_theme(egui::Theme::Light);
    let builder = if wgpu { builder.wgpu() } else { builder };
    let mut h = builder.build_ui_state(
        |ui, c: &mut Calc| {
            // The app's fonts (arrows, ≈, ⚠), installed before the first drawn frame as DeskApp does.
            if !c.fonts_installed {
                diffusion_desk::ui::theme::install_fonts(ui.ctx());
                c.fonts_installed = true;
                ui.ctx().request_discard("installing fonts");
                return;
            }
            egui::CentralPanel::default().show(ui, |ui| c.view.ui(ui, &mut c.ws, &mut c.settings));
        },
        state,
    );
    h.run();
    h
}

fn shown(h: &Harness<'static, Calc>, text: &str) {
    h.get(By::new().role(Role::Label).label_contains(text));
}

/// The big result line, exactly.
fn result(h: &Harness<'static, Calc>, text: &str) {
    h.get(By::new().role(Role::Label).label(text));
}

fn chart_description(h: &Harness<'static, Calc>) -> String {
    h.get_by_role(Role::Image)
        .accesskit_node()
        .label()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn default_is_the_country_allocation_on_h100_with_formula_and_sources() {
    let h = harness(egui::vec2(1100.0, 900.0), false);
    result(&h, "≈ 58.6 days");
    shown(
        &h,
        "to train 1e26 FLOP on 49,898 × NVIDIA H100 SXM at 40 % utilisation",
    );
    shown(&h, "1e26 FLOP ÷ (49,898 × 989 TFLOP/s × 40 %)");
    shown(
        &h,
        "790,000,000 TPP ÷ 15,832 TPP per NVIDIA H100 SXM = 49,898.94 → 49,898",
    );
    shown(&h, "The whole cap is spent on one chip type");
    shown(
        &h,
        "989 TFLOP/s dense BF16 per NVIDIA H100 SXM — ai-diffusion-rule.md §13",
    );
    let chart = chart_description(&h);
    assert!(
        chart.contains("LPP room per consignee/yr: 1,722 days (4.7 years)"),
        "{chart}"
    );
    assert!(chart.contains("Meta 2023: 19.5 days"), "{chart}");
    assert!(chart.contains("log scale"), "{chart}");
}

#[test]
fn a_purchase_a_chip_count_and_a_new_compute_change_the_result() {
    let mut h = harness(egui::vec2(1100.0, 900.0), false);
    h.get_by_label("Fleet").click();
    h.run();
    h.get_by_label("A published purchase").click();
    h.run();
    assert_eq!(h.state().settings.fleet, FleetKind::Purchase);
    result(&h, "≈ 19.5 days");
    shown(&h, "Tom's Hardware");

    // GPT-4 scale: 2.1e25 on Meta's 150,000 H100 → ≈ 4.1 days.
    let field = h.get_by_label("Compute C (FLOP)");
    field.focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Compute C (FLOP)").type_text("2.1e25");
    h.run();
    assert_eq!(h.state().settings.compute_ops, Some(2.1e25));
    result(&h, "≈ 4.1 days");

    h.get_by_label("4E091 threshold (1e26)").click();
    h.run();
    assert_eq!(h.state().settings.compute_ops, None);
    result(&h, "≈ 19.5 days");

    // Not a number: the result stays, the field says why.
    h.get_by_label("Compute C (FLOP)").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Compute C (FLOP)").type_text("lots");
    h.run();
    shown(&h, "positive number of operations");
}

#[test]
fn chips_without_a_rate_are_refused_not_guessed() {
    let mut h = harness(egui::vec2(1100.0, 900.0), false);
    h.state_mut().settings.fleet = FleetKind::Chips;
    h.state_mut().settings.chip_id = "h800".into();
    h.run();
    shown(&h, "No result: NVIDIA H800 SXM has no dense training rate");
}

#[test]
fn calculator_snapshot() {
    let mut h = harness(egui::vec2(1100.0, 860.0), true);
    h.snapshot("calculator_default");
}
