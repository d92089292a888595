//! The order book: a virtualised, sortable, filterable table of all orders with totals.

use super::theme;
use crate::format;
use crate::rules::{ScreeningStatus, Tier, Verdict};
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

    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<BookCommand> {
        let mut command = None;
        ui.horizontal(|ui| {
            ui.heading("Order book");
            ui.label(
                RichText::new("↑/↓ to move, Delete to void, Ctrl+Z to undo")
                    .small()
                    .weak(),
            );
        });
        self.filters(ui, ws);
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
        let changed: Vec<String> = changed.to_vec();
        // Cells are plain text: a click anywhere on a row selects it (selectable labels would eat it).
        ui.style_mut().interaction.selectable_labels = false;
        let mut table = TableBuilder::new(ui)
            .id_salt("order_book")
            .striped(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        for c in COLUMNS {
            table = table.column((c.width)());
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
    width: fn() -> Column,
    cell: fn(&mut egui::Ui, &Cell),
}

/// The book's columns, in order.
const COLUMNS: &[BookColumn] = &[
    BookColumn {
        sort: SortColumn::Id,
        header: "Id",
        width: || Column::initial(74.0).at_least(56.0).clip(true),
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
        width: || Column::initial(74.0),
        cell: |ui, c| {
            ui.label(c.order.date.to_string());
        },
    },
    BookColumn {
        sort: SortColumn::Destination,
        header: "Destination",
        width: || Column::initial(94.0).clip(true),
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
        width: || Column::initial(106.0).clip(true),
        cell: |ui, c| {
            ui.label(&c.order.consignee);
        },
    },
    BookColumn {
        sort: SortColumn::Item,
        header: "Item",
        width: || Column::initial(68.0).clip(true),
        cell: |ui, c| {
            ui.label(c.order.item.id());
        },
    },
    BookColumn {
        sort: SortColumn::Quantity,
        header: "Qty",
        width: || Column::initial(48.0),
        cell: |ui, c| {
            ui.label(format::thousands(c.order.quantity));
        },
    },
    BookColumn {
        sort: SortColumn::Tpp,
        header: "TPP",
        width: || Column::initial(58.0),
        cell: |ui, c| {
            ui.label(format::tpp(c.decision.tpp));
        },
    },
    BookColumn {
        sort: SortColumn::Screening,
        header: "Screening",
        width: || Column::initial(84.0).clip(true),
        cell: |ui, c| screening_cell(ui, c),
    },
    BookColumn {
        sort: SortColumn::Verdict,
        header: "Verdict",
        width: || Column::initial(128.0).clip(true),
        cell: |ui, c| {
            let v = c.decision.verdict;
            ui.label(RichText::new(v.label()).color(theme::verdict_color(v)));
        },
    },
    BookColumn {
        sort: SortColumn::Authority,
        header: "Auth.",
        width: || Column::remainder().at_least(40.0),
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
