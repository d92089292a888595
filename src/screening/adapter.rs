//! The screening index as the sessions' [`Screener`]: each match becomes a hit with its list's
//! authority and what a confirmed match does under engine v2 rule 9. Results are cached by name,
//! country and threshold, because a book screens the same few parties many times.

use super::{Entry, ListKind, ListPolicy, Match, ScreeningIndex};
use crate::rules::{CountryCode, Hit, HitState, ListEffect, ListRef, PartyRole};
use crate::session::screening_link::Screener;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Key = (String, Option<CountryCode>, u64);

/// The shipped list's index, built once per process on first use (commands and tests; the app
/// builds its own off the UI thread).
pub fn embedded_index() -> Arc<ScreeningIndex> {
    static INDEX: std::sync::OnceLock<Arc<ScreeningIndex>> = std::sync::OnceLock::new();
    Arc::clone(INDEX.get_or_init(|| {
        Arc::new(ScreeningIndex::build(Arc::new(
            super::ScreeningList::embedded(),
        )))
    }))
}

pub struct IndexScreener {
    index: Arc<ScreeningIndex>,
    cache: Mutex<HashMap<Key, Arc<Vec<Hit>>>>,
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
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn index(&self) -> &ScreeningIndex {
        &self.index
    }
}

impl Screener for IndexScreener {
    fn vintage(&self) -> &str {
        &self.index.list().vintage
    }

    fn matches(&self, name: &str, country: Option<CountryCode>, threshold: f64) -> Arc<Vec<Hit>> {
        let key = (name.trim().to_string(), country, threshold.to_bits());
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let list = self.index.list();
        let hits: Vec<Hit> = self
            .index
            .screen(name, country, threshold)
            .into_iter()
            .filter_map(|m| list.entries.get(m.entry).map(|e| hit(&m, e)))
            .collect();
        let hits = Arc::new(hits);
        if let Ok(mut c) = self.cache.lock() {
            c.insert(key, Arc::clone(&hits));
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
