//! The name index: every name, alias and embedded name of every entry as scoring tokens, the
//! token vocabulary with its rarity (IDF), and a trigram index over the vocabulary so that a
//! misspelt token still finds its listed spelling.

use super::list::ScreeningList;
use super::normalize;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Hash maps keyed by list tokens and names: a fixed seed keeps builds deterministic, and foldhash
/// is several times faster than SipHash on these short keys (the index is built at every start).
pub(super) type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
use std::collections::hash_map::Entry as MapEntry;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Tokens shorter than this are matched exactly only: Jaro-Winkler on two or three letters says
/// "ZTE" ≈ "ZTA", which no reviewer would accept.
pub(super) const MIN_FUZZY_LEN: usize = 4;

/// Where an indexed name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) enum NameKind {
    Primary,
    Alias,
    /// Another name written inside the primary name (see [`normalize::embedded_names`]).
    Embedded,
    /// The primary name cut before a trailing address (see [`normalize::name_before_address`]):
    /// never an exact match, and capped.
    Truncated,
}

#[derive(Debug, Serialize, Deserialize)]
pub(super) struct IndexedName {
    pub entry: u32,
    pub kind: NameKind,
    /// The name as listed (or as found inside the primary name), for display.
    pub text: Box<str>,
    /// Scoring tokens as vocabulary ids, in name order.
    pub tokens: Box<[u32]>,
    /// Sum of the tokens' IDF weights.
    pub weight: f64,
}

/// Distinct tokens of all names, with their weights and a trigram index.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Vocabulary {
    pub tokens: Vec<Box<str>>,
    pub ids: FastMap<Box<str>, u32>,
    /// ln(1 + entries / entries containing the token): "china" weighs little, "inspur" much.
    pub idf: Vec<f64>,
    /// The weight of a token no entry has: as rare as can be.
    pub unknown_idf: f64,
    /// Padded trigram → ids of vocabulary tokens of at least [`MIN_FUZZY_LEN`] letters.
    pub grams: FastMap<u32, Vec<u32>>,
    /// Distinct trigrams per token (0 for short tokens).
    pub gram_counts: Vec<u16>,
}

impl Vocabulary {
    fn intern(&mut self, token: &str) -> u32 {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = to_u32(self.tokens.len());
        self.tokens.push(token.into());
        self.ids.insert(token.into(), id);
        id
    }

    pub fn text(&self, id: u32) -> &str {
        &self.tokens[id as usize]
    }

    pub fn idf(&self, id: u32) -> f64 {
        self.idf[id as usize]
    }
}

/// A searchable index over one screening list. Build it once, off the UI thread (about 80 ms
/// for the 25,921-entry list in a release build, ~39 MB; the shipped list's index is also kept
/// on disk, see [`super::stored_index`]), then screen names against it; it is `Send + Sync`.
#[derive(Debug)]
pub struct ScreeningIndex {
    pub(super) list: Arc<ScreeningList>,
    /// Distinguishes indexes so a [`super::ScreeningCache`] never serves another index's results.
    pub(super) id: u64,
    pub(super) vocab: Vocabulary,
    pub(super) names: Vec<IndexedName>,
    /// Token id → ids of the names containing it.
    pub(super) postings: Vec<Vec<u32>>,
    /// Sorted tokens joined by spaces → names: equality ignoring order.
    pub(super) exact: FastMap<Box<str>, Vec<u32>>,
    /// Tokens joined without spaces → names: "Hua Wei" = "Huawei".
    pub(super) compact: FastMap<Box<str>, Vec<u32>>,
}

static NEXT_INDEX_ID: AtomicU64 = AtomicU64::new(1);

/// Ids are u32 to halve the index; 4 billion names is far beyond any list.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("fewer than 2^32 names and tokens")
}

impl ScreeningIndex {
    pub fn build(list: Arc<ScreeningList>) -> Self {
        let mut vocab = Vocabulary::default();
        let names = index_names(&list, &mut vocab);
        vocab.idf = inverse_document_frequencies(&names, vocab.tokens.len(), list.len());
        vocab.unknown_idf = idf_of(1, list.len());
        build_trigrams(&mut vocab);
        let mut index = Self {
            list,
            id: NEXT_INDEX_ID.fetch_add(1, Ordering::Relaxed),
            vocab,
            names,
            postings: Vec::new(),
            exact: FastMap::default(),
            compact: FastMap::default(),
        };
        index.weigh_names();
        index.build_postings_and_keys();
        index
    }

    /// An index from parts stored by a build of this index (see [`super::stored_index`]).
    pub(super) fn from_parts(
        list: Arc<ScreeningList>,
        vocab: Vocabulary,
        names: Vec<IndexedName>,
        postings: Vec<Vec<u32>>,
        exact: FastMap<Box<str>, Vec<u32>>,
        compact: FastMap<Box<str>, Vec<u32>>,
    ) -> Self {
        Self {
            list,
            id: NEXT_INDEX_ID.fetch_add(1, Ordering::Relaxed),
            vocab,
            names,
            postings,
            exact,
            compact,
        }
    }

    /// The list this index was built from.
    pub fn list(&self) -> &ScreeningList {
        &self.list
    }

    /// A shared handle on the list.
    pub fn list_arc(&self) -> Arc<ScreeningList> {
        Arc::clone(&self.list)
    }

    /// Names indexed: primary names, aliases and names found inside names.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// Distinct scoring tokens.
    pub fn token_count(&self) -> usize {
        self.vocab.tokens.len()
    }

    fn weigh_names(&mut self) {
        for name in &mut self.names {
            name.weight = name.tokens.iter().map(|&t| self.vocab.idf(t)).sum();
        }
    }

    fn build_postings_and_keys(&mut self) {
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); self.vocab.tokens.len()];
        for (id, name) in self.names.iter().enumerate() {
            let id = to_u32(id);
            for &token in name.tokens.iter() {
                let list = &mut postings[token as usize];
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
            let texts: Vec<&str> = name.tokens.iter().map(|&t| self.vocab.text(t)).collect();
            self.exact
                .entry(sorted_key(&texts).into())
                .or_default()
                .push(id);
            self.compact
                .entry(texts.concat().into())
                .or_default()
                .push(id);
        }
        self.postings = postings;
    }
}

/// Tokens sorted and joined by spaces: the same words in any order give the same key.
pub(super) fn sorted_key(tokens: &[&str]) -> String {
    let mut sorted = tokens.to_vec();
    sorted.sort_unstable();
    sorted.join(" ")
}

/// Every name, alias and embedded name of every entry, tokenised; one entry's names that give
/// the same tokens are indexed once (the primary name first, so it is what a match shows).
fn index_names(list: &ScreeningList, vocab: &mut Vocabulary) -> Vec<IndexedName> {
    let mut names = Vec::with_capacity(list.len().saturating_mul(3));
    // Normalising is most of the build: do it on every core, then intern in entry order so
    // token ids do not depend on the thread count.
    for (entry_index, sources) in tokenised_names(list).into_iter().enumerate() {
        let entry_id = to_u32(entry_index);
        let mut seen: Vec<Vec<u32>> = Vec::new();
        for (kind, text, words) in sources {
            let tokens: Vec<u32> = words.iter().map(|t| vocab.intern(t)).collect();
            if tokens.is_empty() || seen.contains(&tokens) {
                continue;
            }
            seen.push(tokens.clone());
            names.push(IndexedName {
                entry: entry_id,
                kind,
                text,
                tokens: tokens.into_boxed_slice(),
                weight: 0.0,
            });
        }
    }
    names
}

/// A name of an entry as indexed: its kind, its text and its normalised tokens.
type TokenisedName = (NameKind, Box<str>, Vec<String>);

/// Per entry, in list order: its primary name, aliases, embedded and truncated names, tokenised.
fn tokenised_names(list: &ScreeningList) -> Vec<Vec<TokenisedName>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let chunk = list.entries.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = list
            .entries
            .chunks(chunk)
            .map(|entries| scope.spawn(move || entries.iter().map(entry_names).collect::<Vec<_>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("tokenising names does not panic"))
            .collect()
    })
}

fn entry_names(entry: &super::Entry) -> Vec<TokenisedName> {
    let embedded = normalize::embedded_names(&entry.name);
    let truncated = normalize::name_before_address(&entry.name);
    std::iter::once((NameKind::Primary, entry.name.as_str()))
        .chain(
            entry
                .alt_names
                .iter()
                .map(|a| (NameKind::Alias, a.as_str())),
        )
        .chain(embedded.iter().map(|d| (NameKind::Embedded, d.as_str())))
        .chain(truncated.iter().map(|d| (NameKind::Truncated, d.as_str())))
        .map(|(kind, text)| (kind, Box::from(text), normalize::tokens(text)))
        .collect()
}

fn idf_of(document_frequency: usize, documents: usize) -> f64 {
    (1.0 + documents as f64 / document_frequency.max(1) as f64).ln()
}

/// IDF per token, counting an entry once however many of its names contain the token (an
/// entry with 40 aliases all saying "Rosoboronexport" must not make that word common).
fn inverse_document_frequencies(names: &[IndexedName], tokens: usize, entries: usize) -> Vec<f64> {
    let mut df = vec![0usize; tokens];
    let mut last_entry = vec![u32::MAX; tokens];
    for name in names {
        for &t in name.tokens.iter() {
            let t = t as usize;
            if last_entry[t] != name.entry {
                last_entry[t] = name.entry;
                df[t] = df[t].saturating_add(1);
            }
        }
    }
    df.into_iter().map(|d| idf_of(d, entries)).collect()
}

fn build_trigrams(vocab: &mut Vocabulary) {
    vocab.gram_counts = vec![0; vocab.tokens.len()];
    for (id, token) in vocab.tokens.iter().enumerate() {
        if token.len() < MIN_FUZZY_LEN {
            continue;
        }
        let grams = trigrams(token);
        vocab.gram_counts[id] = u16::try_from(grams.len()).unwrap_or(u16::MAX);
        for gram in grams {
            match vocab.grams.entry(gram) {
                MapEntry::Occupied(mut e) => e.get_mut().push(to_u32(id)),
                MapEntry::Vacant(e) => {
                    e.insert(vec![to_u32(id)]);
                }
            }
        }
    }
}

/// Distinct trigrams of a token padded with '$' at both ends ("acme" → $ac, acm, cme, me$), so a
/// token's first and last letters count as much as its middle.
pub(super) fn trigrams(token: &str) -> Vec<u32> {
    let mut padded = Vec::with_capacity(token.len().saturating_add(2));
    padded.push(b'$');
    padded.extend_from_slice(token.as_bytes());
    padded.push(b'$');
    let mut grams: Vec<u32> = padded
        .windows(3)
        .map(|w| u32::from(w[0]) << 16 | u32::from(w[1]) << 8 | u32::from(w[2]))
        .collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screening::list::{Entry, ListKind};

    pub(crate) fn entry(name: &str, aliases: &[&str], list: ListKind) -> Entry {
        Entry {
            name: name.into(),
            alt_names: aliases.iter().map(|a| a.to_string()).collect(),
            list,
            entity_number: None,
            countries: Vec::new(),
            license_requirement: None,
            license_policy: None,
            federal_register_notice: None,
            programs: Vec::new(),
            source_list_url: None,
            entry_type: None,
        }
    }

    #[test]
    fn names_aliases_and_embedded_names_are_indexed_once_each() {
        let list = ScreeningList::new(
            "2026-07-31".into(),
            "test".into(),
            vec![
                entry(
                    "Inspur Group Co., Ltd.",
                    &["Inspur Group", "INSPUR GROUP CO LTD", "IGL"],
                    ListKind::EntityList,
                ),
                entry(
                    "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Huawei Marine Networks Co., Ltd.",
                    &[],
                    ListKind::EntityList,
                ),
            ],
        );
        let index = ScreeningIndex::build(Arc::new(list));
        let texts: Vec<(&str, NameKind)> = index.names.iter().map(|n| (&*n.text, n.kind)).collect();
        // "Inspur Group" and "INSPUR GROUP CO LTD" normalise like the primary name.
        assert_eq!(texts[0], ("Inspur Group Co., Ltd.", NameKind::Primary));
        assert_eq!(texts[1], ("IGL", NameKind::Alias));
        assert!(
            texts.contains(&("Huawei Marine Networks Co., Ltd.", NameKind::Embedded)),
            "{texts:?}"
        );
        let inspur = index.vocab.ids["inspur"];
        let huawei = index.vocab.ids["huawei"];
        assert_eq!(index.vocab.idf(inspur), index.vocab.idf(huawei));
        assert!(index.vocab.unknown_idf >= index.vocab.idf(inspur));
    }

    #[test]
    fn trigrams_are_padded_and_distinct() {
        assert_eq!(trigrams("acme").len(), 4);
        assert_eq!(trigrams("aaaa").len(), 3); // $aa, aaa, aa$
    }
}
