//! The row above the map: find a country, choose the colouring, reset the view.

use crate::rules::{CountryCode, Engine};
use crate::session::MapOverlay;
use egui::{Key, PopupCloseBehavior, RichText, Ui};

/// How many search results the drop-down lists.
const MAX_RESULTS: usize = 8;

/// What the user asked for in the toolbar this frame.
#[derive(Debug, Default, PartialEq)]
pub struct ToolbarOutput {
    pub picked: Option<CountryCode>,
    pub reset_view: bool,
    /// Zoom about the map's centre by this factor.
    pub zoom_by: Option<f32>,
}

#[derive(Default)]
pub struct Toolbar {
    pub query: String,
    results_open: bool,
}

impl Toolbar {
    pub fn ui(&mut self, ui: &mut Ui, engine: &Engine, overlay: &mut MapOverlay) -> ToolbarOutput {
        let mut out = ToolbarOutput::default();
        ui.horizontal(|ui| {
            let label = ui.label("Find country");
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("name or ISO code")
                        .desired_width(180.0),
                )
                .labelled_by(label.id);
            if edit.changed() {
                self.results_open = !self.query.trim().is_empty();
            }
            let results = engine.countries().search(&self.query);
            if edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                out.picked = results.first().map(|c| c.alpha2);
                self.results_open = false;
            }
            if ui.input(|i| i.key_pressed(Key::Escape)) {
                self.results_open = false;
            }
            if self.results_open && !self.query.trim().is_empty() {
                egui::Popup::from_response(&edit)
                    .open_bool(&mut self.results_open)
                    .close_behavior(PopupCloseBehavior::CloseOnClickOutside)
                    .width(edit.rect.width().max(240.0))
                    .show(|ui| {
                        if results.is_empty() {
                            ui.label(RichText::new("No country matches").weak());
                        }
                        for c in results.iter().take(MAX_RESULTS) {
                            let text = format!("{} ({} · {})", c.name, c.alpha2, c.alpha3);
                            if ui.selectable_label(false, text).clicked() {
                                out.picked = Some(c.alpha2);
                            }
                        }
                        if results.len() > MAX_RESULTS {
                            ui.label(
                                RichText::new(format!("… {} more", results.len() - MAX_RESULTS))
                                    .weak(),
                            );
                        }
                    });
            }
            if out.picked.is_some() {
                self.results_open = false;
                self.query.clear();
            }
            ui.separator();
            ui.label("Colour by");
            ui.selectable_value(overlay, MapOverlay::Tier, "Tier");
            ui.selectable_value(overlay, MapOverlay::AllocationUse, "Allocation use");
            ui.separator();
            if ui.button("−").on_hover_text("Zoom out").clicked() {
                out.zoom_by = Some(0.5);
            }
            if ui.button("+").on_hover_text("Zoom in").clicked() {
                out.zoom_by = Some(2.0);
            }
            if ui
                .button("Reset view")
                .on_hover_text("Show the whole world (or double-click the map)")
                .clicked()
            {
                out.reset_view = true;
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(
                    RichText::new("Drag to pan · scroll to zoom · double-click to reset")
                        .small()
                        .weak(),
                );
            });
        });
        out
    }
}
