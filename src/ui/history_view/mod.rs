//! The History view: the audit trail as an auditor reads it. A banner says whether the hash chain
//! verified on load (and exactly where it breaks when it does not); filters narrow the events by
//! order, party, user and day; the table is virtualised (thousands of events stay fast) and
//! cached by the history's length and the filter; the selected event shows its before and after,
//! the decisions it changed and the timelines of the orders it is about.

mod details;

use super::AppAction;
use super::theme;
use crate::session::event_text::{self, day};
use crate::session::history_query::{self, HistoryFilter};
use crate::session::workspace::HistoryStatus;
use crate::session::{Workspace, audit::AuditEvent};
use egui::RichText;
use egui_extras::{Column, TableBuilder};

/// The view's id in the view registry.
pub const ID: &str = "history";

const ROW_HEIGHT: f32 = 20.0;

impl super::view::View for HistoryView {
    fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction> {
        HistoryView::ui(self, ui, ws)
    }

    fn reset(&mut self, _ws: &Workspace) {
        *self = Self::default();
    }

    crate::view_any!();
}

#[derive(Default)]
pub struct HistoryView {
    pub filter: HistoryFilter,
    from_text: String,
    to_text: String,
    /// Position (into the history) of the selected event.
    pub selected: Option<usize>,
    /// (history length, last hash, filter) → the filtered positions.
    cache: Option<((usize, String, HistoryFilter), Vec<usize>)>,
    users: Vec<String>,
    details: details::Details,
}

impl HistoryView {
    pub fn new(_ws: &Workspace) -> Self {
        Self::default()
    }

    /// The filtered events (positions into the history); recomputed only when the history or
    /// the filter changes.
    pub fn rows(&mut self, ws: &Workspace) -> &[usize] {
        let h = &ws.session.history;
        let key = (
            h.len(),
            h.last().map(|e| e.hash.clone()).unwrap_or_default(),
            self.filter.clone(),
        );
        if self.cache.as_ref().is_none_or(|(k, _)| *k != key) {
            let rows = history_query::filter(h, &self.filter);
            self.users = history_query::users(h);
            self.cache = Some((key, rows));
        }
        self.cache.as_ref().map_or(&[], |(_, r)| r.as_slice())
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction> {
        let mut actions = Vec::new();
        banner(ui, ws);
        self.filters(ui);
        let shown = self.rows(ws).len();
        ui.label(
            RichText::new(format!(
                "{} of {}",
                crate::format::thousands(shown as u64),
                crate::format::count(ws.session.history.len(), "event")
            ))
            .strong(),
        );
        if let Some(sel) = self.selected.filter(|&s| s < ws.session.history.len()) {
            egui::Panel::right("history_details")
                .resizable(true)
                .default_size(380.0)
                .size_range(280.0..=640.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("history_details_scroll")
                        .show(ui, |ui| {
                            actions = self.details.ui(ui, ws, sel);
                        });
                });
        }
        self.table(ui, ws);
        actions
    }

    fn filters(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            let text = |ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str, w: f32| {
                let l = ui.label(label);
                ui.add(
                    egui::TextEdit::singleline(value)
                        .hint_text(hint)
                        .desired_width(w),
                )
                .labelled_by(l.id);
            };
            text(ui, "Order", &mut self.filter.order, "id", 80.0);
            text(ui, "Party", &mut self.filter.party, "name", 130.0);
            let l = ui.label("User");
            let shown = if self.filter.user.is_empty() {
                "anyone".to_string()
            } else {
                self.filter.user.clone()
            };
            egui::ComboBox::from_id_salt("history_user")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.user, String::new(), "anyone");
                    for u in &self.users {
                        ui.selectable_value(&mut self.filter.user, u.clone(), u);
                    }
                })
                .response
                .labelled_by(l.id);
            text(ui, "From", &mut self.from_text, "YYYY-MM-DD", 96.0);
            text(ui, "To", &mut self.to_text, "YYYY-MM-DD", 96.0);
            // A partly typed date filters nothing yet; a wrong one says so.
            let parse = |t: &str| t.trim().parse::<jiff::civil::Date>().ok();
            self.filter.from = parse(&self.from_text);
            self.filter.to = parse(&self.to_text);
            for (t, d) in [
                (&self.from_text, self.filter.from),
                (&self.to_text, self.filter.to),
            ] {
                if t.trim().len() >= 10 && d.is_none() {
                    ui.colored_label(theme::ERROR, format!("⚠ `{}` is not a date", t.trim()));
                }
            }
            if (!self.filter.is_empty() || !self.from_text.is_empty() || !self.to_text.is_empty())
                && ui.button("Clear filters").clicked()
            {
                self.filter = HistoryFilter::default();
                self.from_text.clear();
                self.to_text.clear();
            }
        });
    }

    fn table(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        self.rows(ws);
        let rows = self.cache.as_ref().map_or(&[][..], |(_, r)| r.as_slice());
        let history = &ws.session.history;
        let selected = self.selected;
        let mut clicked = None;
        ui.style_mut().interaction.selectable_labels = false;
        TableBuilder::new(ui)
            .id_salt("history_table")
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(40.0).at_least(32.0))
            .column(Column::initial(112.0))
            .column(Column::initial(80.0).clip(true))
            .column(Column::initial(118.0).clip(true))
            .column(Column::initial(170.0).clip(true))
            .column(Column::initial(100.0).clip(true))
            .column(Column::remainder().at_least(60.0).clip(true))
            .min_scrolled_height(0.0)
            .header(22.0, |mut header| {
                for name in [
                    "#",
                    "Time (UTC)",
                    "User",
                    "Action",
                    "Subject",
                    "Changed",
                    "Reason",
                ] {
                    header.col(|ui| {
                        ui.strong(name);
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                    let pos = rows[row.index()];
                    let e = &history[pos];
                    row.set_selected(selected == Some(pos));
                    cells(&mut row, e);
                    if row.response().clicked() {
                        clicked = Some(pos);
                    }
                });
            });
        if let Some(pos) = clicked {
            self.selected = Some(pos);
        }
    }
}

fn cells(row: &mut egui_extras::TableRow, e: &AuditEvent) {
    row.col(|ui| {
        ui.label(e.seq.to_string());
    });
    row.col(|ui| {
        ui.label(event_text::time(&e.at));
    });
    row.col(|ui| {
        ui.label(&e.user);
    });
    row.col(|ui| {
        ui.label(e.action.kind());
    });
    row.col(|ui| {
        ui.label(event_text::subject(&e.action));
    });
    row.col(|ui| {
        if !e.effects.is_empty() {
            let ids: Vec<&str> = e.effects.iter().map(|c| c.order_id.as_str()).collect();
            ui.colored_label(theme::TIER2_AMBER, format!("⟳ {}", ids.join(", ")))
                .on_hover_text("Other orders whose decision this change altered");
        }
    });
    row.col(|ui| {
        if !e.reason.is_empty() {
            ui.label(RichText::new(&e.reason).italics())
                .on_hover_text(&e.reason);
        }
    });
}

/// "History verified: 67 events" or exactly where and why it is not.
pub fn banner_text(ws: &Workspace) -> (bool, String) {
    let n = crate::format::count(ws.session.history.len(), "event");
    match ws.history_status() {
        HistoryStatus::Verified => {
            let since = ws
                .session
                .history
                .first()
                .map_or(String::new(), |e| format!(" since {}", day(&e.at)));
            (
                true,
                format!("✔ History verified: {n}{since}, hash chain intact"),
            )
        }
        HistoryStatus::Broken(b) => (false, format!("⚠ History broken at {b}")),
        HistoryStatus::Diverged(d) => (
            false,
            format!("⚠ The history ({n}) does not rebuild this session: {d}"),
        ),
    }
}

fn banner(ui: &mut egui::Ui, ws: &Workspace) {
    let (ok, text) = banner_text(ws);
    let color = if ok { theme::GREEN } else { theme::ERROR };
    egui::Frame::new()
        .fill(color.gamma_multiply(0.12))
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(4.0)
        .inner_margin(6.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(text).color(color).strong());
        });
    ui.add_space(4.0);
}
