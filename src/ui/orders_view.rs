//! The compliance officer's view: the order form with its live decision, and the order book.

use super::AppAction;
use super::order_book::{BookCommand, OrderBook};
use super::order_form::{FormCommand, FormMode, OrderForm};
use super::order_record::OrderRecord;
use super::reason_prompt::{ReasonOutcome, ReasonPrompt};
use crate::rules::CountryCode;
use crate::session::Workspace;
use crate::session::what_if_eval::WhatIfCache;
use jiff::civil::Date;

/// The view's id in the view registry.
pub const ID: &str = "orders";

impl super::view::View for OrdersView {
    fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction> {
        OrdersView::ui(self, ui, ws)
    }

    fn reset(&mut self, ws: &Workspace) {
        *self = Self::with_default_date(ws, self.form.default_date);
    }

    crate::view_any!();
}

pub struct OrdersView {
    pub form: OrderForm,
    pub book: OrderBook,
    /// The what-if shown beside the rule, evaluated once per change.
    what_if: WhatIfCache,
    /// The selected order's matches, licence, overrides and timeline.
    pub record: OrderRecord,
    /// Voiding an order asks why first: (index, prompt).
    void_prompt: Option<(usize, ReasonPrompt)>,
    /// Why the last change was refused.
    error: Option<String>,
}

/// Today's date (UTC), clamped to the period the ruleset models.
fn default_date(ws: &Workspace) -> Date {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let d = &ws.engine.ruleset().dates;
    today.clamp(d.effective.value, d.modelled_until.value)
}

impl OrdersView {
    pub fn new(ws: &Workspace) -> Self {
        Self::with_default_date(ws, default_date(ws))
    }

    /// A view whose new orders start on `date` (tests and screenshots pin it).
    pub fn with_default_date(ws: &Workspace, date: Date) -> Self {
        Self {
            form: OrderForm::new(ws, date),
            book: OrderBook::default(),
            what_if: WhatIfCache::default(),
            record: OrderRecord::new(date),
            void_prompt: None,
            error: None,
        }
    }

    /// Opens the form for a new order to `country` (from the map).
    pub fn start_order_for(&mut self, ws: &Workspace, country: CountryCode) {
        self.form.reset(ws);
        self.form.draft.destination = country.to_string();
        self.book.selected = None;
    }

    /// Selects an order of the book and shows its decision.
    pub fn open_order(&mut self, ws: &Workspace, index: usize) {
        self.form.edit(ws, index);
        self.book.select(index);
    }

    fn apply_form(&mut self, ws: &mut Workspace, cmd: FormCommand) {
        self.error = None;
        match cmd {
            FormCommand::Add(order) => match ws.add_order(order.clone()) {
                Ok(()) => {
                    // On a team ledger the order is in the book once committed, a moment later.
                    if let Some(index) = ws.orders().iter().rposition(|o| o.id == order.id) {
                        self.book.select(index);
                    }
                    self.form.reset(ws);
                }
                Err(e) => self.error = Some(e),
            },
            FormCommand::Save(i, order) => match ws.replace_order(i, order) {
                Ok(()) => self.form.edit(ws, i),
                Err(e) => self.error = Some(e),
            },
            FormCommand::Duplicate(i) => {
                if let Some(j) = ws.duplicate_order(i) {
                    self.open_order(ws, j);
                }
            }
            FormCommand::Delete(i) => self.ask_void(ws, i),
        }
    }

    /// Voiding keeps the order in the session and needs a reason: ask for it first.
    fn ask_void(&mut self, ws: &Workspace, i: usize) {
        let Some(o) = ws.orders().get(i) else { return };
        let explanation = format!(
            "{} leaves the order book and stays in the session as voided, with your reason, \
             in the audit trail. Later orders are re-evaluated.",
            o.id
        );
        self.void_prompt = Some((
            i,
            ReasonPrompt::new(format!("Void order {}", o.id), explanation, "Void order"),
        ));
    }

    fn void_prompt(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some((i, prompt)) = &mut self.void_prompt else {
            return;
        };
        match prompt.show(ctx, "void_order") {
            ReasonOutcome::Waiting => {}
            ReasonOutcome::Cancelled => self.void_prompt = None,
            ReasonOutcome::Confirmed(reason) => match ws.void_order(*i, &reason) {
                Ok(()) => {
                    self.void_prompt = None;
                    self.book.selected = None;
                    self.form.reset(ws);
                }
                Err(e) => prompt.error = Some(e),
            },
        }
    }

    /// Keeps the form consistent with the book after undo/redo or a load.
    fn follow_book(&mut self, ws: &Workspace) {
        if let FormMode::Edit(i) = self.form.mode
            && i >= ws.orders().len()
        {
            self.form.reset(ws);
            self.book.selected = None;
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction> {
        self.follow_book(ws);
        egui::Panel::left("order_form_panel")
            .resizable(true)
            .default_size(400.0)
            .min_size(340.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("form_scroll")
                    .show(ui, |ui| {
                        if let Some(cmd) = self.form.ui(ui, ws) {
                            self.apply_form(ws, cmd);
                        }
                        ui.separator();
                        self.form.preview_ui(ui, ws);
                    });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            // The selected order's matches, licence, overrides and timeline, under the book.
            if let FormMode::Edit(i) = self.form.mode {
                egui::Panel::bottom("order_record_panel")
                    .resizable(true)
                    .default_size(300.0)
                    .size_range(160.0..=600.0)
                    .show(ui, |ui| self.record.ui(ui, ws, i));
            }
            if let Some(e) = &self.error {
                ui.colored_label(super::theme::ERROR, format!("Not changed: {e}"));
            }
            // Which decisions the chosen what-if changes, and why, above the book.
            self.book.what_if = super::what_if::active_or_banner(ui, ws, &mut self.what_if);
            if let Some(b) = &self.book.what_if {
                super::what_if::book_diff::book_header(ui, ws, b, &mut self.book.only_changed);
            }
            match self.book.ui(ui, ws) {
                Some(BookCommand::Select(i)) => self.form.edit(ws, i),
                Some(BookCommand::Delete(i)) => self.ask_void(ws, i),
                Some(BookCommand::Restore(k)) => {
                    if let Err(e) = ws.restore_order(k) {
                        self.error = Some(e);
                    }
                }
                None => {}
            }
        });
        let ctx = ui.ctx().clone();
        self.void_prompt(&ctx, ws);
        self.record.modals(&ctx, ws);
        Vec::new()
    }
}
