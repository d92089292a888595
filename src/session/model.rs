//! The session: everything a user made, saved to and loaded from a RON file.
//! Decisions are not stored: they are re-derived from (ruleset, scenario, orders) on load.

use crate::rules::{CountryCode, Order, Scenario, VeuStatus};
use serde::{Deserialize, Serialize};

/// The session file format this build writes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum View {
    #[default]
    Map,
    Orders,
    Plots,
}

impl View {
    pub const ALL: [View; 3] = [View::Map, View::Orders, View::Plots];

    pub fn label(self) -> &'static str {
        match self {
            View::Map => "Map",
            View::Orders => "Orders",
            View::Plots => "Plots",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "map" => Some(View::Map),
            "orders" => Some(View::Orders),
            "plots" => Some(View::Plots),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum MapOverlay {
    /// Countries coloured by tier.
    #[default]
    Tier,
    /// Tier 2 countries coloured by the share of their allocation the session's orders draw.
    AllocationUse,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapViewState {
    /// 1.0 shows the whole world; larger zooms in.
    pub zoom: f32,
    /// Map centre in projected units (Equal Earth x, y), so a saved view reopens where it was.
    pub center: [f32; 2],
    pub overlay: MapOverlay,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected: Option<CountryCode>,
}

impl Default for MapViewState {
    fn default() -> Self {
        Self {
            zoom: 1.0,
            center: [0.0, 0.0],
            overlay: MapOverlay::Tier,
            selected: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum PlotKind {
    #[default]
    CapsVsPurchases,
    AllocationOverTime,
    TierSummary,
}

/// The unit a comparison plot is drawn in. Mixing units is refused, never silently converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum PlotUnit {
    /// H100-equivalents by TPP (TPP ÷ the ruleset's H100 TPP).
    #[default]
    H100eByTpp,
    /// Total Processing Performance.
    Tpp,
    /// Units as the source counted them (only figures counted in the same kind of unit).
    SourceUnits,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum PlotScale {
    #[default]
    Linear,
    Log,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlotSettings {
    pub kind: PlotKind,
    pub unit: PlotUnit,
    pub scale: PlotScale,
    /// Ids of the purchase figures shown in the comparison (empty = the demo preset).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub selected_figures: Vec<String>,
    /// Country of the allocation-over-time plot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
}

impl Default for PlotSettings {
    fn default() -> Self {
        Self {
            kind: PlotKind::CapsVsPurchases,
            unit: PlotUnit::H100eByTpp,
            scale: PlotScale::Linear,
            selected_figures: Vec::new(),
            country: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    pub view: View,
    pub map: MapViewState,
    pub plots: PlotSettings,
}

/// A party the user works with often: filled into the order form by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    pub hq: CountryCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_hq: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub veu: VeuStatus,
}

/// Which ruleset a session was made with, to warn when the current one differs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RulesetRef {
    pub name: String,
    pub version: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub format_version: u32,
    // Fields at their defaults are left out of saved files and read back as the defaults.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub ruleset: RulesetRef,
    #[serde(default, skip_serializing_if = "is_default")]
    pub scenario: Scenario,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    #[serde(default)]
    pub orders: Vec<Order>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub view: ViewState,
}

/// For `skip_serializing_if`: a field at its default is not written.
fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

impl Session {
    pub fn new(title: &str, ruleset: RulesetRef) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            title: title.to_string(),
            notes: String::new(),
            ruleset,
            scenario: Scenario::default(),
            parties: Vec::new(),
            orders: Vec::new(),
            view: ViewState::default(),
        }
    }
}

impl RulesetRef {
    pub fn of(loaded: &crate::rules::LoadedRuleset) -> Self {
        Self {
            name: loaded.ruleset.name.clone(),
            version: loaded.ruleset.version.clone(),
            sha256: loaded.sha256.clone(),
        }
    }
}
