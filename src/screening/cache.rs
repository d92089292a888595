//! Results by normalised name, for callers that screen the same parties again and again
//! (`check` on 100,000 orders naming a few hundred consignees; the live order form).

use super::index::ScreeningIndex;
use super::matching::Match;
use super::normalize;
use crate::rules::CountryCode;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Past this many distinct queries the cache starts over, so a stream of distinct names cannot
/// grow it without bound.
const MAX_CACHED: usize = 65_536;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    /// Scoring tokens joined by spaces: "Inspur Group Co., Ltd." and "INSPUR GROUP" share it.
    name: String,
    country: Option<CountryCode>,
    threshold_bits: u64,
}

/// Screening results by normalised name, country and threshold. Tied to the index that filled
/// it: used with another index (a reloaded list), it empties itself first.
#[derive(Debug, Default)]
pub struct ScreeningCache {
    index_id: u64,
    results: HashMap<Key, Vec<Match>>,
    hits: u64,
    misses: u64,
}

impl ScreeningCache {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.results.len()
    }

    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }

    /// (hits, misses) since the cache was made.
    pub fn stats(&self) -> (u64, u64) {
        (self.hits, self.misses)
    }

    pub fn clear(&mut self) {
        self.results.clear();
    }
}

impl ScreeningIndex {
    /// [`ScreeningIndex::screen`] through a cache: a name screened before (in any spelling
    /// that normalises the same) costs a normalisation and a hash lookup.
    pub fn screen_cached<'c>(
        &self,
        cache: &'c mut ScreeningCache,
        name: &str,
        country: Option<CountryCode>,
        threshold: f64,
    ) -> &'c [Match] {
        if cache.index_id != self.id || cache.results.len() >= MAX_CACHED {
            cache.results.clear();
            cache.index_id = self.id;
        }
        let tokens = normalize::tokens(name);
        let key = Key {
            name: tokens.join(" "),
            country,
            threshold_bits: threshold.to_bits(),
        };
        match cache.results.entry(key) {
            Entry::Occupied(hit) => {
                cache.hits = cache.hits.saturating_add(1);
                hit.into_mut()
            }
            Entry::Vacant(slot) => {
                cache.misses = cache.misses.saturating_add(1);
                slot.insert(self.screen_tokens(&tokens, country, threshold))
            }
        }
    }
}
