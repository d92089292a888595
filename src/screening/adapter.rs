//! The screening index as the sessions' [`Screener`]: each match becomes a hit with its list's
//! authority and what a confirmed match does under engine v2 rule 9. Results are cached by name,
//! country and threshold, because a book screens the same few parties many times.

use super::index::FastMap;
use super::matching::Scoring;
use super::{Entry, ListKind, ListPolicy, Match, ScreeningIndex};
use crate::rules::{CountryCode, Hit, HitState, ListEffect, ListRef, PartyRole};
use crate::session::screening_link::{ListedHere, Screener};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

/// Per name (trimmed): the hits for each (party country, threshold bits). Nested so a lookup
/// borrows the name instead of allocating a key for every order screened.
type HitCache = FastMap<String, FastMap<(Option<CountryCode>, u64), Arc<Vec<Hit>>>>;

/// The shipped list's index, built once per process on first use, never read from the on-disk
/// cache (tests and benches; commands and the app use [`super::shipped_index`]).
pub fn embedded_index() -> Arc<ScreeningIndex> {
    static INDEX: std::sync::OnceLock<Arc<ScreeningIndex>> = std::sync::OnceLock::new();
    Arc::clone(INDEX.get_or_init(|| {
        Arc::new(ScreeningIndex::build(Arc::new(
            super::ScreeningList::embedded(),
        )))
    }))
}

/// Per (trimmed name, with a country, threshold bits): the name's scoring, `None` when it has
/// nothing to screen.
type ScoringCache = HashMap<(String, bool, u64), Option<Arc<Scoring>>>;

static NOTHING_LISTED: ListedHere = ListedHere {
    total: 0,
    by_list: Vec::new(),
};

pub struct IndexScreener {
    index: Arc<ScreeningIndex>,
    cache: Mutex<HitCache>,
    /// Per name, whether a country is given, and threshold: the country-independent scoring,
    /// so a consignee named with many headquarters is scored once.
    scorings: Mutex<ScoringCache>,
    /// Listed entries per address country, counted on first use (the map's country panel).
    by_country: OnceLock<BTreeMap<CountryCode, ListedHere>>,
}

impl std::fmt::Debug for IndexScreener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexScreener")
            .field("vintage", &self.index.list().vintage)
            .field("entries", &self.index.list().len())
            .finish()
    }
}

impl IndexScreener {
    pub fn new(index: Arc<ScreeningIndex>) -> Self {
        Self {
            index,
            cache: Mutex::new(HitCache::default()),
            scorings: Mutex::new(HashMap::new()),
            by_country: OnceLock::new(),
        }
    }

    pub fn index(&self) -> &ScreeningIndex {
        &self.index
    }
}

impl IndexScreener {
    fn scoring(&self, name: &str, with_country: bool, threshold: f64) -> Option<Arc<Scoring>> {
        let key = (name.trim().to_string(), with_country, threshold.to_bits());
        if let Some(s) = self.scorings.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return s;
        }
        let scoring = self
            .index
            .score_name(name, with_country, threshold)
            .map(Arc::new);
        if let Ok(mut c) = self.scorings.lock() {
            c.insert(key, scoring.clone());
        }
        scoring
    }
}

impl Screener for IndexScreener {
    fn vintage(&self) -> &str {
        &self.index.list().vintage
    }

    fn listed_in(&self, country: CountryCode) -> Option<&ListedHere> {
        self.by_country
            .get_or_init(|| {
                self.index
                    .list()
                    .entries_by_country()
                    .into_iter()
                    .map(|(country, lists)| {
                        let here = ListedHere {
                            total: lists.values().sum(),
                            by_list: lists
                                .iter()
                                .map(|(kind, &n)| {
                                    (kind.short().to_string(), kind.label().to_string(), n)
                                })
                                .collect(),
                        };
                        (country, here)
                    })
                    .collect()
            })
            .get(&country)
            .or(Some(&NOTHING_LISTED))
    }

    fn matches(&self, name: &str, country: Option<CountryCode>, threshold: f64) -> Arc<Vec<Hit>> {
        let name = name.trim();
        let key = (country, threshold.to_bits());
        let cached = self
            .cache
            .lock()
            .ok()
            .and_then(|c| c.get(name).and_then(|m| m.get(&key)).cloned());
        if let Some(hits) = cached {
            return hits;
        }
        let list = self.index.list();
        let matches = self
            .scoring(name, country.is_some(), threshold)
            .map_or_else(Vec::new, |s| {
                self.index.matches_from(&s, country, threshold)
            });
        let hits: Vec<Hit> = matches
            .into_iter()
            .filter_map(|m| list.entries.get(m.entry).map(|e| hit(&m, e)))
            .collect();
        let hits = Arc::new(hits);
        if let Ok(mut c) = self.cache.lock() {
            c.entry(name.to_string())
                .or_default()
                .insert(key, Arc::clone(&hits));
        }
        hits
    }
}

/// The list an entry is on, as the engine reads it.
pub fn list_ref(kind: &ListKind, entry: &Entry) -> ListRef {
    let effect = match kind {
        ListKind::DeniedPersons => ListEffect::DeniedPersons,
        ListKind::EntityList => ListEffect::EntityList {
            denial_policy: entry.policy() == ListPolicy::PresumptionOfDenial,
        },
        ListKind::Unverified => ListEffect::Unverified,
        ListKind::MilitaryEndUser => ListEffect::MilitaryEndUser,
        _ => ListEffect::NonEar,
    };
    ListRef {
        short: kind.short().to_string(),
        label: kind.label().to_string(),
        authority: kind.authority().to_string(),
        effect,
    }
}

fn hit(m: &Match, entry: &Entry) -> Hit {
    Hit {
        role: PartyRole::Consignee,
        party: String::new(),
        list: list_ref(&m.list, entry),
        entry_name: m.entry_name.clone(),
        matched_name: m.matched_name.clone(),
        entity_number: m.entity_number.clone(),
        score: m.score,
        exact: m.exact,
        why: m.why.clone(),
        policy_text: entry.license_policy.clone(),
        state: HitState::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{ListEffect, Order};
    use crate::session::model::ScreeningRecord;
    use crate::session::screening_link::screen_order;

    /// One scoring per name serves every country: the hits are those of screening afresh.
    #[test]
    fn a_name_screened_for_many_countries_gets_each_countrys_matches() {
        let index = embedded_index();
        let s = IndexScreener::new(Arc::clone(&index));
        let countries = [
            None,
            Some(crate::cc!("CN")),
            Some(crate::cc!("IN")),
            Some(crate::cc!("RU")),
        ];
        for name in [
            "Huawei Technologies Co., Ltd.",
            "Inspur Group",
            "Rosoboronexport",
            "Bharat Compute Pvt",
        ] {
            for threshold in [0.8, 0.7] {
                for &country in &countries {
                    let fresh: Vec<(String, String)> = index
                        .screen(name, country, threshold)
                        .into_iter()
                        .map(|m| (m.entry_name, m.why))
                        .collect();
                    let cached: Vec<(String, String)> = s
                        .matches(name, country, threshold)
                        .iter()
                        .map(|h| (h.entry_name.clone(), h.why.clone()))
                        .collect();
                    assert_eq!(cached, fresh, "{name} {country:?} {threshold}");
                }
            }
        }
        assert!(
            s.scorings.lock().unwrap().len() <= 4 * 2 * 2,
            "one scoring per name, threshold and with/without country"
        );
    }

    #[test]
    fn listed_parties_become_hits_with_their_lists_effect() {
        let s = IndexScreener::new(embedded_index());
        assert_eq!(s.vintage(), "2026-07-31");
        let hits = s.matches("Huawei Technologies Co., Ltd.", Some(crate::cc!("CN")), 0.8);
        let el = hits
            .iter()
            .find(|h| h.list.short == "EL")
            .expect("Huawei is on the Entity List");
        assert!(matches!(el.list.effect, ListEffect::EntityList { .. }));
        assert!(el.list.authority.contains("744"));
        // Cached: the same Arc comes back.
        let again = s.matches("Huawei Technologies Co., Ltd.", Some(crate::cc!("CN")), 0.8);
        assert!(Arc::ptr_eq(&hits, &again));
        // An order screens its consignee and its parent.
        let order = Order {
            id: "1".into(),
            date: "2025-06-01".parse().unwrap(),
            destination: crate::cc!("DE"),
            consignee: "Rhein Datacenter GmbH".into(),
            consignee_hq: crate::cc!("DE"),
            parent: Some("Huawei Technologies Co., Ltd.".into()),
            parent_hq: Some(crate::cc!("CN")),
            veu: Default::default(),
            item: crate::rules::Item::Chip("h100-sxm".into()),
            quantity: 1,
            licence: None,
        };
        let sc = screen_order(&s, &order, &ScreeningRecord::default());
        assert!(
            sc.hits
                .iter()
                .any(|h| h.role == PartyRole::Parent && h.list.short == "EL")
        );
        assert!(
            sc.hits.iter().all(|h| h.role == PartyRole::Parent),
            "{:?}",
            sc.hits
        );
    }
}
