//! The plot registry: every plot of the Plots view behind one trait, in one list. The view's
//! plot picker, saved sessions (`PlotId`), PNG export names, snapshot tests and the frame bench
//! iterate [`plot_registry`], so a new plot is one file plus one line here.

use super::{caps_plot, tiers_plot, timeline_plot};
use crate::fleets::{Catalogue, Measure};
use crate::session::{PlotSettings, Workspace};
use crate::ui::AppAction;
use std::any::Any;

/// What the Plots view shares with the plot it shows.
pub struct PlotCx<'a> {
    /// Caps and purchase figures, or why they could not be loaded.
    pub catalogue: Result<&'a Catalogue, &'a str>,
    /// The unit chosen in the view's controls.
    pub measure: Measure,
    /// The what-if shown beside the rule as written (`view.what_if`), evaluated.
    pub what_if: Option<&'a crate::session::what_if_eval::WhatIfBook>,
}

pub trait Plot: Any {
    /// The id saved in sessions, e.g. "caps".
    fn id(&self) -> &'static str;
    /// The name in the plot picker.
    fn label(&self) -> &'static str;
    /// The file name stem for PNG export, e.g. "caps-vs-purchases".
    fn export_stem(&self, settings: &PlotSettings) -> String;
    /// Whether the figure list sits beside this plot.
    fn uses_figure_list(&self) -> bool {
        false
    }
    /// Controls of its own, after the view's shared ones.
    fn controls(&mut self, _ui: &mut egui::Ui, _ws: &mut Workspace) {}
    fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, cx: &PlotCx) -> Vec<AppAction>;
    /// The ruleset or session changed: drop cached geometry.
    fn reset(&mut self) {}
    fn as_any(&self) -> &dyn Any;
}

/// Every plot, in picker order.
pub fn plot_registry() -> Vec<Box<dyn Plot>> {
    vec![
        Box::new(caps_plot::CapsPlot::default()),
        Box::new(timeline_plot::TimelinePlot::default()),
        Box::new(tiers_plot::TiersPlot),
    ]
}

/// The ids of every registered plot.
pub fn plot_ids() -> Vec<&'static str> {
    plot_registry().iter().map(|p| p.id()).collect()
}
