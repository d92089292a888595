//! Order entry and the order book (placeholder until the order views land).

use super::AppAction;
use crate::rules::CountryCode;
use crate::session::Workspace;

#[derive(Default)]
pub struct OrdersView {}

impl OrdersView {
    pub fn new(_ws: &Workspace) -> Self {
        Self {}
    }

    /// Opens the form for a new order to `country` (from the map).
    pub fn start_order_for(&mut self, _ws: &Workspace, _country: CountryCode) {}

    /// Selects an order of the book and shows its decision.
    pub fn open_order(&mut self, _ws: &Workspace, _index: usize) {}

    pub fn ui(&mut self, ui: &mut egui::Ui, _ws: &mut Workspace) -> Vec<AppAction> {
        ui.heading("Orders");
        Vec::new()
    }
}
