//! What-if scenarios: a named set of changes to the ruleset, for asking "what if Poland were
//! Tier 1?" next to the rule as written. A what-if is never a reading of the rule: the engine it
//! builds names itself as a what-if, and every view that shows one labels it so.

use super::countries::Tier;
use super::ruleset::sha256_hex;
use super::{CountryCode, Engine, Scenario};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The changes a what-if makes. Unset fields keep the ruleset's (or the session's) value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleChanges {
    /// A Tier 2 country's allocation for the modelled period, TPP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_allocation_tpp: Option<u64>,
    /// The multiplier for countries with a government-to-government arrangement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub g2g_multiplier: Option<u64>,
    /// LPP room per consignee per calendar year, TPP (0: no LPP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lpp_room_tpp_per_year: Option<u64>,
    /// The 4E091 threshold, training operations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_weights_threshold_ops: Option<f64>,
    /// Countries moved to another tier.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tiers: BTreeMap<CountryCode, Tier>,
    /// The countries with a government-to-government arrangement, replacing the session's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub g2g: Option<BTreeSet<CountryCode>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub changes: RuleChanges,
}

impl WhatIf {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            changes: RuleChanges::default(),
        }
    }

    /// The engine for this what-if: the base ruleset with the changes applied, named as a
    /// what-if. Fails with a message naming the change when a value makes no sense.
    pub fn engine(&self, base: &Engine) -> Result<Engine, String> {
        let mut loaded = base.loaded().clone();
        let rs = &mut loaded.ruleset;
        let c = &self.changes;
        if let Some(v) = c.country_allocation_tpp {
            rs.country_allocation_tpp.value = v;
        }
        if let Some(v) = c.g2g_multiplier {
            if v == 0 {
                return Err("g2g multiplier: must be positive".into());
            }
            rs.g2g_multiplier.value = v;
        }
        if let Some(v) = c.lpp_room_tpp_per_year {
            rs.lpp_room_tpp_per_year.value = v;
        }
        if let Some(v) = c.model_weights_threshold_ops {
            if !(v.is_finite() && v > 0.0) {
                return Err("4E091 threshold: must be a positive number of operations".into());
            }
            rs.model_weights_threshold_ops.value = v;
        }
        for (&country, &tier) in &c.tiers {
            move_country(rs, country, tier);
        }
        rs.name = format!("What-if “{}” on {}", self.name, rs.name);
        let identity = format!(
            "{}\n{}",
            base.loaded().sha256,
            serde_json::to_string(self).unwrap_or_default()
        );
        loaded.sha256 = sha256_hex(identity.as_bytes());
        loaded.source = format!("what-if “{}” on {}", self.name, base.loaded().source);
        Engine::with_ruleset(loaded).map_err(|e| e.to_string())
    }

    /// The scenario switches under this what-if (its g2g set replaces the session's).
    pub fn scenario(&self, base: &Scenario) -> Scenario {
        let mut s = base.clone();
        if let Some(g2g) = &self.changes.g2g {
            s.g2g = g2g.clone();
        }
        s
    }

    /// Countries whose tier the what-if changes, with (from, to), under `base`.
    pub fn tier_changes(&self, base: &Engine) -> Vec<(CountryCode, Tier, Tier)> {
        self.changes
            .tiers
            .iter()
            .filter_map(|(&c, &to)| {
                let from = base.countries().tier(c)?;
                (from != to).then_some((c, from, to))
            })
            .collect()
    }

    /// One line per change, for labels and slides: "Poland (PL): Tier 2 → Tier 1".
    pub fn describe(&self, base: &Engine) -> Vec<String> {
        let rs = base.ruleset();
        let c = &self.changes;
        let mut out: Vec<String> = self
            .tier_changes(base)
            .into_iter()
            .map(|(code, from, to)| {
                format!("{} ({code}): {from} → {to}", base.countries().name(code))
            })
            .collect();
        let fmt = crate::format::tpp;
        if let Some(v) = c.country_allocation_tpp {
            out.push(format!(
                "Country allocation: {} → {} TPP",
                fmt(rs.country_allocation_tpp.value),
                fmt(v)
            ));
        }
        if let Some(v) = c.g2g_multiplier {
            out.push(format!(
                "g2g multiplier: × {} → × {v}",
                rs.g2g_multiplier.value
            ));
        }
        if let Some(v) = c.lpp_room_tpp_per_year {
            out.push(if v == 0 {
                "No LPP (room 0)".to_string()
            } else {
                format!(
                    "LPP room: {} → {} TPP a year",
                    fmt(rs.lpp_room_tpp_per_year.value),
                    fmt(v)
                )
            });
        }
        if let Some(v) = c.model_weights_threshold_ops {
            out.push(format!(
                "4E091 threshold: {} → {} operations",
                crate::format::ops(rs.model_weights_threshold_ops.value),
                crate::format::ops(v)
            ));
        }
        if let Some(g2g) = &c.g2g {
            let list: Vec<&str> = g2g.iter().map(|c| c.as_str()).collect();
            // A long list (every Tier 2 country) would drown the label: name a few, count the rest.
            const NAMED: usize = 8;
            out.push(if list.is_empty() {
                "g2g arrangements: none".to_string()
            } else if list.len() > NAMED {
                format!(
                    "g2g arrangements for {} countries: {} … and {} more",
                    list.len(),
                    list[..NAMED].join(", "),
                    list.len() - NAMED
                )
            } else {
                format!("g2g arrangements: {}", list.join(", "))
            });
        }
        out
    }
}

/// Takes `country` out of every tier list and puts it in the one for `tier`. A country the
/// ruleset counts as another (Hong Kong as China) stops being counted so.
fn move_country(rs: &mut super::Ruleset, country: CountryCode, tier: Tier) {
    rs.tier1.value.retain(|c| *c != country);
    rs.d5.value.retain(|c| *c != country);
    rs.tier3_extra.value.retain(|c| *c != country);
    rs.counted_as.value.retain(|(t, _)| *t != country);
    match tier {
        Tier::One => rs.tier1.value.push(country),
        Tier::Two => {}
        Tier::Three => rs.tier3_extra.value.push(country),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cc;

    #[test]
    fn poland_in_tier1_and_no_lpp() {
        let base = Engine::embedded();
        let mut w = WhatIf::new("Poland in Tier 1");
        w.changes.tiers.insert(cc!("PL"), Tier::One);
        w.changes.lpp_room_tpp_per_year = Some(0);
        let e = w.engine(&base).unwrap();
        assert_eq!(e.countries().tier(cc!("PL")), Some(Tier::One));
        assert_eq!(base.countries().tier(cc!("PL")), Some(Tier::Two));
        assert_eq!(e.ruleset().lpp_room_tpp_per_year.value, 0);
        assert!(e.ruleset().name.starts_with("What-if"));
        assert_ne!(e.loaded().sha256, base.loaded().sha256);
        assert_eq!(
            w.tier_changes(&base),
            vec![(cc!("PL"), Tier::Two, Tier::One)]
        );
        let d = w.describe(&base);
        assert!(d[0].contains("Poland (PL): Tier 2 → Tier 1"), "{d:?}");
        assert!(d.iter().any(|l| l == "No LPP (room 0)"));
    }

    #[test]
    fn moving_china_moves_hong_kong_only_by_name() {
        let base = Engine::embedded();
        let mut w = WhatIf::new("China in Tier 2");
        w.changes.tiers.insert(cc!("CN"), Tier::Two);
        let e = w.engine(&base).unwrap();
        assert_eq!(e.countries().tier(cc!("CN")), Some(Tier::Two));
        assert_eq!(
            e.countries().tier(cc!("HK")),
            Some(Tier::Two),
            "counted as China"
        );
    }

    #[test]
    fn bad_values_are_refused() {
        let mut w = WhatIf::new("x");
        w.changes.model_weights_threshold_ops = Some(-1.0);
        assert!(w.engine(&Engine::embedded()).is_err());
    }
}
