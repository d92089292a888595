//! The compliance officer's view: the order form with its live decision, and the order book.

use super::AppAction;
use super::order_book::{BookCommand, OrderBook};
use super::order_form::{FormCommand, FormMode, OrderForm};
use crate::rules::CountryCode;
use crate::session::Workspace;
use jiff::civil::Date;

pub struct OrdersView {
    pub form: OrderForm,
    pub book: OrderBook,
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
        match cmd {
            FormCommand::Add(order) => {
                ws.add_order(order);
                let index = ws.orders().len() - 1;
                self.book.select(index);
                self.form.reset(ws);
            }
            FormCommand::Save(i, order) => {
                ws.replace_order(i, order);
                self.form.edit(ws, i);
            }
            FormCommand::Duplicate(i) => {
                if let Some(j) = ws.duplicate_order(i) {
                    self.open_order(ws, j);
                }
            }
            FormCommand::Delete(i) => self.delete(ws, i),
        }
    }

    fn delete(&mut self, ws: &mut Workspace, i: usize) {
        ws.delete_order(i);
        self.book.selected = None;
        self.form.reset(ws);
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
        egui::CentralPanel::default().show(ui, |ui| match self.book.ui(ui, ws) {
            Some(BookCommand::Select(i)) => self.form.edit(ws, i),
            Some(BookCommand::Delete(i)) => self.delete(ws, i),
            None => {}
        });
        Vec::new()
    }
}
