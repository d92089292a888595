//! Checks for what the Scenario window lets the user change: which countries have a
//! government-to-government arrangement. The window only shows these results.

use crate::rules::{CountryCode, Engine, Scenario, Tier};

/// The country to add to the g2g list, or why `text` cannot be added.
pub fn parse_g2g_addition(
    engine: &Engine,
    scenario: &Scenario,
    text: &str,
) -> Result<CountryCode, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Type a two-letter ISO code, e.g. IN".into());
    }
    let Some(code) = CountryCode::parse(t) else {
        return Err(format!("`{t}` is not a two-letter ISO 3166-1 code"));
    };
    check_g2g_country(engine, code)?;
    if scenario.g2g.contains(&code) {
        return Err(format!(
            "{} ({code}) already has an arrangement",
            engine.countries().name(code)
        ));
    }
    Ok(code)
}

/// Whether `code` can have a g2g arrangement: a known Tier 2 country (only those have an
/// allocation to double). Shared by the Scenario window and `check --g2g`.
pub fn check_g2g_country(engine: &Engine, code: CountryCode) -> Result<(), String> {
    let countries = engine.countries();
    let Some(country) = countries.get(code) else {
        return Err(format!("`{code}` is not a known country code"));
    };
    match countries.tier(code) {
        Some(Tier::Two) => Ok(()),
        Some(tier) => Err(format!(
            "{} ({code}) is Tier {}: only Tier 2 countries have an allocation to double",
            country.name,
            tier.number()
        )),
        None => Err(format!("{} ({code}) has no tier", country.name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cc;

    #[test]
    fn only_known_tier2_countries_not_yet_listed() {
        let e = Engine::embedded();
        let mut s = Scenario::default();
        assert_eq!(parse_g2g_addition(&e, &s, " in "), Ok(cc!("IN")));
        s.g2g.insert(cc!("IN"));
        assert!(
            parse_g2g_addition(&e, &s, "IN")
                .unwrap_err()
                .contains("already")
        );
        assert!(
            parse_g2g_addition(&e, &s, "FR")
                .unwrap_err()
                .contains("Tier 1")
        );
        assert!(
            parse_g2g_addition(&e, &s, "CN")
                .unwrap_err()
                .contains("Tier 3")
        );
        // Counted as China, so Tier 3 too.
        assert!(
            parse_g2g_addition(&e, &s, "HK")
                .unwrap_err()
                .contains("Hong Kong (HK) is Tier 3")
        );
        assert!(
            parse_g2g_addition(&e, &s, "ZZ")
                .unwrap_err()
                .contains("not a known")
        );
        assert!(
            parse_g2g_addition(&e, &s, "IND")
                .unwrap_err()
                .contains("two-letter")
        );
        assert!(parse_g2g_addition(&e, &s, "").is_err());
    }
}
