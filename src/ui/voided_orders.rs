//! Voided orders, listed under the order book's toolbar when "Show voided" is on: greyed, with
//! who voided them, when and why, and a Restore button each. Nothing is erased by voiding.

use super::theme;
use crate::format;
use crate::session::Workspace;
use crate::session::event_text::day;
use egui::RichText;

/// Draws the list; returns the index (into the session's voided orders) to restore.
pub fn ui(ui: &mut egui::Ui, ws: &Workspace) -> Option<usize> {
    let voided = &ws.session.voided;
    if voided.is_empty() {
        ui.label(RichText::new("No voided orders in this session.").weak());
        return None;
    }
    let mut restore = None;
    ui.label(RichText::new(format!("Voided orders ({})", voided.len())).strong());
    egui::ScrollArea::vertical()
        .id_salt("voided_orders")
        .max_height(150.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            // Newest first: the one just voided is the one most likely to be restored.
            for (k, v) in voided.iter().enumerate().rev() {
                let o = &v.order;
                ui.horizontal_wrapped(|ui| {
                    if ui.small_button(format!("Restore {}", o.id)).clicked() {
                        restore = Some(k);
                    }
                    ui.label(
                        RichText::new(format!(
                            "{} · {} · {} · {} · {} × {}",
                            o.id,
                            o.date,
                            ws.engine.countries().name(o.destination),
                            o.consignee,
                            o.item.id(),
                            format::thousands(o.quantity)
                        ))
                        .color(theme::GREY)
                        .strikethrough(),
                    );
                    ui.label(
                        RichText::new(format!(
                            "voided by {} on {}: {}",
                            v.by,
                            day(&v.at),
                            v.reason
                        ))
                        .small()
                        .color(theme::GREY),
                    );
                });
            }
        });
    ui.separator();
    restore
}
