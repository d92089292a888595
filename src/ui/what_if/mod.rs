//! What-if scenarios in the app: the label every view puts on a what-if, the picker that chooses
//! the one shown beside the rule as written, the scenario editor, and the order-book diff.
//!
//! Evaluations come from `session::what_if_eval` (cached per what-if, ruleset and book revision);
//! edits go through `Workspace::save_what_if` / `remove_what_if`, so every change is audited.

pub mod book_diff;
pub mod editor;

use crate::session::Workspace;
use crate::session::what_if_eval::{WhatIfBook, banner as banner_text};
use egui::{Color32, RichText};

/// The colour of everything that is a what-if (Okabe–Ito reddish purple): banners, outlines on
/// the map, what-if bars in the plots, what-if verdicts in the order book.
pub const WHAT_IF: Color32 = crate::ui::theme::PURPLE;

/// The what-if colour for text: darker on a light background, lighter on a dark one, so it
/// reads as well as the body text.
pub fn text_color(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(0xE6, 0xA8, 0xCB)
    } else {
        Color32::from_rgb(0x9C, 0x3E, 0x76)
    }
}

/// The persistent label of a what-if: "What-if: <name> — not the rule as written", with what it
/// changes. Shown wherever a what-if is shown, so it never reads as the rule.
pub fn banner(ui: &mut egui::Ui, book: &WhatIfBook) {
    banner_frame(ui, &book.banner(), &book.description.join(" · "));
}

/// The label for a what-if that cannot be evaluated (its values make no sense to the ruleset).
pub fn broken_banner(ui: &mut egui::Ui, name: &str, error: &str) {
    banner_frame(
        ui,
        &banner_text(name),
        &format!("cannot be evaluated: {error}"),
    );
}

fn banner_frame(ui: &mut egui::Ui, title: &str, detail: &str) {
    egui::Frame::NONE
        .fill(WHAT_IF.gamma_multiply(0.16))
        .stroke(egui::Stroke::new(1.5, WHAT_IF))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(8, 4))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(title)
                        .strong()
                        .color(ui.visuals().strong_text_color()),
                );
                if !detail.is_empty() {
                    ui.label(RichText::new(detail).weak());
                }
            });
        });
}

/// The chosen what-if evaluated, or its banner when it cannot be: `None` when none is chosen
/// (the view shows the rule only).
pub fn active_or_banner(
    ui: &mut egui::Ui,
    ws: &Workspace,
    cache: &mut crate::session::what_if_eval::WhatIfCache,
) -> Option<std::sync::Arc<WhatIfBook>> {
    match cache.active(ws)? {
        Ok(book) => Some(book),
        Err(e) => {
            let name = ws.session.view.what_if.clone().unwrap_or_default();
            broken_banner(ui, &name, &e);
            None
        }
    }
}

/// What the picker asks of the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PickerOutput {
    /// "Edit what-ifs…" was chosen.
    pub edit: bool,
}

/// The name of the choice that shows the rule only.
pub const RULE_ONLY: &str = "None — the rule as written";

/// A combo box choosing the what-if shown beside the rule as written (`view.what_if`). Choosing
/// one is a view change (not audited), like choosing a plot.
pub fn picker(ui: &mut egui::Ui, ws: &mut Workspace) -> PickerOutput {
    let mut out = PickerOutput::default();
    let label = ui.label("What-if");
    let current = ws.session.view.what_if.clone();
    // Short in the bar (space is tight at 900 points); the list says it in full.
    let shown = current.as_deref().unwrap_or("Rule as written");
    let mut chosen = current.clone();
    egui::ComboBox::from_id_salt("what_if_picker")
        .selected_text(RichText::new(shown).color(if current.is_some() {
            text_color(ui)
        } else {
            ui.visuals().text_color()
        }))
        .width(150.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, RULE_ONLY);
            for w in &ws.session.what_ifs {
                ui.selectable_value(&mut chosen, Some(w.name.clone()), &w.name);
            }
            ui.separator();
            if ui.button("Edit what-ifs…").clicked() {
                out.edit = true;
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(
            "A what-if is a named set of changes to the ruleset, shown beside the rule as \
             written (map outlines, paired bars, which orders change). It is never a reading of \
             the rule.",
        );
    if chosen != current {
        ws.session.view.what_if = chosen;
    }
    out
}
