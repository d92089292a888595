//! The decision explanation: verdict, authority, what the order draws, and cited findings.
//! Used for the live preview of the order form and for orders selected in the book.

use super::theme;
use crate::format;
use crate::rules::decision::Severity;
use crate::rules::finding::draw_summary;
use crate::rules::{Decision, FindingContext};
use egui::RichText;

fn severity_icon(s: Severity) -> (&'static str, egui::Color32) {
    match s {
        Severity::Info => ("ℹ", theme::GREY),
        Severity::Pass => ("✔", theme::GREEN),
        Severity::Warning => ("⚠", theme::TIER2_AMBER),
        Severity::Deny => ("⛔", theme::TIER3_VERMILION),
    }
}

/// Draws the explanation of `decision` for `order`. `changed` lists other orders whose outcome
/// this order changes (preview) or changed (last edit).
pub fn show(ui: &mut egui::Ui, ctx: &FindingContext, decision: &Decision, changed: &[String]) {
    let engine = ctx.engine;
    let order = ctx.order;
    let rs = engine.ruleset();
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(decision.verdict.label())
                .size(24.0)
                .strong()
                .color(theme::verdict_color(decision.verdict)),
        );
        if decision.authority != crate::rules::Authority::None {
            ui.label(RichText::new(format!("under {}", decision.authority.as_str())).size(18.0));
        }
    });
    egui::Grid::new(("decision_facts", order.id.as_str()))
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            ui.label("Destination");
            ui.label(format!(
                "{} ({}) · {}",
                engine.countries().name(order.destination),
                order.destination,
                decision.tier
            ));
            ui.end_row();
            ui.label("ECCN");
            ui.label(
                decision
                    .eccn
                    .map_or("not controlled by this rule", |e| e.as_str()),
            );
            ui.end_row();
            ui.label("Order size");
            ui.label(format!(
                "{} TPP {}",
                format::thousands(decision.tpp),
                format::h100e(decision.tpp, rs.h100_tpp.value)
            ));
            ui.end_row();
            ui.label("Draws");
            // Long draws ("under D…: 6,000 of 21,000 units left; draws 756M TPP of …") wrap
            // rather than widen the form panel.
            ui.add(egui::Label::new(RichText::new(draw_summary(decision, ctx)).strong()).wrap());
            ui.end_row();
            if let Some(rem) = decision.allocation_remaining_tpp {
                ui.label("Allocation left");
                ui.label(format::tpp_and_h100e(rem, rs.h100_tpp.value));
                ui.end_row();
            }
            if let Some(status) = decision.screening {
                ui.label("Screening");
                ui.label(format!(
                    "{} (list of {})",
                    status.label(),
                    ctx.screening.map_or("?", |s| s.list_vintage.as_str())
                ));
                ui.end_row();
            }
        });
    if !changed.is_empty() {
        ui.add_space(4.0);
        ui.colored_label(
            theme::TIER2_AMBER,
            format!(
                "⟳ Changes the outcome of {} other order{}: {}",
                changed.len(),
                if changed.len() == 1 { "" } else { "s" },
                changed.join(", ")
            ),
        );
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Findings").strong());
    for f in &decision.findings {
        let basis = f.basis(ctx);
        let (icon, color) = severity_icon(f.severity);
        ui.horizontal_top(|ui| {
            ui.label(RichText::new(icon).color(color));
            ui.vertical(|ui| {
                ui.label(f.message(ctx));
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(basis.cite).small().weak());
                    theme::confidence_badge(ui, basis.confidence)
                        .on_hover_text(format!("Source: {}\n{}", basis.source, basis.note));
                });
            });
        });
    }
}
