//! Comparison plots: the rule's caps beside published purchases, a Tier 2 country's allocation
//! over time against the session's orders, and the session's orders by tier.
//!
//! Plot kind, unit, scale, selected figures and country live in `ws.session.view.plots`, so a
//! saved session reopens on the same plot. Changing them is a view change: it does not touch the
//! order book or its undo history.

mod axis;
mod caps_plot;
mod export;
mod picker;
mod registry;
mod tiers_plot;
mod timeline_plot;

use super::AppAction;
use super::what_if;
use crate::fleets::{Catalogue, Fleets, UnitFamily};
use crate::session::what_if_eval::WhatIfCache;
use crate::session::{PlotId, PlotScale, PlotSettings, PlotUnit, Workspace};
use egui::{Frame, Margin, RichText};
use std::path::PathBuf;

pub use export::export_file_name;
pub use registry::{Plot, PlotCx, plot_ids, plot_registry};

/// The view's id in the view registry.
pub const ID: &str = "plots";
/// Plot ids (the plot registry's; saved in sessions).
pub const CAPS_PLOT: &str = "caps";
pub const ALLOCATION_PLOT: &str = "allocation";
pub const TIERS_PLOT: &str = "tiers";

/// The command that renders this view headlessly, for slides and reports.
const SCREENSHOT_HINT: &str =
    "For a full-window image: diffusion-desk screenshot --view plots --out plots.png";

/// Below this width the figure list starts closed.
const PICKER_AUTO_WIDTH: f32 = 1100.0;

pub struct PlotsView {
    /// Caps from the ruleset plus figures from the data file, built once per ruleset.
    catalogue: Result<Catalogue, String>,
    catalogue_sha: String,
    /// The figure list beside the caps plot; `None` follows the window width.
    show_picker: Option<bool>,
    /// Whether the list shows this frame.
    picker_open: bool,
    /// Source-unit family chosen by the user (not saved; defaults to the most common one).
    source_family: Option<UnitFamily>,
    plots: Vec<Box<dyn Plot>>,
    exporter: export::Exporter,
    /// The what-if shown beside the rule as written, evaluated once per change.
    what_if: WhatIfCache,
}

impl super::view::View for PlotsView {
    fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction> {
        PlotsView::ui(self, ui, ws)
    }

    fn slide_ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        self.refresh(ws);
        let book = what_if::active_or_banner(ui, ws, &mut self.what_if);
        if let Some(b) = &book {
            what_if::banner(ui, b);
        }
        let current = self.current(&ws.session.view.plots);
        let cx = PlotCx {
            catalogue: self.catalogue.as_ref().map_err(String::as_str),
            measure: self.current_measure(ws),
            what_if: book.as_deref(),
        };
        self.plots[current].ui(ui, ws, &cx);
    }

    fn reset(&mut self, ws: &Workspace) {
        let dir = self.exporter.dir.clone();
        *self = Self::new(ws);
        self.exporter.dir = dir;
    }

    crate::view_any!();
}

impl PlotsView {
    pub fn new(ws: &Workspace) -> Self {
        Self {
            catalogue: build_catalogue(ws),
            catalogue_sha: ws.engine.loaded().sha256.clone(),
            show_picker: None,
            picker_open: false,
            source_family: None,
            plots: plot_registry(),
            exporter: export::Exporter::new(PathBuf::from(".")),
            what_if: WhatIfCache::default(),
        }
    }

    /// Where "Export PNG" writes (the current directory unless changed).
    pub fn set_export_dir(&mut self, dir: impl Into<PathBuf>) {
        self.exporter.dir = dir.into();
    }

    /// A registered plot by type (tests and tours read its last drawn geometry).
    pub fn plot<T: Plot>(&self) -> &T {
        self.plots
            .iter()
            .find_map(|p| p.as_any().downcast_ref::<T>())
            .expect("the plot is registered")
    }

    /// Screen centre of a bar of the caps-vs-purchases plot as last drawn (for tests and tours).
    pub fn bar_screen_pos(&self, id: &str) -> Option<egui::Pos2> {
        self.plot::<caps_plot::CapsPlot>().bar_screen_pos(id)
    }

    /// Screen position of a drawing order's point on the allocation plot as last drawn.
    pub fn draw_point_screen_pos(&self, order_id: &str) -> Option<egui::Pos2> {
        self.plot::<timeline_plot::TimelinePlot>()
            .point_screen_pos(order_id)
    }

    /// The figure (the plot without the controls above it) in the last frame, in points: what
    /// Export PNG and printed reports crop to.
    pub fn figure_rect(&self) -> Option<egui::Rect> {
        self.exporter.figure_rect()
    }

    /// The last export's outcome, as shown in the view.
    pub fn export_notice(&self) -> Option<&str> {
        self.exporter.notice()
    }

    fn current(&self, settings: &PlotSettings) -> usize {
        self.plots
            .iter()
            .position(|p| p.id() == settings.kind.as_str())
            .unwrap_or(0)
    }

    /// Rebuilds the catalogue (and drops the plots' geometry) when the ruleset changed.
    fn refresh(&mut self, ws: &Workspace) {
        if self.catalogue_sha != ws.engine.loaded().sha256 {
            self.catalogue = build_catalogue(ws);
            self.catalogue_sha = ws.engine.loaded().sha256.clone();
            for p in &mut self.plots {
                p.reset();
            }
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction> {
        self.refresh(ws);
        self.exporter.poll(ui);
        // Narrow windows give the chart the whole width until the user opens the list.
        self.picker_open = self
            .show_picker
            .unwrap_or_else(|| ui.available_width() >= PICKER_AUTO_WIDTH);
        let current = self.current(&ws.session.view.plots);
        egui::Panel::top("plots_controls")
            .frame(Frame::NONE.inner_margin(Margin::symmetric(0, 4)))
            .show_separator_line(false)
            .show(ui, |ui| self.controls(ui, ws, current));
        let measure = self.current_measure(ws);
        let book = what_if::active_or_banner(ui, ws, &mut self.what_if);
        if let Some(b) = &book {
            what_if::banner(ui, b);
            ui.add_space(2.0);
        }
        if self.plots[current].uses_figure_list()
            && self.picker_open
            && let Ok(cat) = &self.catalogue
        {
            egui::Panel::right("plots_figures")
                .resizable(true)
                .default_size(250.0)
                .size_range(180.0..=420.0)
                .show(ui, |ui| {
                    picker::ui(ui, cat, &mut ws.session.view.plots, measure)
                });
        }
        let cx = PlotCx {
            catalogue: self.catalogue.as_ref().map_err(String::as_str),
            measure,
            what_if: book.as_deref(),
        };
        let plot = &mut self.plots[current];
        let mut actions = Vec::new();
        let figure = Frame::NONE
            .inner_margin(Margin::symmetric(4, 2))
            .show(ui, |ui| actions = plot.ui(ui, ws, &cx));
        self.exporter.set_figure_rect(figure.response.rect);
        actions
    }

    fn current_measure(&self, ws: &Workspace) -> crate::fleets::Measure {
        use crate::fleets::Measure;
        let p = &ws.session.view.plots;
        match p.unit {
            PlotUnit::H100eByTpp => Measure::H100eByTpp,
            PlotUnit::Tpp => Measure::Tpp,
            PlotUnit::SourceUnits => Measure::Source(self.family(p)),
        }
    }

    fn family(&self, p: &PlotSettings) -> UnitFamily {
        match &self.catalogue {
            Ok(cat) => self.family_of(&cat.families(&p.selected_figures)),
            Err(_) => UnitFamily::H100,
        }
    }

    fn controls(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, current: usize) {
        ui.horizontal_wrapped(|ui| {
            let p = &mut ws.session.view.plots;
            let label = self.plots[current].label();
            labelled_combo(ui, "Plot", "plots_kind", label, |ui| {
                for plot in &self.plots {
                    ui.selectable_value(&mut p.kind, PlotId::new(plot.id()), plot.label());
                }
            });
            labelled_combo(ui, "Unit", "plots_unit", unit_label(p.unit), |ui| {
                for u in [PlotUnit::H100eByTpp, PlotUnit::Tpp, PlotUnit::SourceUnits] {
                    ui.selectable_value(&mut p.unit, u, unit_label(u));
                }
            });
            if self.plots[current].uses_figure_list()
                && p.unit == PlotUnit::SourceUnits
                && let Ok(cat) = &self.catalogue
            {
                let fams = cat.families(&p.selected_figures);
                let current = self.family_of(&fams);
                let mut chosen = current;
                labelled_combo(ui, "Source unit", "plots_family", current.label(), |ui| {
                    for f in &fams {
                        ui.selectable_value(&mut chosen, *f, f.label());
                    }
                });
                if chosen != current {
                    self.source_family = Some(chosen);
                }
            }
            labelled_combo(ui, "Scale", "plots_scale", scale_label(p.scale), |ui| {
                for s in [PlotScale::Linear, PlotScale::Log] {
                    ui.selectable_value(&mut p.scale, s, scale_label(s));
                }
            });
            let current = self.current(&ws.session.view.plots);
            self.plots[current].controls(ui, ws);
            ui.separator();
            if self.plots[current].uses_figure_list()
                && ui
                    .toggle_value(&mut self.picker_open, "Figure list")
                    .on_hover_text("Choose which caps and purchase figures the plot shows")
                    .changed()
            {
                self.show_picker = Some(self.picker_open);
            }
            let name = export::file_name(self.plots[current].as_ref(), &ws.session.view.plots);
            if ui
                .button("Export PNG")
                .on_hover_text(format!(
                    "Saves this figure as {name} in {}.\n{SCREENSHOT_HINT}",
                    self.exporter.dir_display()
                ))
                .clicked()
            {
                self.exporter.request(ui, name);
            }
            if let Some(n) = self.exporter.notice() {
                ui.label(RichText::new(n).small());
            }
        });
    }

    fn family_of(&self, fams: &[UnitFamily]) -> UnitFamily {
        match self.source_family {
            Some(f) if fams.contains(&f) => f,
            _ => fams.first().copied().unwrap_or(UnitFamily::H100),
        }
    }
}

fn build_catalogue(ws: &Workspace) -> Result<Catalogue, String> {
    let fleets = Fleets::embedded().map_err(|e| e.to_string())?;
    Catalogue::new(ws.engine.ruleset(), fleets)
}

/// A combo box with its name on the left, tied to it for screen readers and tests.
pub(crate) fn labelled_combo(
    ui: &mut egui::Ui,
    label: &str,
    id: &str,
    selected: &str,
    add: impl FnOnce(&mut egui::Ui),
) {
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(selected)
        .show_ui(ui, add)
        .response
        .labelled_by(l.id);
}

fn unit_label(u: PlotUnit) -> &'static str {
    match u {
        PlotUnit::H100eByTpp => "H100e by TPP",
        PlotUnit::Tpp => "TPP",
        PlotUnit::SourceUnits => "Source units",
    }
}

fn scale_label(s: PlotScale) -> &'static str {
    match s {
        PlotScale::Linear => "Linear",
        PlotScale::Log => "Log",
    }
}

/// " (log scale)" for axis labels.
fn scale_suffix(s: PlotScale) -> &'static str {
    match s {
        PlotScale::Linear => "",
        PlotScale::Log => " (log scale)",
    }
}
