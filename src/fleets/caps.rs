//! The rule's caps as plot entries, read from the ruleset with each parameter's provenance.

use crate::format;
use crate::rules::{Confidence, Param, Provenance, Ruleset};
use jiff::civil::Date;

/// Figure ids starting with this are the ruleset's caps.
pub const CAP_ID_PREFIX: &str = "cap-";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapKind {
    /// A Tier 2 country's 2025–2027 allocation.
    CountryAllocation,
    /// The same with a government-to-government arrangement.
    CountryAllocationG2g,
    /// LPP room per consignee per calendar year.
    LppRoom,
    /// One step of the NVEU phase-in (cumulative until the date).
    NveuStep(Date),
}

/// A cap as the plots show it: TPP from the ruleset, with where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Cap {
    pub id: String,
    /// Short label for plot axes.
    pub label: String,
    /// What the cap limits, in words.
    pub what: String,
    pub kind: CapKind,
    pub tpp: u64,
    /// Ruleset parameter(s) it is read from, e.g. `country_allocation_tpp × g2g_multiplier`.
    pub parameter: String,
    pub derivation: String,
    /// Citation, source and confidence; for a product of parameters, the weaker confidence.
    pub provenance: Provenance,
}

fn weaker(a: Confidence, b: Confidence) -> Confidence {
    // Confidence is ordered from Primary (strongest) to Unconfirmed.
    a.max(b)
}

fn join<T, U>(a: &Param<T>, b: &Param<U>) -> Provenance {
    let note = [a.note.as_str(), b.note.as_str()]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Provenance {
        cite: if a.cite == b.cite {
            a.cite.clone()
        } else {
            format!("{}; {}", a.cite, b.cite)
        },
        source: format!("{}; {}", a.source, b.source),
        confidence: weaker(a.confidence, b.confidence),
        note,
    }
}

/// The caps the comparison plot can show, in a stable order.
pub fn caps_from_ruleset(rs: &Ruleset) -> Result<Vec<Cap>, String> {
    let alloc = &rs.country_allocation_tpp;
    let g2g = &rs.g2g_multiplier;
    let doubled = alloc.value.checked_mul(g2g.value).ok_or_else(|| {
        "country_allocation_tpp × g2g_multiplier overflows a TPP total".to_string()
    })?;
    let lpp = &rs.lpp_room_tpp_per_year;
    let mut caps = vec![
        Cap {
            id: format!("{CAP_ID_PREFIX}allocation"),
            label: "Tier 2 country cap 2025–27".into(),
            what: "A Tier 2 country's allocation for licensed exports, cumulative 2025–2027".into(),
            kind: CapKind::CountryAllocation,
            tpp: alloc.value,
            parameter: "country_allocation_tpp".into(),
            derivation: format!("{} TPP ({})", format::thousands(alloc.value), alloc.unit),
            provenance: alloc.provenance(),
        },
        Cap {
            id: format!("{CAP_ID_PREFIX}allocation-g2g"),
            label: "Tier 2 cap with G2G deal".into(),
            what: "A Tier 2 country's allocation with a government-to-government arrangement"
                .into(),
            kind: CapKind::CountryAllocationG2g,
            tpp: doubled,
            parameter: "country_allocation_tpp × g2g_multiplier".into(),
            derivation: format!(
                "{} TPP × {} = {} TPP",
                format::thousands(alloc.value),
                g2g.value,
                format::thousands(doubled)
            ),
            provenance: join(alloc, g2g),
        },
        Cap {
            id: format!("{CAP_ID_PREFIX}lpp"),
            label: "LPP room per consignee/yr".into(),
            what: "License Exception LPP: room per ultimate consignee per calendar year".into(),
            kind: CapKind::LppRoom,
            tpp: lpp.value,
            parameter: "lpp_room_tpp_per_year".into(),
            derivation: format!("{} TPP ({})", format::thousands(lpp.value), lpp.unit),
            provenance: lpp.provenance(),
        },
    ];
    let nveu = &rs.nveu_schedule;
    for step in &nveu.value {
        caps.push(Cap {
            id: format!("{CAP_ID_PREFIX}nveu-{}", step.until),
            label: format!("NVEU cap by {}", step.until),
            what: format!(
                "NVEU: installed base one validated end user may hold in one country, cumulative until {}",
                step.until
            ),
            kind: CapKind::NveuStep(step.until),
            tpp: step.cumulative_tpp,
            parameter: "nveu_schedule".into(),
            derivation: format!(
                "{} TPP until {} ({})",
                format::thousands(step.cumulative_tpp),
                step.until,
                nveu.unit
            ),
            provenance: nveu.provenance(),
        });
    }
    Ok(caps)
}

/// The caps of the article's comparison: allocation, doubled allocation, LPP room, last NVEU step.
pub fn demo_cap_ids(caps: &[Cap]) -> Vec<String> {
    let last_nveu = caps
        .iter()
        .filter(|c| matches!(c.kind, CapKind::NveuStep(_)))
        .max_by_key(|c| match c.kind {
            CapKind::NveuStep(d) => Some(d),
            _ => None,
        });
    caps.iter()
        .filter(|c| {
            matches!(
                c.kind,
                CapKind::CountryAllocation | CapKind::CountryAllocationG2g | CapKind::LppRoom
            )
        })
        .chain(last_nveu)
        .map(|c| c.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::LoadedRuleset;

    #[test]
    fn caps_carry_the_rulesets_values_and_provenance() {
        let rs = LoadedRuleset::embedded().ruleset;
        let caps = caps_from_ruleset(&rs).unwrap();
        let get = |id: &str| caps.iter().find(|c| c.id == id).unwrap();
        let alloc = get("cap-allocation");
        assert_eq!(alloc.tpp, rs.country_allocation_tpp.value);
        assert_eq!(alloc.provenance.cite, rs.country_allocation_tpp.cite);
        let g2g = get("cap-allocation-g2g");
        assert_eq!(
            g2g.tpp,
            rs.country_allocation_tpp.value * rs.g2g_multiplier.value
        );
        // The doubling is UNCONFIRMED in the ruleset, so the product is too.
        assert_eq!(g2g.provenance.confidence, Confidence::Unconfirmed);
        assert_eq!(get("cap-lpp").tpp, rs.lpp_room_tpp_per_year.value);
        assert_eq!(
            caps.iter()
                .filter(|c| matches!(c.kind, CapKind::NveuStep(_)))
                .count(),
            rs.nveu_schedule.value.len()
        );
    }

    #[test]
    fn demo_caps_are_the_articles_four() {
        let rs = LoadedRuleset::embedded().ruleset;
        let caps = caps_from_ruleset(&rs).unwrap();
        assert_eq!(
            demo_cap_ids(&caps),
            [
                "cap-allocation",
                "cap-allocation-g2g",
                "cap-lpp",
                "cap-nveu-2027-12-31"
            ]
        );
    }
}
