//! Reading sessions saved in format version 1 (before the audit trail, licences, screening and
//! decks). Only the view state changed shape: views and plots were fixed enums and are now ids
//! from the UI's registries. Everything else reads as version 2 with empty new sections.

use super::model::{
    MapViewState, Party, PlotId, PlotScale, PlotSettings, PlotUnit, ReadVersion, RulesetRef,
    Session, ViewId, ViewState,
};
use crate::rules::{CountryCode, Order, Scenario};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, Default, Deserialize)]
enum ViewV1 {
    #[default]
    Map,
    Orders,
    Plots,
}

#[derive(Debug, Clone, Copy, Default, Deserialize)]
enum PlotKindV1 {
    #[default]
    CapsVsPurchases,
    AllocationOverTime,
    TierSummary,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct PlotSettingsV1 {
    kind: PlotKindV1,
    unit: PlotUnit,
    scale: PlotScale,
    selected_figures: Vec<String>,
    country: Option<CountryCode>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ViewStateV1 {
    view: ViewV1,
    map: MapViewState,
    plots: PlotSettingsV1,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct SessionV1 {
    format_version: u32,
    #[serde(default)]
    title: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    ruleset: RulesetRef,
    #[serde(default)]
    scenario: Scenario,
    #[serde(default)]
    parties: Vec<Party>,
    #[serde(default)]
    orders: Vec<Order>,
    #[serde(default)]
    view: ViewStateV1,
}

impl SessionV1 {
    /// The same session in the current model; `loaded_from_version` keeps the old version so the
    /// workspace records the upgrade ("imported from version 1") as the first event of its history.
    pub(super) fn upgrade(self) -> Session {
        let view = ViewId::new(match self.view.view {
            ViewV1::Map => "map",
            ViewV1::Orders => "orders",
            ViewV1::Plots => "plots",
        });
        let p = self.view.plots;
        let kind = PlotId::new(match p.kind {
            PlotKindV1::CapsVsPurchases => "caps",
            PlotKindV1::AllocationOverTime => "allocation",
            PlotKindV1::TierSummary => "tiers",
        });
        let mut s = Session::new(&self.title, self.ruleset);
        s.loaded_from_version = ReadVersion(self.format_version);
        s.notes = self.notes;
        s.scenario = self.scenario;
        s.parties = self.parties;
        s.orders = self.orders;
        s.view = ViewState {
            view,
            map: self.view.map,
            plots: PlotSettings {
                kind,
                unit: p.unit,
                scale: p.scale,
                selected_figures: p.selected_figures,
                country: p.country,
            },
            what_if: None,
            calculator: Default::default(),
        };
        s
    }
}
