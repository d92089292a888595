//! The what-ifs a presenter reaches for first: "Poland in Tier 1", "g2g for every Tier 2
//! country" and "No LPP". The demo session ships them and the scenario editor offers them as
//! starting points. Pure domain, no egui.

use crate::cc;
use crate::rules::{CountryCode, Engine, Tier, WhatIf};
use std::collections::BTreeSet;

pub const POLAND_TIER1: &str = "Poland in Tier 1";
pub const G2G_ALL_TIER2: &str = "g2g for every Tier 2 country";
pub const NO_LPP: &str = "No LPP";

/// Every Tier 2 country of the engine's country table (those with an allocation to multiply).
pub fn tier2_countries(engine: &Engine) -> BTreeSet<CountryCode> {
    engine
        .countries()
        .all()
        .iter()
        .map(|c| c.alpha2)
        .filter(|&c| engine.countries().tier(c) == Some(Tier::Two))
        .collect()
}

pub fn poland_in_tier1() -> WhatIf {
    let mut w = WhatIf::new(POLAND_TIER1);
    w.description = "Poland, an EU and NATO member left in Tier 2 by the rule, moved to Tier 1 \
                     with the 18 close allies: no national cap, and Polish companies can use AIA."
        .into();
    w.changes.tiers.insert(cc!("PL"), Tier::One);
    w
}

/// A government-to-government arrangement for every Tier 2 country (generated from the country
/// table, so it follows the ruleset): every allocation multiplied.
pub fn g2g_for_every_tier2(engine: &Engine) -> WhatIf {
    let mut w = WhatIf::new(G2G_ALL_TIER2);
    w.description = "Every Tier 2 country signs a government-to-government arrangement, so \
                     every national allocation is multiplied by the g2g multiplier."
        .into();
    w.changes.g2g = Some(tier2_countries(engine));
    w
}

pub fn no_lpp() -> WhatIf {
    let mut w = WhatIf::new(NO_LPP);
    w.description = "License Exception LPP withdrawn (room 0): every order that used it needs a \
                     licence and draws its country's allocation."
        .into();
    w.changes.lpp_room_tpp_per_year = Some(0);
    w
}

/// The three presets, in the order the editor lists them.
pub fn presets(engine: &Engine) -> Vec<WhatIf> {
    vec![poland_in_tier1(), g2g_for_every_tier2(engine), no_lpp()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_build_engines_and_say_what_they_change() {
        let e = Engine::embedded();
        let ps = presets(&e);
        assert_eq!(
            ps.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(),
            [POLAND_TIER1, G2G_ALL_TIER2, NO_LPP]
        );
        for w in &ps {
            w.engine(&e).unwrap();
            assert!(!w.describe(&e).is_empty(), "{}", w.name);
        }
        let g2g = ps[1].changes.g2g.as_ref().unwrap();
        assert!(g2g.contains(&cc!("IN")) && g2g.contains(&cc!("PL")));
        assert!(!g2g.contains(&cc!("FR")) && !g2g.contains(&cc!("CN")));
        assert!(g2g.len() > 100, "{} Tier 2 countries", g2g.len());
        assert!(
            g2g.iter()
                .all(|&c| e.countries().tier(c) == Some(Tier::Two))
        );
    }
}
