//! The order book: a virtualised, sortable, filterable table of all orders with totals.

use super::theme;
use crate::format;
use crate::rules::{Tier, Verdict};
use crate::session::Workspace;
use crate::session::query::{self, BookFilter, SortColumn, Totals};
use egui::{Key, RichText};
use egui_extras::{Column, TableBuilder};

const ROW_HEIGHT: f32 = 20.0;

#[derive(Default)]
pub struct OrderBook {
    pub filter: BookFilter,
    country_text: String,
    pub sort: SortColumn,
    pub descending: bool,
    /// Index (into the book) of the selected order.
    pub selected: Option<usize>,
    /// Lists the session's voided orders above the table.
    pub show_voided: bool,
    scroll_to_selected: bool,
    cache_key: Option<(u64, BookFilter, SortColumn, bool)>,
    rows: Vec<usize>,
    totals: Totals,
}

/// What the user did in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookCommand {
    Select(usize),
    Delete(usize),
    /// Restore the voided order at this index of the session's voided orders.
    Restore(usize),
}

impl OrderBook {
    /// The filtered, sorted rows; recomputed only when the book, filter or sort changes.
    pub fn rows(&mut self, ws: &Workspace) -> &[usize] {
        let key = (
            ws.revision(),
            self.filter.clone(),
            self.sort,
            self.descending,
        );
        if self.cache_key.as_ref() != Some(&key) {
            self.rows = query::query(
                &ws.engine,
                ws.orders(),
                ws.decisions(),
                &self.filter,
                self.sort,
                !self.descending,
            );
            self.totals = query::totals(&ws.engine, ws.orders(), ws.decisions(), &self.rows);
            self.cache_key = Some(key);
        }
        &self.rows
    }

    pub fn select(&mut self, index: usize) {
        self.selected = Some(index);
        self.scroll_to_selected = true;
    }

    fn filters(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("Search");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.text)
                    .hint_text("id, consignee, item, country")
                    .desired_width(150.0),
            )
            .labelled_by(l.id);
            let l = ui.label("Verdict");
            egui::ComboBox::from_id_salt("filter_verdict")
                .selected_text(self.filter.verdict.map_or("all", Verdict::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.verdict, None, "all");
                    for v in Verdict::ALL.into_iter().filter(|v| *v != Verdict::Invalid) {
                        ui.selectable_value(&mut self.filter.verdict, Some(v), v.label());
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("Tier");
            egui::ComboBox::from_id_salt("filter_tier")
                .selected_text(
                    self.filter
                        .tier
                        .map_or("all".to_string(), |t| t.to_string()),
                )
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.tier, None, "all");
                    for t in Tier::ALL {
                        ui.selectable_value(&mut self.filter.tier, Some(t), t.to_string());
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("Country");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.country_text)
                        .hint_text("any")
                        .desired_width(90.0),
                )
                .labelled_by(l.id);
            if r.changed() {
                self.filter.country =
                    super::order_form::resolve_country(ws.engine.countries(), &self.country_text);
            }
            if self.filter != BookFilter::default() && ui.button("Clear filters").clicked() {
                self.filter = BookFilter::default();
                self.country_text.clear();
            }
        });
    }

    fn keyboard(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<BookCommand> {
        if ui.text_edit_focused() || self.rows.is_empty() {
            return None;
        }
        let pos = self
            .selected
            .and_then(|s| self.rows.iter().position(|&r| r == s));
        let last = self.rows.len() - 1;
        let target = ui.input_mut(|i| {
            if i.consume_key(egui::Modifiers::NONE, Key::ArrowDown) {
                Some(pos.map_or(0, |p| (p + 1).min(last)))
            } else if i.consume_key(egui::Modifiers::NONE, Key::ArrowUp) {
                Some(pos.map_or(0, |p| p.saturating_sub(1)))
            } else if i.consume_key(egui::Modifiers::NONE, Key::Home) {
                Some(0)
            } else if i.consume_key(egui::Modifiers::NONE, Key::End) {
                Some(last)
            } else {
                None
            }
        });
        if let Some(p) = target {
            let index = self.rows[p];
            self.select(index);
            return Some(BookCommand::Select(index));
        }
        if let Some(s) = self.selected
            && s < ws.orders().len()
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Delete))
        {
            return Some(BookCommand::Delete(s));
        }
        None
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<BookCommand> {
        let mut command = None;
        ui.horizontal(|ui| {
            ui.heading("Order book");
            ui.label(
                RichText::new("↑/↓ to move, Delete to void, Ctrl+Z to undo")
                    .small()
                    .weak(),
            );
            ui.checkbox(&mut self.show_voided, "Show voided")
                .on_hover_text("Voided orders stay in the session, with who voided them and why");
        });
        self.filters(ui, ws);
        if self.show_voided
            && let Some(k) = super::voided_orders::ui(ui, ws)
        {
            command = Some(BookCommand::Restore(k));
        }
        self.rows(ws);
        let t = self.totals;
        ui.label(
            RichText::new(format!(
                "{} of {} orders · {} units · {} TPP ≈ {} H100e",
                format::thousands(t.orders as u64),
                format::thousands(ws.orders().len() as u64),
                format::thousands(t.units),
                format::tpp(t.tpp),
                format::thousands(t.h100e.round() as u64)
            ))
            .strong(),
        );
        let changed = ws.changed_by_last_edit();
        if !changed.is_empty() {
            ui.colored_label(
                theme::TIER2_AMBER,
                format!(
                    "⟳ The last edit changed {} later decision{}: {}",
                    changed.len(),
                    if changed.len() == 1 { "" } else { "s" },
                    changed
                        .iter()
                        .take(8)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        if let Some(k) = self.keyboard(ui, ws) {
            command = Some(k);
        }
        let sort = self.sort;
        let descending = self.descending;
        let mut clicked_sort = None;
        // Cells are plain text: a click anywhere on a row selects it (selectable labels would eat it).
        ui.style_mut().interaction.selectable_labels = false;
        let mut table = TableBuilder::new(ui)
            .id_salt("order_book")
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(74.0).at_least(56.0).clip(true))
            .column(Column::initial(74.0))
            .column(Column::initial(94.0).clip(true))
            .column(Column::initial(106.0).clip(true))
            .column(Column::initial(68.0).clip(true))
            .column(Column::initial(48.0))
            .column(Column::initial(58.0))
            .column(Column::initial(128.0).clip(true))
            .column(Column::remainder().at_least(40.0))
            .min_scrolled_height(0.0);
        if self.scroll_to_selected
            && let Some(pos) = self
                .selected
                .and_then(|s| self.rows.iter().position(|&r| r == s))
        {
            table = table.scroll_to_row(pos, Some(egui::Align::Center));
            self.scroll_to_selected = false;
        }
        let headers = [
            (SortColumn::Id, "Id"),
            (SortColumn::Date, "Date"),
            (SortColumn::Destination, "Destination"),
            (SortColumn::Consignee, "Consignee"),
            (SortColumn::Item, "Item"),
            (SortColumn::Quantity, "Qty"),
            (SortColumn::Tpp, "TPP"),
            (SortColumn::Verdict, "Verdict"),
            (SortColumn::Authority, "Auth."),
        ];
        let rows = &self.rows;
        let selected = self.selected;
        let mut clicked_row = None;
        table
            .header(22.0, |mut header| {
                for (col, name) in headers {
                    header.col(|ui| {
                        let arrow = if col == sort {
                            if descending { " ⏷" } else { " ⏶" }
                        } else {
                            ""
                        };
                        if ui
                            .add(
                                egui::Button::new(RichText::new(format!("{name}{arrow}")).strong())
                                    .frame(false),
                            )
                            .on_hover_text(format!("Sort by {name}"))
                            .clicked()
                        {
                            clicked_sort = Some(col);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                    let index = rows[row.index()];
                    let (o, d) = (&ws.orders()[index], &ws.decisions()[index]);
                    row.set_selected(selected == Some(index));
                    let was_changed = changed.contains(&o.id);
                    row.col(|ui| {
                        let text = if was_changed {
                            format!("⟳ {}", o.id)
                        } else {
                            o.id.clone()
                        };
                        ui.label(if was_changed {
                            RichText::new(text).color(theme::TIER2_AMBER)
                        } else {
                            RichText::new(text)
                        });
                    });
                    row.col(|ui| {
                        ui.label(o.date.to_string());
                    });
                    row.col(|ui| {
                        let tier = ws.engine.countries().tier(o.destination);
                        let dot = if o.destination == ws.engine.ruleset().us {
                            theme::US_BLUE
                        } else {
                            tier.map_or(theme::GREY, theme::tier_color)
                        };
                        ui.label(RichText::new("●").color(dot));
                        ui.label(ws.engine.countries().name(o.destination));
                    });
                    row.col(|ui| {
                        ui.label(&o.consignee);
                    });
                    row.col(|ui| {
                        ui.label(o.item.id());
                    });
                    row.col(|ui| {
                        ui.label(format::thousands(o.quantity));
                    });
                    row.col(|ui| {
                        ui.label(format::tpp(d.tpp));
                    });
                    row.col(|ui| {
                        ui.label(
                            RichText::new(d.verdict.label()).color(theme::verdict_color(d.verdict)),
                        );
                    });
                    row.col(|ui| {
                        ui.label(d.authority.as_str());
                    });
                    if row.response().clicked() {
                        clicked_row = Some(index);
                    }
                });
            });
        if let Some(col) = clicked_sort {
            if self.sort == col {
                self.descending = !self.descending;
            } else {
                self.sort = col;
                self.descending = false;
            }
        }
        if let Some(i) = clicked_row {
            self.selected = Some(i);
            command = Some(BookCommand::Select(i));
        }
        command
    }
}
