//! The country table (ISO 3166-1 + Kosovo, EAR names and groups) and tiers derived from a ruleset.

use super::data_file::{DataError, parse_ron};
use super::{CountryCode, Ruleset};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const DEFAULT_COUNTRIES_RON: &str = include_str!("../../assets/countries.ron");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Country {
    pub alpha2: CountryCode,
    pub alpha3: String,
    /// ISO 3166-1 numeric; Kosovo has none.
    pub numeric: Option<u16>,
    /// Short English name, as users type it.
    pub name: String,
    pub iso_name: String,
    /// The name used in EAR Supplement No. 1 to Part 740, when listed there.
    pub ear_name: Option<String>,
    /// EAR country groups (A:1 … E:2) in the table's vintage.
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryTable {
    pub groups_vintage: String,
    pub groups_citation: String,
    pub countries: Vec<Country>,
}

/// The three tiers of the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tier {
    One,
    Two,
    Three,
}

impl Tier {
    pub fn number(self) -> u8 {
        match self {
            Tier::One => 1,
            Tier::Two => 2,
            Tier::Three => 3,
        }
    }

    pub const ALL: [Tier; 3] = [Tier::One, Tier::Two, Tier::Three];
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tier {}", self.number())
    }
}

/// Why a destination has its tier: which ruleset list put it there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TierReason {
    Supp5a,
    D5,
    NamedBesideD5,
    CountedAs(CountryCode),
    Residual,
}

/// Countries with their tiers under one ruleset; lookups are array-indexed for the engine's hot path.
#[derive(Debug, Clone)]
pub struct Countries {
    table: CountryTable,
    by_code: Vec<Option<usize>>,
    tiers: Vec<Option<(Tier, TierReason)>>,
    by_numeric: HashMap<u16, usize>,
}

impl Countries {
    pub fn embedded(ruleset: &Ruleset) -> Self {
        let table = parse_ron::<CountryTable>("assets/countries.ron", DEFAULT_COUNTRIES_RON)
            .expect("the embedded country table is checked by tests");
        Self::new(table, ruleset).expect("the embedded ruleset names only known countries")
    }

    /// Builds the table and checks that every code the ruleset names exists.
    pub fn new(table: CountryTable, ruleset: &Ruleset) -> Result<Self, DataError> {
        let mut by_code = vec![None; CountryCode::SLOTS];
        let mut by_numeric = HashMap::new();
        for (i, c) in table.countries.iter().enumerate() {
            by_code[c.alpha2.index()] = Some(i);
            if let Some(n) = c.numeric {
                by_numeric.insert(n, i);
            }
        }
        let known = |code: CountryCode, field: &str| {
            if by_code[code.index()].is_some() {
                Ok(())
            } else {
                Err(DataError::Invalid {
                    file: "ruleset".into(),
                    message: format!("{field}: unknown country code {code}"),
                })
            }
        };
        known(ruleset.us, "us")?;
        for &c in &ruleset.tier1.value {
            known(c, "tier1.value")?;
        }
        for &c in &ruleset.d5.value {
            known(c, "d5.value")?;
        }
        for &c in &ruleset.tier3_extra.value {
            known(c, "tier3_extra.value")?;
        }
        for &(a, b) in &ruleset.counted_as.value {
            known(a, "counted_as.value")?;
            known(b, "counted_as.value")?;
        }
        let mut tiers = vec![None; CountryCode::SLOTS];
        for c in &table.countries {
            tiers[c.alpha2.index()] = Some(direct_tier(ruleset, c.alpha2));
        }
        for &(territory, parent) in &ruleset.counted_as.value {
            let (tier, _) = direct_tier(ruleset, parent);
            tiers[territory.index()] = Some((tier, TierReason::CountedAs(parent)));
        }
        Ok(Self {
            table,
            by_code,
            tiers,
            by_numeric,
        })
    }

    pub fn get(&self, code: CountryCode) -> Option<&Country> {
        self.by_code[code.index()].map(|i| &self.table.countries[i])
    }

    pub fn by_numeric(&self, numeric: u16) -> Option<&Country> {
        self.by_numeric
            .get(&numeric)
            .map(|&i| &self.table.countries[i])
    }

    pub fn tier(&self, code: CountryCode) -> Option<Tier> {
        self.tiers[code.index()].map(|(t, _)| t)
    }

    pub fn tier_reason(&self, code: CountryCode) -> Option<TierReason> {
        self.tiers[code.index()].map(|(_, r)| r)
    }

    pub fn name(&self, code: CountryCode) -> &str {
        self.get(code).map_or("unknown", |c| c.name.as_str())
    }

    pub fn all(&self) -> &[Country] {
        &self.table.countries
    }

    pub fn table(&self) -> &CountryTable {
        &self.table
    }

    pub fn in_group(&self, code: CountryCode, group: &str) -> bool {
        self.get(code)
            .is_some_and(|c| c.groups.iter().any(|g| g == group))
    }

    /// A typed country: a known alpha-2/alpha-3 code or an exact (case-insensitive) name.
    ///
    /// ```
    /// use diffusion_desk::rules::{Countries, LoadedRuleset};
    /// let c = Countries::embedded(&LoadedRuleset::embedded().ruleset);
    /// assert_eq!(c.resolve("india").unwrap().as_str(), "IN");
    /// assert_eq!(c.resolve("DEU").unwrap().as_str(), "DE");
    /// assert!(c.resolve("Indi").is_none());
    /// ```
    pub fn resolve(&self, text: &str) -> Option<CountryCode> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        if let Some(c) = CountryCode::parse(t).filter(|c| self.get(*c).is_some()) {
            return Some(c);
        }
        let hit = self.search(t).into_iter().next()?;
        let exact = hit.alpha3.eq_ignore_ascii_case(t)
            || hit.name.eq_ignore_ascii_case(t)
            || hit.iso_name.eq_ignore_ascii_case(t)
            || hit
                .ear_name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(t));
        exact.then_some(hit.alpha2)
    }

    /// Finds countries by name, EAR name, alpha-2 or alpha-3 (case-insensitive), best match first.
    pub fn search(&self, query: &str) -> Vec<&Country> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u8, &Country)> = self
            .table
            .countries
            .iter()
            .filter_map(|c| {
                let name = c.name.to_lowercase();
                let ear = c.ear_name.as_deref().unwrap_or("").to_lowercase();
                let iso = c.iso_name.to_lowercase();
                let rank = if c.alpha2.as_str().eq_ignore_ascii_case(&q)
                    || c.alpha3.eq_ignore_ascii_case(&q)
                {
                    0
                } else if name == q || ear == q || iso == q {
                    1
                } else if name.starts_with(&q) || ear.starts_with(&q) {
                    2
                } else if name.contains(&q) || ear.contains(&q) || iso.contains(&q) {
                    3
                } else {
                    return None;
                };
                Some((rank, c))
            })
            .collect();
        hits.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
        hits.into_iter().map(|(_, c)| c).collect()
    }
}

fn direct_tier(ruleset: &Ruleset, code: CountryCode) -> (Tier, TierReason) {
    if ruleset.tier1.value.contains(&code) {
        (Tier::One, TierReason::Supp5a)
    } else if ruleset.d5.value.contains(&code) {
        (Tier::Three, TierReason::D5)
    } else if ruleset.tier3_extra.value.contains(&code) {
        (Tier::Three, TierReason::NamedBesideD5)
    } else {
        (Tier::Two, TierReason::Residual)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cc;
    use crate::rules::LoadedRuleset;

    fn countries() -> Countries {
        Countries::embedded(&LoadedRuleset::embedded().ruleset)
    }

    #[test]
    fn table_covers_iso_and_kosovo() {
        let c = countries();
        assert!(c.all().len() >= 250, "{}", c.all().len());
        assert_eq!(c.name(cc!("XK")), "Kosovo");
        assert_eq!(c.by_numeric(156).unwrap().alpha2, cc!("CN"));
    }

    /// Supp. No. 5 ¶(a): 18 destinations plus the United States.
    #[test]
    fn tier1_is_eighteen_plus_us() {
        let c = countries();
        let t1: Vec<_> = c
            .all()
            .iter()
            .filter(|x| c.tier(x.alpha2) == Some(Tier::One))
            .collect();
        assert_eq!(t1.len(), 19);
        assert_eq!(c.tier(cc!("US")), Some(Tier::One));
    }

    /// Spain is in Supp. 5(a); French Guiana is not a named entry (Discrepancies #1).
    #[test]
    fn spain_is_tier1_and_french_guiana_is_not() {
        let c = countries();
        assert_eq!(c.tier(cc!("ES")), Some(Tier::One));
        assert_eq!(c.tier(cc!("GF")), Some(Tier::Two));
    }

    /// Tier 3 = D:5 (23 in January 2025) + Macau; Hong Kong counts as China; Cyprus is not D:5.
    #[test]
    fn tier3_is_d5_plus_macau_with_hong_kong_as_china() {
        let c = countries();
        let t3 = c
            .all()
            .iter()
            .filter(|x| c.tier(x.alpha2) == Some(Tier::Three))
            .count();
        assert_eq!(t3, 23 + 1 + 1, "23 D:5 + Macau + Hong Kong (as China)");
        assert_eq!(c.tier(cc!("MO")), Some(Tier::Three));
        assert_eq!(c.tier_reason(cc!("MO")), Some(TierReason::NamedBesideD5));
        assert_eq!(c.tier(cc!("HK")), Some(Tier::Three));
        assert_eq!(
            c.tier_reason(cc!("HK")),
            Some(TierReason::CountedAs(cc!("CN")))
        );
        assert_eq!(
            c.tier(cc!("KH")),
            Some(Tier::Three),
            "Cambodia was D:5 in January 2025"
        );
        assert_eq!(c.tier(cc!("CY")), Some(Tier::Two));
        assert_eq!(c.tier(cc!("NI")), Some(Tier::Three));
    }

    #[test]
    fn search_by_name_and_code() {
        let c = countries();
        assert_eq!(c.search("macau")[0].alpha2, cc!("MO"));
        assert_eq!(c.search("MAC")[0].alpha2, cc!("MO"));
        assert_eq!(c.search("sg")[0].alpha2, cc!("SG"));
        assert_eq!(c.search("Burma")[0].alpha2, cc!("MM"));
        assert!(c.search("").is_empty());
    }

    #[test]
    fn unknown_code_in_ruleset_is_rejected() {
        let mut rs = LoadedRuleset::embedded().ruleset;
        rs.tier1.value.push(cc!("QQ"));
        let table = parse_ron::<CountryTable>("c", DEFAULT_COUNTRIES_RON).unwrap();
        let err = Countries::new(table, &rs).unwrap_err().to_string();
        assert!(err.contains("tier1.value") && err.contains("QQ"), "{err}");
    }

    #[test]
    fn unknown_us_code_is_rejected() {
        let mut rs = LoadedRuleset::embedded().ruleset;
        rs.us = cc!("QQ");
        let table = parse_ron::<CountryTable>("c", DEFAULT_COUNTRIES_RON).unwrap();
        let err = Countries::new(table, &rs).unwrap_err().to_string();
        assert!(err.contains("us: unknown country code QQ"), "{err}");
    }
}
