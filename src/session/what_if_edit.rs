//! The edits the scenario editor and the map's what-if mode make to a what-if, as pure
//! functions: cycling a country's tier, reading typed amounts, naming new what-ifs, and keeping
//! the view and the deck pointing at a renamed what-if. Recording them is
//! `Workspace::save_what_if` (audited). Pure domain, no egui.

use super::model::{Session, SlideView};
use crate::rules::{CountryCode, Engine, Tier, WhatIf};

/// The tier after `tier` when a country is clicked in what-if mode: 1 → 2 → 3 → 1.
pub fn next_tier(tier: Tier) -> Tier {
    match tier {
        Tier::One => Tier::Two,
        Tier::Two => Tier::Three,
        Tier::Three => Tier::One,
    }
}

/// The country's tier under the what-if (its change, else the rule's).
pub fn tier_under(w: &WhatIf, base: &Engine, country: CountryCode) -> Option<Tier> {
    w.changes
        .tiers
        .get(&country)
        .copied()
        .or_else(|| base.countries().tier(country))
}

/// `w` with `country` in `tier`; a country put back in its tier as written is no change at all.
pub fn with_tier(w: &WhatIf, base: &Engine, country: CountryCode, tier: Tier) -> WhatIf {
    let mut out = w.clone();
    if base.countries().tier(country) == Some(tier) {
        out.changes.tiers.remove(&country);
    } else {
        out.changes.tiers.insert(country, tier);
    }
    out
}

/// `w` with `country` moved to the next tier (a click on the map in what-if mode), and that tier.
pub fn cycle_tier(
    w: &WhatIf,
    base: &Engine,
    country: CountryCode,
) -> Result<(WhatIf, Tier), String> {
    let Some(current) = tier_under(w, base, country) else {
        return Err(format!(
            "{} ({country}) has no tier in the ruleset",
            base.countries().name(country)
        ));
    };
    let tier = next_tier(current);
    Ok((with_tier(w, base, country, tier), tier))
}

/// A TPP amount as typed: "790000000", "790,000,000", "790M", "1.58B", "26.9 M", "7.9e8".
/// Empty means "as written" (`None`).
pub fn parse_tpp(text: &str) -> Result<Option<u64>, String> {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '_')
        .collect();
    let t = t.trim_end_matches("TPP").trim_end_matches("tpp");
    if t.is_empty() {
        return Ok(None);
    }
    let (number, factor) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1e3),
        Some((i, 'M')) => (&t[..i], 1e6),
        Some((i, 'B' | 'G')) => (&t[..i], 1e9),
        Some((i, 'T')) => (&t[..i], 1e12),
        _ => (t, 1.0),
    };
    let v: f64 = number.parse().map_err(|_| {
        format!(
            "`{}` is not an amount of TPP (e.g. 790M or 790,000,000)",
            text.trim()
        )
    })?;
    let v = v * factor;
    if !(v.is_finite() && v >= 0.0) {
        return Err("an amount of TPP cannot be negative".into());
    }
    if v > u64::MAX as f64 / 2.0 {
        return Err("that amount of TPP is too large".into());
    }
    if (v - v.round()).abs() > 1e-6 * v.max(1.0) {
        return Err("TPP is a whole number".into());
    }
    Ok(Some(v.round() as u64))
}

/// A whole multiplier as typed ("2", "×3"); empty means "as written".
pub fn parse_multiplier(text: &str) -> Result<Option<u64>, String> {
    let t = text.trim().trim_start_matches(['×', 'x', 'X']).trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<u64>() {
        Ok(0) => Err("the multiplier must be at least 1".into()),
        Ok(v) => Ok(Some(v)),
        Err(_) => Err(format!("`{}` is not a whole number", text.trim())),
    }
}

/// An operation count as typed ("1e26", "3×10^25"); empty means "as written".
pub fn parse_ops(text: &str) -> Result<Option<f64>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    crate::fleets::training::parse_ops(text)
        .map(Some)
        .map_err(|_| {
            format!(
                "`{}` is not a positive number of operations (e.g. 1e26)",
                text.trim()
            )
        })
}

/// `stem`, or `stem 2`, `stem 3`… — the first name no what-if of the session has.
pub fn unique_name(session: &Session, stem: &str) -> String {
    if session.what_if(stem).is_none() {
        return stem.to_string();
    }
    (2..)
        .map(|n| format!("{stem} {n}"))
        .find(|n| session.what_if(n).is_none())
        .expect("some number is free")
}

/// After a what-if was renamed from `old` to `new`: the view and the slides that showed it
/// follow it. Returns whether anything changed (the session is then dirty).
pub fn follow_rename(session: &mut Session, old: &str, new: &str) -> bool {
    let mut changed = false;
    if session.view.what_if.as_deref() == Some(old) {
        session.view.what_if = Some(new.to_string());
        changed = true;
    }
    for s in &mut session.deck.slides {
        let slot = match &mut s.view {
            SlideView::Map { what_if, .. } | SlideView::Plot { what_if, .. } => what_if.as_mut(),
            SlideView::Comparison { what_if } => Some(what_if),
            _ => None,
        };
        if let Some(w) = slot
            && w == old
        {
            *w = new.to_string();
            changed = true;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cc;
    use crate::session::model::Slide;

    #[test]
    fn clicking_cycles_through_the_tiers_and_back_to_no_change() {
        let e = Engine::embedded();
        let w = WhatIf::new("x");
        let (w, t) = cycle_tier(&w, &e, cc!("PL")).unwrap();
        assert_eq!(t, Tier::Three);
        let (w, t) = cycle_tier(&w, &e, cc!("PL")).unwrap();
        assert_eq!(t, Tier::One);
        assert_eq!(w.changes.tiers.get(&cc!("PL")), Some(&Tier::One));
        let (w, t) = cycle_tier(&w, &e, cc!("PL")).unwrap();
        assert_eq!(t, Tier::Two);
        assert!(w.changes.tiers.is_empty(), "back to the rule: no change");
        assert!(cycle_tier(&w, &e, cc!("ZZ")).is_err());
    }

    #[test]
    fn what_if_edits_are_audited_and_undone_like_other_edits() {
        use crate::session::Workspace;
        use crate::session::what_if_presets::{POLAND_TIER1, poland_in_tier1};
        let mut ws = Workspace::empty(std::sync::Arc::new(Engine::embedded()));
        let w = poland_in_tier1();
        ws.save_what_if(None, w.clone()).unwrap();
        let (clicked, _) = cycle_tier(&w, &ws.engine, cc!("FR")).unwrap();
        ws.save_what_if(Some(POLAND_TIER1), clicked.clone())
            .unwrap();
        assert!(ws.undo());
        assert_eq!(ws.session.what_if(POLAND_TIER1), Some(&w));
        assert!(ws.redo());
        assert_eq!(ws.session.what_if(POLAND_TIER1), Some(&clicked));
        ws.remove_what_if(POLAND_TIER1).unwrap();
        assert!(ws.undo(), "a removed what-if comes back");
        assert_eq!(ws.session.what_if(POLAND_TIER1), Some(&clicked));
        assert!(ws.undo() && ws.undo(), "back to before it was made");
        assert!(ws.session.what_ifs.is_empty());
        assert!(ws.history_status().is_verified());
        assert_eq!(ws.session.history.len(), 9, "every step is an event");
    }

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(parse_tpp(""), Ok(None));
        assert_eq!(parse_tpp("790,000,000"), Ok(Some(790_000_000)));
        assert_eq!(parse_tpp("790M"), Ok(Some(790_000_000)));
        assert_eq!(parse_tpp("26.9 M TPP"), Ok(Some(26_900_000)));
        assert_eq!(parse_tpp("1.58B"), Ok(Some(1_580_000_000)));
        assert_eq!(parse_tpp("7.9e8"), Ok(Some(790_000_000)));
        assert_eq!(parse_tpp("0"), Ok(Some(0)));
        assert!(parse_tpp("-5").is_err());
        assert!(parse_tpp("lots").is_err());
        assert!(parse_tpp("0.5").is_err());
        assert_eq!(parse_multiplier("×3"), Ok(Some(3)));
        assert!(parse_multiplier("0").is_err());
        assert_eq!(parse_ops("3e25"), Ok(Some(3e25)));
        assert!(parse_ops("-1").is_err());
    }

    #[test]
    fn names_are_unique_and_renames_are_followed() {
        let mut s = Session::new("t", Default::default());
        assert_eq!(unique_name(&s, "What-if"), "What-if");
        s.what_ifs.push(WhatIf::new("What-if"));
        s.what_ifs.push(WhatIf::new("What-if 2"));
        assert_eq!(unique_name(&s, "What-if"), "What-if 3");

        s.view.what_if = Some("What-if".into());
        s.deck.add(Slide::new(
            "c",
            SlideView::Comparison {
                what_if: "What-if".into(),
            },
        ));
        s.deck.add(Slide::new(
            "m",
            SlideView::Map {
                map: Default::default(),
                what_if: None,
            },
        ));
        assert!(follow_rename(&mut s, "What-if", "Poland"));
        assert_eq!(s.view.what_if.as_deref(), Some("Poland"));
        assert_eq!(s.deck.slides[0].view.what_if(), Some("Poland"));
        assert_eq!(s.deck.slides[1].view.what_if(), None);
        assert!(!follow_rename(&mut s, "What-if", "Other"));
    }
}
