//! The world tier map (placeholder until the map lands).

use super::AppAction;
use crate::session::Workspace;

#[derive(Default)]
pub struct MapView {}

impl MapView {
    pub fn new(_ws: &Workspace) -> Self {
        Self {}
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, _ws: &mut Workspace) -> Vec<AppAction> {
        ui.heading("Map");
        Vec::new()
    }
}
