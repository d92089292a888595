//! Scenario switches that sit outside the ruleset: what-if facts about countries and entities.

use super::CountryCode;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    /// Countries with a government-to-government arrangement (doubled allocation).
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub g2g: BTreeSet<CountryCode>,
    /// Known installed base (TPP by country) of UVEU entities, for the distribution limits.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub installed_base: BTreeMap<String, BTreeMap<CountryCode, u64>>,
}
