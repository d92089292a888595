//! The what-if comparison: the session's order book under a what-if beside the rule as written —
//! outcomes by verdict side by side, the countries whose tier changes, and which orders change
//! and why. Always labelled as a what-if.

use super::AppAction;
use super::what_if::{self, book_diff};
use crate::format;
use crate::rules::Verdict;
use crate::session::Workspace;
use crate::session::book::{TierTotals, verdict_index};
use crate::session::what_if_eval::{WhatIfBook, WhatIfCache};
use crate::ui::theme;
use egui::RichText;

/// The view's id in the view registry (`session::deck::view_ids::COMPARISON`).
pub const ID: &str = crate::session::deck::view_ids::COMPARISON;

#[derive(Default)]
pub struct ComparisonView {
    cache: WhatIfCache,
}

impl super::view::View for ComparisonView {
    fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction> {
        let mut actions = Vec::new();
        ui.horizontal(|ui| {
            ui.heading("What-if beside the rule as written");
            if ui.button("Edit what-ifs…").clicked() {
                actions.push(AppAction::EditWhatIfs);
            }
        });
        if ws.session.view.what_if.is_none() {
            self.choose(ui, ws, &mut actions);
            return actions;
        }
        egui::ScrollArea::vertical()
            .id_salt("comparison_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| self.body(ui, ws));
        actions
    }

    fn slide_ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        self.body(ui, ws);
    }

    fn reset(&mut self, _ws: &Workspace) {
        *self = Self::default();
    }

    crate::view_any!();
}

impl ComparisonView {
    pub fn new(_ws: &Workspace) -> Self {
        Self::default()
    }

    fn choose(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, actions: &mut Vec<AppAction>) {
        ui.label(
            "Choose a what-if to see which decisions of the session's order book it would \
             change, and why.",
        );
        ui.add_space(6.0);
        if ws.session.what_ifs.is_empty() {
            ui.label(RichText::new("The session has no what-if yet.").weak());
            if ui.button("Make one…").clicked() {
                actions.push(AppAction::EditWhatIfs);
            }
        }
        let mut chosen = None;
        for w in &ws.session.what_ifs {
            ui.horizontal(|ui| {
                if ui.button(format!("Show “{}”", w.name)).clicked() {
                    chosen = Some(w.name.clone());
                }
                ui.label(RichText::new(&w.description).weak());
            });
        }
        if chosen.is_some() {
            ws.session.view.what_if = chosen;
        }
    }

    /// The comparison itself (also the slide).
    fn body(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        let Some(book) = what_if::active_or_banner(ui, ws, &mut self.cache) else {
            if let Some(name) = &ws.session.view.what_if
                && ws.session.what_if(name).is_none()
            {
                ui.label(format!("The session has no what-if named “{name}”."));
            }
            return;
        };
        what_if::banner(ui, &book);
        ui.add_space(8.0);
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| outcomes_table(ui, ws, &book));
            ui.add_space(24.0);
            ui.vertical(|ui| what_it_changes(ui, &book));
        });
        ui.add_space(10.0);
        ui.label(
            RichText::new(book.diff.summary())
                .strong()
                .size(ui.text_style_height(&egui::TextStyle::Heading))
                .color(crate::ui::what_if::text_color(ui)),
        );
        if !book.diff.is_empty() {
            ui.add_space(4.0);
            book_diff::changes_table(ui, ws, &book, "comparison_changes");
        }
    }
}

fn totals(tiers: &[TierTotals; 3], v: Verdict) -> usize {
    tiers
        .iter()
        .map(|t| t.orders_by_verdict[verdict_index(v)])
        .sum()
}

/// Orders by verdict, as written and under the what-if, with the difference.
fn outcomes_table(ui: &mut egui::Ui, ws: &Workspace, book: &WhatIfBook) {
    ui.label(
        RichText::new(format!(
            "The session's {}",
            format::count(ws.orders().len(), "order")
        ))
        .strong(),
    );
    egui::Grid::new("comparison_outcomes")
        .striped(true)
        .num_columns(4)
        .spacing([18.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Verdict").strong());
            ui.label(RichText::new("As written").strong());
            ui.label(
                RichText::new("What-if")
                    .strong()
                    .color(crate::ui::what_if::text_color(ui)),
            );
            ui.label(RichText::new("Change").strong());
            ui.end_row();
            for v in Verdict::ALL {
                let (a, b) = (
                    totals(&ws.summary().tiers, v),
                    totals(&book.summary.tiers, v),
                );
                if a == 0 && b == 0 {
                    continue;
                }
                ui.label(RichText::new(v.label()).color(theme::verdict_color(v)));
                ui.label(a.to_string());
                ui.label(RichText::new(b.to_string()).color(crate::ui::what_if::text_color(ui)));
                ui.label(match b as i64 - a as i64 {
                    0 => "–".to_string(),
                    d => format!("{d:+}"),
                });
                ui.end_row();
            }
        });
}

/// The what-if's changes, one line each.
fn what_it_changes(ui: &mut egui::Ui, book: &WhatIfBook) {
    ui.label(RichText::new("What the what-if changes").strong());
    if book.description.is_empty() {
        ui.label(RichText::new("Nothing: it is the rule as written.").weak());
    }
    for line in book.description.iter().take(8) {
        ui.label(format!("• {line}"));
    }
    if book.description.len() > 8 {
        ui.label(RichText::new(format!("… {} more", book.description.len() - 8)).weak());
    }
    if !book.tier_changes.is_empty() {
        ui.label(
            RichText::new(
                "A country moved to another tier moves its orders' destinations and the \
                 companies headquartered there.",
            )
            .weak(),
        );
    }
}
