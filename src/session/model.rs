//! The session: everything a user made, saved to and loaded from a RON file.
//! Decisions are not stored: they are re-derived from (ruleset, scenario, orders, licences,
//! screening decisions, overrides) on load. The history is stored, and verified on load.

use super::audit::AuditEvent;
use crate::fleets::training::CalculatorSettings;
use crate::rules::{CountryCode, DecisionOverride, Licence, Order, Scenario, VeuStatus, WhatIf};
use serde::{Deserialize, Serialize};

/// The session file format this build writes.
pub const FORMAT_VERSION: u32 = 2;

/// The format version a session was read in. It says how the session was read, not what it
/// holds, so two sessions with the same content compare equal whatever versions they came from.
#[derive(Debug, Clone, Copy, Eq, Serialize, Deserialize)]
pub struct ReadVersion(pub u32);

impl Default for ReadVersion {
    fn default() -> Self {
        Self(FORMAT_VERSION)
    }
}

impl PartialEq for ReadVersion {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A registered view's id, as saved ("map", "orders", "plots", …). The list of views lives in the
/// UI's view registry, not here, so a new view needs no change to the file format.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ViewId(pub String);

impl ViewId {
    pub fn new(id: &str) -> Self {
        Self(id.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for ViewId {
    fn default() -> Self {
        Self::new("map")
    }
}

impl std::fmt::Display for ViewId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
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

/// A registered plot's id ("caps", "allocation", "tiers", …), from the UI's plot registry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PlotId(pub String);

impl PlotId {
    pub fn new(id: &str) -> Self {
        Self(id.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for PlotId {
    fn default() -> Self {
        Self::new("caps")
    }
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
    pub kind: PlotId,
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
            kind: PlotId::default(),
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
    pub view: ViewId,
    pub map: MapViewState,
    pub plots: PlotSettings,
    /// The what-if shown beside the rule as written, by name; `None` shows the rule only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub what_if: Option<String>,
    /// "What a cap buys": the fleet, compute and utilisation last used.
    #[serde(skip_serializing_if = "is_default")]
    pub calculator: CalculatorSettings,
}

/// A party the user works with often: filled into the order form by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    pub hq: CountryCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_hq: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "VeuStatus::is_none")]
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

/// An order taken out of the book. Nothing is erased: voided orders stay in the file, with who
/// voided them, when and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoidedOrder {
    pub order: Order,
    /// RFC 3339.
    pub at: String,
    pub by: String,
    pub reason: String,
}

/// What a person decided about a possible restricted-party match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Resolution {
    Cleared,
    Confirmed,
}

impl Resolution {
    pub fn label(self) -> &'static str {
        match self {
            Resolution::Cleared => "cleared",
            Resolution::Confirmed => "confirmed",
        }
    }
}

/// A person's decision on one party against one list entry. It applies to every order that
/// names the party, until reopened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreeningDecision {
    /// The party's name as screened.
    pub party: String,
    /// The list's short name ("EL", "SDN", …).
    pub list: String,
    /// The entry: its entity number when it has one, else its name.
    pub entry: String,
    pub entry_name: String,
    pub resolution: Resolution,
    pub reason: String,
    pub by: String,
    /// RFC 3339.
    pub at: String,
    /// The order that prompted the decision.
    pub order_id: String,
    /// The list vintage the match was made against.
    pub list_vintage: String,
}

/// The session's screening settings and the decisions people made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScreeningRecord {
    /// Matches scoring below this are noise; at or above it they are possible matches.
    pub threshold: f64,
    pub decisions: Vec<ScreeningDecision>,
}

/// The default match threshold (the screening module measures recall and false positives at it).
pub const DEFAULT_SCREENING_THRESHOLD: f64 = crate::screening::DEFAULT_THRESHOLD;

impl Default for ScreeningRecord {
    fn default() -> Self {
        Self {
            threshold: DEFAULT_SCREENING_THRESHOLD,
            decisions: Vec::new(),
        }
    }
}

impl ScreeningRecord {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// A slide: a saved view with a title and a caption (and notes for the speaker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slide {
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    pub view: SlideView,
}

/// What a slide shows. What-ifs are named; the slide always labels them as what-ifs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SlideView {
    Map {
        map: MapViewState,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        what_if: Option<String>,
    },
    Plot {
        plots: PlotSettings,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        what_if: Option<String>,
    },
    Order {
        order_id: String,
    },
    /// The order book under a what-if beside the rule as written.
    Comparison {
        what_if: String,
    },
    /// "What a cap buys" with its settings.
    Calculator {
        #[serde(default)]
        settings: CalculatorSettings,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Deck {
    pub slides: Vec<Slide>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Always [`FORMAT_VERSION`] once loaded: files are upgraded as they are read.
    pub format_version: u32,
    /// The version the file had when it was read (the workspace records an upgrade as the first
    /// event of the history).
    #[serde(skip)]
    pub loaded_from_version: ReadVersion,
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voided: Vec<VoidedOrder>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licences: Vec<Licence>,
    #[serde(default, skip_serializing_if = "ScreeningRecord::is_default")]
    pub screening: ScreeningRecord,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<DecisionOverride>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub what_ifs: Vec<WhatIf>,
    #[serde(default, skip_serializing_if = "Deck::is_empty")]
    pub deck: Deck,
    #[serde(default, skip_serializing_if = "is_default")]
    pub view: ViewState,
    /// The audit trail: every change, hash-chained. Last in the file because it is the longest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<AuditEvent>,
}

/// For `skip_serializing_if`: a field at its default is not written.
fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

impl Session {
    pub fn new(title: &str, ruleset: RulesetRef) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            loaded_from_version: ReadVersion(FORMAT_VERSION),
            title: title.to_string(),
            notes: String::new(),
            ruleset,
            scenario: Scenario::default(),
            parties: Vec::new(),
            orders: Vec::new(),
            voided: Vec::new(),
            licences: Vec::new(),
            screening: ScreeningRecord::default(),
            overrides: Vec::new(),
            what_ifs: Vec::new(),
            deck: Deck::default(),
            view: ViewState::default(),
            history: Vec::new(),
        }
    }

    pub fn what_if(&self, name: &str) -> Option<&WhatIf> {
        self.what_ifs.iter().find(|w| w.name == name)
    }

    /// Whether an id is taken by an order in the book or a voided one.
    pub fn id_taken(&self, id: &str) -> bool {
        self.orders.iter().any(|o| o.id == id) || self.voided.iter().any(|v| v.order.id == id)
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
