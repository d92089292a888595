//! Which decisions a what-if changes, and why, for the order book and the comparison view: the
//! summary line ("12 orders change: 9 license_required → authorized, …") and, per changed order,
//! its outcome under the rule as written and under the what-if, with the what-if's deciding
//! finding.

use crate::format;
use crate::rules::FindingContext;
use crate::session::Workspace;
use crate::session::what_if_diff::OrderChange;
use crate::session::what_if_eval::WhatIfBook;
use crate::ui::theme;
use egui::RichText;

/// More changed orders than this are counted, not listed (the book's filter shows them all).
const MAX_LISTED: usize = 200;

/// The what-if's label, its summary line and the "changed under what-if" filter, above the book.
pub fn book_header(ui: &mut egui::Ui, ws: &Workspace, book: &WhatIfBook, only_changed: &mut bool) {
    super::banner(ui, book);
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(book.diff.summary())
                .strong()
                .color(crate::ui::what_if::text_color(ui)),
        );
        if !book.diff.is_empty() {
            ui.checkbox(only_changed, "Changed under what-if")
                .on_hover_text("Show only the orders whose decision the what-if changes");
        }
    });
    if !book.diff.is_empty() {
        egui::CollapsingHeader::new("Which orders change, and why")
            .id_salt("what_if_changes")
            .default_open(true)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("what_if_changes_scroll")
                    .max_height(180.0)
                    .show(ui, |ui| changes_table(ui, ws, book, "book_changes"));
            });
    }
}

/// "authorized under LPP → license required": an outcome change in words.
pub fn outcome_change(c: &OrderChange) -> String {
    format!("{} → {}", c.before.label(), c.after.label())
}

/// Why the what-if decides as it does for a changed order: its deciding finding, in words.
pub fn reason(ws: &Workspace, book: &WhatIfBook, c: &OrderChange) -> String {
    let (Some(order), Some(f)) = (ws.orders().get(c.index), c.reason) else {
        return String::new();
    };
    let ctx = FindingContext {
        engine: &book.engine,
        order,
        screening: ws.screening(c.index),
        licences: &ws.session.licences,
        overrides: &ws.session.overrides,
    };
    f.message(&ctx)
}

/// One row per changed order: id, destination, consignee, item, the outcome as written and
/// under the what-if, and why.
pub fn changes_table(ui: &mut egui::Ui, ws: &Workspace, book: &WhatIfBook, id: &str) {
    let countries = ws.engine.countries();
    egui::Grid::new(id)
        .striped(true)
        .num_columns(6)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for h in [
                "Order",
                "Destination",
                "Item",
                "As written",
                "Under the what-if",
                "Why",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for c in book.diff.changes.iter().take(MAX_LISTED) {
                let Some(o) = ws.orders().get(c.index) else {
                    continue;
                };
                ui.label(&c.order_id);
                ui.label(countries.name(o.destination));
                ui.label(format!(
                    "{} × {}",
                    format::thousands(o.quantity),
                    o.item.id()
                ));
                ui.label(
                    RichText::new(c.before.label()).color(theme::verdict_color(c.before.verdict)),
                );
                ui.label(
                    RichText::new(c.after.label())
                        .strong()
                        .color(crate::ui::what_if::text_color(ui)),
                );
                ui.add(egui::Label::new(reason(ws, book, c)).wrap());
                ui.end_row();
            }
        });
    let n = book.diff.changes.len();
    if n > MAX_LISTED {
        ui.label(
            RichText::new(format!(
                "… and {} more (tick “Changed under what-if” to see them all in the book)",
                format::thousands((n - MAX_LISTED) as u64)
            ))
            .weak(),
        );
    }
}
