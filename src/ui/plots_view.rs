//! Comparison plots (placeholder until the plots land).

use super::AppAction;
use crate::session::Workspace;

#[derive(Default)]
pub struct PlotsView {}

impl PlotsView {
    pub fn new(_ws: &Workspace) -> Self {
        Self {}
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, _ws: &mut Workspace) -> Vec<AppAction> {
        ui.heading("Plots");
        Vec::new()
    }
}
