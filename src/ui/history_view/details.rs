//! The selected event: who, when, why, its before and after field by field, the decisions it
//! changed, whether the chain breaks there, and the timelines of the orders it is about.

use crate::session::Workspace;
use crate::session::event_text::{self, FieldChange};
use crate::session::timeline::{self, TimelineEntry};
use crate::session::workspace::HistoryStatus;
use crate::ui::{AppAction, theme};
use egui::RichText;

#[derive(Default)]
pub struct Details {
    /// (history length, selected position) → (before/after, timelines by order id).
    cache: Option<((usize, usize), Cached)>,
}

struct Cached {
    changes: Vec<FieldChange>,
    timelines: Vec<(String, Vec<TimelineEntry>)>,
}

/// At most this many orders' timelines are shown for one event (an import names hundreds).
const MAX_TIMELINES: usize = 5;

impl Details {
    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, pos: usize) -> Vec<AppAction> {
        let mut actions = Vec::new();
        let h = &ws.session.history;
        let e = &h[pos];
        let key = (h.len(), pos);
        if self.cache.as_ref().is_none_or(|(k, _)| *k != key) {
            let ids = e.action.order_ids();
            let timelines = ids
                .iter()
                .take(MAX_TIMELINES)
                .map(|id| (id.to_string(), timeline::order_timeline(h, id)))
                .collect();
            let c = Cached {
                changes: event_text::changes(&e.action),
                timelines,
            };
            self.cache = Some((key, c));
        }
        let Some((_, c)) = &self.cache else {
            return actions;
        };
        ui.heading(format!("Event #{} · {}", e.seq, e.action.kind()));
        if let HistoryStatus::Broken(b) = ws.history_status()
            && b.position() == pos + 1
        {
            ui.colored_label(theme::ERROR, format!("⚠ The chain breaks here: {b}"));
        }
        egui::Grid::new("event_facts")
            .num_columns(2)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                for (k, v) in [
                    ("When (UTC)", event_text::time(&e.at)),
                    ("By", e.user.clone()),
                    ("About", event_text::subject(&e.action)),
                    ("What", event_text::summary(e)),
                ] {
                    ui.label(RichText::new(k).weak());
                    ui.add(egui::Label::new(v).wrap());
                    ui.end_row();
                }
                if !e.reason.is_empty() {
                    ui.label(RichText::new("Reason").weak());
                    ui.add(egui::Label::new(RichText::new(&e.reason).italics()).wrap());
                    ui.end_row();
                }
            });
        before_after(ui, &c.changes);
        if !e.effects.is_empty() {
            ui.add_space(6.0);
            ui.label(RichText::new("Decisions it changed").strong());
            for change in &e.effects {
                ui.colored_label(
                    theme::TIER2_AMBER,
                    format!("⟳ {}", event_text::effect_line(change)),
                );
            }
        }
        for (id, entries) in &c.timelines {
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("Timeline of {id}")).strong());
                if let Some(i) = ws.orders().iter().position(|o| &o.id == id)
                    && ui.small_button(format!("Open {id}")).clicked()
                {
                    actions.push(AppAction::OpenOrder(i));
                }
            });
            ui.push_id(("timeline", id), |ui| {
                crate::ui::order_record::entries_ui(ui, entries);
            });
        }
        actions
    }
}

fn before_after(ui: &mut egui::Ui, changes: &[FieldChange]) {
    if changes.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Before → after").strong());
    egui::Grid::new("event_changes")
        .num_columns(3)
        .min_col_width(70.0)
        .striped(true)
        .spacing([8.0, 3.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Field").weak());
            ui.label(RichText::new("Before").weak());
            ui.label(RichText::new("After").weak());
            ui.end_row();
            for c in changes {
                ui.label(&c.field);
                let none = || RichText::new("—").weak();
                ui.add(
                    egui::Label::new(if c.before.is_empty() {
                        none()
                    } else {
                        RichText::new(&c.before).color(theme::GREY)
                    })
                    .wrap(),
                );
                ui.add(
                    egui::Label::new(if c.after.is_empty() {
                        none()
                    } else {
                        RichText::new(&c.after)
                    })
                    .wrap(),
                );
                ui.end_row();
            }
        });
}
