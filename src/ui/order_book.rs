//! The order book: a virtualised, sortable, filterable table of all orders with totals.

use super::theme;
use crate::format;
use crate::rules::{ScreeningStatus, Tier, Verdict};
use crate::session::Workspace;
use crate::session::query::{self, BookFilter, SortColumn, Totals};
use crate::session::what_if_eval::WhatIfBook;
use egui::{Key, RichText};
use egui_extras::{Column, TableBuilder};
use std::sync::Arc;

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
    cache_key: Option<(u64, BookFilter, SortColumn, bool, usize)>,
    rows: Vec<usize>,
    totals: Totals,
    /// The what-if shown beside the rule (set by the orders view each frame): a column with
    /// the outcome under it, and the "changed under what-if" filter.
    pub what_if: Option<Arc<WhatIfBook>>,
    /// Show only the orders whose decision the what-if changes.
    pub only_changed: bool,
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
        let restrict = self.what_if.as_ref().filter(|_| self.only_changed);
        let key = (
            ws.revision(),
            self.filter.clone(),
            self.sort,
            self.descending,
            // The evaluation's identity (0 for none): a new one is a new what-if or book.
            restrict.map_or(0, |b| Arc::as_ptr(b) as usize),
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
            if let Some(b) = restrict {
                self.rows.retain(|&i| b.diff.changes_order(i));
            }
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
            let l = ui.label("Screening");
            egui::ComboBox::from_id_salt("filter_screening")
                .selected_text(self.filter.screening.map_or("all", ScreeningStatus::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.screening, None, "all");
                    for s in [
                        ScreeningStatus::PossibleMatch,
                        ScreeningStatus::ConfirmedMatch,
                        ScreeningStatus::Cleared,
                        ScreeningStatus::Clear,
                    ] {
                        let label = if s == ScreeningStatus::PossibleMatch {
                            "possible match (holds)"
                        } else {
                            s.label()
                        };
                        ui.selectable_value(&mut self.filter.screening, Some(s), label);
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

    /// The table itself; returns the header clicked (to sort) and the row clicked.
    fn table(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        changed: &[String],
    ) -> (Option<SortColumn>, Option<usize>) {
        let (sort, descending) = (self.sort, self.descending);
        let mut clicked_sort = None;
        // Cells are plain text: a click anywhere on a row selects it (selectable labels would eat it).
        ui.style_mut().interaction.selectable_labels = false;
        let mut table = TableBuilder::new(ui)
            .id_salt("order_book")
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        let what_if = self.what_if.clone();
        // Beside a what-if the text columns give up some width to its column.
        let beside = what_if.is_some();
        for c in COLUMNS {
            table = table.column((c.width)(beside));
        }
        if beside {
            table = table.column(Column::remainder().at_least(120.0).clip(true));
        }
        table = table.min_scrolled_height(0.0);
        if self.scroll_to_selected
            && let Some(pos) = self
                .selected
                .and_then(|s| self.rows.iter().position(|&r| r == s))
        {
            table = table.scroll_to_row(pos, Some(egui::Align::Center));
            self.scroll_to_selected = false;
        }
        let rows = &self.rows;
        let selected = self.selected;
        let mut clicked_row = None;
        table
            .header(22.0, |mut header| {
                for c in COLUMNS {
                    header.col(|ui| {
                        if sort_button(ui, c, sort, descending) {
                            clicked_sort = Some(c.sort);
                        }
                    });
                }
                if beside {
                    header.col(|ui| {
                        ui.label(
                            RichText::new("Under the what-if")
                                .strong()
                                .color(crate::ui::what_if::text_color(ui)),
                        );
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                    let index = rows[row.index()];
                    let cell = Cell {
                        ws,
                        order: &ws.orders()[index],
                        decision: &ws.decisions()[index],
                        screening: ws.screening(index),
                        changed: changed.contains(&ws.orders()[index].id),
                    };
                    row.set_selected(selected == Some(index));
                    for c in COLUMNS {
                        row.col(|ui| (c.cell)(ui, &cell));
                    }
                    if let Some(b) = &what_if {
                        row.col(|ui| what_if_cell(ui, b, index));
                    }
                    if row.response().clicked() {
                        clicked_row = Some(index);
                    }
                });
            });
        (clicked_sort, clicked_row)
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
        let changed: Vec<String> = changed.to_vec();
        // A narrow window scrolls the table sideways rather than hiding its last columns.
        let (clicked_sort, clicked_row) = egui::ScrollArea::horizontal()
            .id_salt("order_book_hscroll")
            .show(ui, |ui| self.table(ui, ws, &changed))
            .inner;
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

/// What a cell of the book draws from.
struct Cell<'a> {
    ws: &'a Workspace,
    order: &'a crate::rules::Order,
    decision: &'a crate::rules::Decision,
    screening: Option<&'a crate::rules::Screening>,
    /// The last edit changed this order's decision.
    changed: bool,
}

/// One column of the book: what it sorts by, its header, its width and how a cell is drawn.
struct BookColumn {
    sort: SortColumn,
    header: &'static str,
    /// Its width; `true` when a what-if column follows (text columns narrow, the last gives
    /// up the remainder).
    width: fn(bool) -> Column,
    cell: fn(&mut egui::Ui, &Cell),
}

/// The book's columns, in order.
const COLUMNS: &[BookColumn] = &[
    BookColumn {
        sort: SortColumn::Id,
        header: "Id",
        width: |_| Column::initial(64.0).at_least(56.0).clip(true),
        cell: |ui, c| {
            if c.changed {
                ui.label(RichText::new(format!("⟳ {}", c.order.id)).color(theme::TIER2_AMBER));
            } else {
                ui.label(&c.order.id);
            }
        },
    },
    BookColumn {
        sort: SortColumn::Date,
        header: "Date",
        width: |_| Column::initial(70.0),
        cell: |ui, c| {
            ui.label(c.order.date.to_string());
        },
    },
    BookColumn {
        sort: SortColumn::Destination,
        header: "Destination",
        width: |w| Column::initial(if w { 70.0 } else { 84.0 }).clip(true),
        cell: |ui, c| {
            let countries = c.ws.engine.countries();
            let dest = c.order.destination;
            let dot = if dest == c.ws.engine.ruleset().us {
                theme::US_BLUE
            } else {
                countries.tier(dest).map_or(theme::GREY, theme::tier_color)
            };
            ui.label(RichText::new("●").color(dot));
            ui.label(countries.name(dest));
        },
    },
    BookColumn {
        sort: SortColumn::Consignee,
        header: "Consignee",
        width: |w| Column::initial(if w { 78.0 } else { 92.0 }).clip(true),
        cell: |ui, c| {
            ui.label(&c.order.consignee);
        },
    },
    BookColumn {
        sort: SortColumn::Item,
        header: "Item",
        width: |w| Column::initial(if w { 52.0 } else { 62.0 }).clip(true),
        cell: |ui, c| {
            ui.label(c.order.item.id());
        },
    },
    BookColumn {
        sort: SortColumn::Quantity,
        header: "Qty",
        width: |_| Column::initial(44.0),
        cell: |ui, c| {
            ui.label(format::thousands(c.order.quantity));
        },
    },
    BookColumn {
        sort: SortColumn::Tpp,
        header: "TPP",
        width: |_| Column::initial(58.0),
        cell: |ui, c| {
            ui.label(format::tpp(c.decision.tpp));
        },
    },
    BookColumn {
        sort: SortColumn::Screening,
        header: "Screening",
        width: |_| Column::initial(64.0).clip(true),
        cell: |ui, c| screening_cell(ui, c),
    },
    BookColumn {
        sort: SortColumn::Verdict,
        header: "Verdict",
        width: |_| Column::initial(110.0).clip(true),
        cell: |ui, c| {
            let v = c.decision.verdict;
            ui.label(RichText::new(v.label()).color(theme::verdict_color(v)));
        },
    },
    BookColumn {
        sort: SortColumn::Authority,
        header: "Auth.",
        width: |w| {
            if w {
                Column::initial(48.0).at_least(40.0)
            } else {
                Column::remainder().at_least(40.0)
            }
        },
        cell: |ui, c| {
            ui.label(c.decision.authority.as_str());
        },
    },
];

fn screening_cell(ui: &mut egui::Ui, c: &Cell) {
    use crate::rules::ScreeningStatus as S;
    let Some(status) = c.decision.screening else {
        ui.label(RichText::new("…").weak())
            .on_hover_text("The screening list is still loading");
        return;
    };
    let color = match status {
        S::Clear | S::Cleared => theme::GREEN,
        S::PossibleMatch => theme::HOLD,
        S::ConfirmedMatch => theme::ERROR,
    };
    let hits = c.screening.map_or(0, |s| s.hits.len());
    let text = match status {
        S::Clear => "clear".to_string(),
        _ => format!("{} ({hits})", status.label()),
    };
    ui.label(RichText::new(text).color(color));
}

/// A header button that sorts by its column; returns whether it was clicked.
fn sort_button(ui: &mut egui::Ui, c: &BookColumn, sort: SortColumn, descending: bool) -> bool {
    let arrow = if c.sort == sort {
        if descending { " ⏷" } else { " ⏶" }
    } else {
        ""
    };
    ui.add(egui::Button::new(RichText::new(format!("{}{arrow}", c.header)).strong()).frame(false))
        .on_hover_text(format!("Sort by {}", c.header))
        .clicked()
}

/// What the order's decision is under the what-if shown beside the rule.
fn what_if_cell(ui: &mut egui::Ui, b: &WhatIfBook, index: usize) {
    match b.diff.change_of(index) {
        Some(c) => {
            let text = RichText::new(format!("→ {}", short_outcome(&c.after)))
                .color(crate::ui::what_if::text_color(ui));
            ui.label(text).on_hover_text(format!(
                "{} under the what-if (as written: {})",
                c.after.label(),
                c.before.label()
            ));
        }
        None => {
            ui.label(RichText::new("same").weak());
        }
    }
}

/// "License required" or "Authorized · LPP".
fn short_outcome(o: &crate::session::audit::Outcome) -> String {
    if o.authority == crate::rules::Authority::None {
        o.verdict.label().to_string()
    } else {
        format!("{} · {}", o.verdict.label(), o.authority.as_str())
    }
}
