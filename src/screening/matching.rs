//! Screening a name against the index: candidates by shared (fuzzy) tokens, then a score a
//! reviewer can follow.
//!
//! The score of a query against one listed name is a weighted, order-free token overlap:
//!
//! ```text
//!            Σ over paired tokens  s′(q, e) · (w(q) + w(e))
//! score  =  ─────────────────────────────────────────────────
//!                 Σ w(query tokens) + Σ w(name tokens)
//! ```
//!
//! Tokens are paired greedily, best Jaro-Winkler similarity first, each token used once (so
//! "Technologies Huawei" pairs like "Huawei Technologies"). `w` is the token's IDF over the list,
//! so an unmatched rare token ("Longshine") costs far more than an unmatched common one
//! ("Technology"), and a query of common words cannot reach a name that has a rare word besides
//! them. Unmatched tokens on either side stay in the denominator: that is the penalty for
//! unmatched tokens and, through the token counts, for length differences. `s′ = 1 − 2·(1 − JW)`
//! makes a fuzzy pair cost twice its Jaro-Winkler distance; pairs below
//! [`TOKEN_MIN_SIMILARITY`], pairs of very different lengths and inexact pairs of short tokens
//! do not pair at all. A matching address country then raises the score a little
//! ([`COUNTRY_WEIGHT`]); a different one never lowers it.

use super::index::{IndexedName, MIN_FUZZY_LEN, NameKind, ScreeningIndex, sorted_key, trigrams};
use super::list::ListKind;
use super::normalize;
use crate::rules::CountryCode;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The default score at or above which a listed name is a possible match.
///
/// Chosen from the sweep printed by `tests/screening_quality.rs` on the 2026-07-31 list:
///
/// | threshold | recall, 1,000 perturbed listed names | recall, one typo | false positives, 237 made-up names |
/// |---|---|---|---|
/// | 0.70 | 100.0 % | 97.5 % | 0.8 % (2) |
/// | 0.75 | 100.0 % | 96.6 % | 0 |
/// | **0.80** | **99.9 %** | **95.4 %** | **0** |
/// | 0.85 | 99.5 % | 92.9 % | 0 |
/// | 0.90 | 99.0 % | 82.2 % | 0 |
///
/// The highest score any made-up name reaches is 0.744 ("Shenzhen Lotus Cloud Computing" against
/// "Shenzhen Cloud Computing Center"); 0.80 leaves a margin above it while losing almost nothing
/// of recall. Below 0.75 made-up names start to match; above 0.85 one-typo recall falls fast.
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// At most this many matches are returned, best first.
pub const MAX_MATCHES: usize = 10;

/// Two tokens pair only when their Jaro-Winkler similarity reaches this ("technologies" ≈
/// "technology" 0.96; "huawai" ≈ "huawei" 0.93; "ersesto" ≈ "ernesto" 0.88). A pair near it
/// counts for little: the fuzzy cost below halves what it is worth.
pub const TOKEN_MIN_SIMILARITY: f64 = 0.84;

/// How much a matching address country closes the gap to 1: 0.75 → 0.775.
pub const COUNTRY_WEIGHT: f64 = 0.1;

/// The highest score a primary name cut before its trailing address can give: the cut may have
/// dropped part of the name.
pub const TRUNCATED_NAME_CAP: f64 = 0.9;

/// Fuzzy pairs cost this many times their Jaro-Winkler distance.
const FUZZY_STEEPNESS: f64 = 2.0;
/// Similar vocabulary tokens kept per query token.
const MAX_EXPANSIONS: usize = 12;
/// Names scored in full per query, best trigram-token overlap first.
const MAX_CANDIDATES: usize = 400;
/// Trigram overlap (Dice) below which a vocabulary token is not compared at all.
const MIN_GRAM_DICE: f64 = 0.3;

/// How strong a match is: what the UI and the engine call `confirmed_match` candidates and
/// `possible_match`es.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchStrength {
    /// The normalised name equals a listed name or alias: a confirmed-match *candidate*; a
    /// person still confirms it.
    Exact,
    /// Similar enough to hold the order for a person to clear or confirm.
    Possible,
}

/// One listed entry that a screened name matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Index of the entry in [`super::ScreeningList::entries`].
    pub entry: usize,
    pub list: ListKind,
    /// The entry's primary name.
    pub entry_name: String,
    /// The name, alias or part of the name that matched.
    pub matched_name: String,
    pub via_alias: bool,
    pub entity_number: Option<String>,
    /// 0..=1; 1 for an exact match.
    pub score: f64,
    /// Normalised equality with the name or an alias (token order and spaces aside).
    pub exact: bool,
    /// Why, in a sentence a person can check.
    pub why: String,
}

impl Match {
    pub fn strength(&self) -> MatchStrength {
        if self.exact {
            MatchStrength::Exact
        } else {
            MatchStrength::Possible
        }
    }
}

/// A query token, its weight and the vocabulary tokens it may pair with.
#[derive(Debug)]
struct QueryToken {
    text: String,
    weight: f64,
    /// (vocabulary id, Jaro-Winkler similarity), exact spelling first.
    similar: Vec<(u32, f64)>,
}

impl QueryToken {
    fn similarity_to(&self, token: u32) -> Option<f64> {
        self.similar
            .iter()
            .find(|(id, _)| *id == token)
            .map(|&(_, s)| s)
    }
}

/// A listed name's score against the query and how its tokens paired.
#[derive(Debug)]
struct Scored {
    name: u32,
    score: f64,
    exact: bool,
    /// (query token index, name token position, similarity).
    pairs: Vec<(usize, usize, f64)>,
}

/// A name's query tokens and its candidates scored, before any country corroborates them (see
/// [`ScreeningIndex::score_name`]).
#[derive(Debug)]
pub struct Scoring {
    query: Vec<QueryToken>,
    scored: Vec<Scored>,
}

/// A fuzzy pair's contribution: steeper than Jaro-Winkler itself.
fn effective(similarity: f64) -> f64 {
    (1.0 - FUZZY_STEEPNESS * (1.0 - similarity)).max(0.0)
}

impl ScreeningIndex {
    /// Screens a name: listed entries scoring at least `threshold`, best first, at most
    /// [`MAX_MATCHES`]. `country` (the party's) corroborates a match; it never filters.
    pub fn screen(&self, name: &str, country: Option<CountryCode>, threshold: f64) -> Vec<Match> {
        self.screen_tokens(&normalize::tokens(name), country, threshold)
    }

    pub(super) fn screen_tokens(
        &self,
        tokens: &[String],
        country: Option<CountryCode>,
        threshold: f64,
    ) -> Vec<Match> {
        self.score_tokens(tokens, country.is_some(), threshold)
            .map_or_else(Vec::new, |s| self.matches_from(&s, country, threshold))
    }

    /// The country-independent part of screening a name: its query tokens and every candidate
    /// name scored. Which candidates are scored depends only on whether a country will be
    /// given (it lowers the score a name must be able to reach), so one `Scoring` serves a name
    /// screened for many countries — a book names the same consignee with many headquarters.
    pub fn score_name(&self, name: &str, with_country: bool, threshold: f64) -> Option<Scoring> {
        self.score_tokens(&normalize::tokens(name), with_country, threshold)
    }

    fn score_tokens(
        &self,
        tokens: &[String],
        with_country: bool,
        threshold: f64,
    ) -> Option<Scoring> {
        let tokens = self.without_misspelt_legal_forms(tokens);
        if tokens.is_empty() {
            return None;
        }
        let tokens = &tokens[..];
        let mut counts = vec![0u16; self.vocab.tokens.len()];
        let query: Vec<QueryToken> = tokens.iter().map(|t| self.expand(t, &mut counts)).collect();
        let mut scored = self.exact_matches(tokens);
        // Exact names are scored already; a truncated name is scored (and capped) like any other.
        let already: Vec<u32> = scored.iter().map(|s| s.name).collect();
        for name in self.candidates(&query, with_country, threshold) {
            if !already.contains(&name) {
                scored.push(self.score_name_id(&query, name));
            }
        }
        Some(Scoring { query, scored })
    }

    /// The matches of a scored name for a party in `country`: at least `threshold` with the
    /// country's corroboration, best first, at most [`MAX_MATCHES`]. `scoring` must have been
    /// made for the same threshold, with a country exactly when `country` is given.
    pub fn matches_from(
        &self,
        scoring: &Scoring,
        country: Option<CountryCode>,
        threshold: f64,
    ) -> Vec<Match> {
        let best = self.best_per_entry(&scoring.scored, country);
        let mut matches: Vec<(&Scored, f64)> = best
            .into_iter()
            .filter(|(_, score)| *score >= threshold)
            .collect();
        matches.sort_by(|a, b| self.rank(a, b));
        matches.truncate(MAX_MATCHES);
        matches
            .into_iter()
            .map(|(s, score)| self.to_match(&scoring.query, s, score, country))
            .collect()
    }

    /// The query's tokens less legal-form words with a typo ("Limitde"), unless the list itself
    /// has the word or nothing else would be left.
    fn without_misspelt_legal_forms(&self, tokens: &[String]) -> Vec<String> {
        let kept: Vec<String> = tokens
            .iter()
            .filter(|t| {
                self.vocab.ids.contains_key(t.as_str()) || !normalize::resembles_legal_form_word(t)
            })
            .cloned()
            .collect();
        if kept.is_empty() {
            tokens.to_vec()
        } else {
            kept
        }
    }

    /// The query token, its exact vocabulary id if any, and the vocabulary tokens that share
    /// enough trigrams and are Jaro-Winkler-similar. `counts` is scratch space, zero on entry
    /// and on return.
    fn expand(&self, text: &str, counts: &mut [u16]) -> QueryToken {
        let exact = self.vocab.ids.get(text).copied();
        let mut similar: Vec<(u32, f64)> = exact.map(|id| (id, 1.0)).into_iter().collect();
        if text.len() >= MIN_FUZZY_LEN {
            let mut fuzzy = self.fuzzy_neighbours(text, counts);
            fuzzy.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            fuzzy.truncate(MAX_EXPANSIONS);
            similar.extend(fuzzy);
        }
        // A misspelt token weighs what its listed spelling weighs; a token nothing resembles
        // is as distinctive as a token can be.
        let weight = similar
            .first()
            .map_or(self.vocab.unknown_idf, |&(id, _)| self.vocab.idf(id));
        QueryToken {
            text: text.to_string(),
            weight,
            similar,
        }
    }

    fn fuzzy_neighbours(&self, text: &str, counts: &mut [u16]) -> Vec<(u32, f64)> {
        let grams = trigrams(text);
        let mut touched: Vec<u32> = Vec::new();
        for gram in &grams {
            for &id in self.vocab.grams.get(gram).map_or(&[][..], Vec::as_slice) {
                let c = &mut counts[id as usize];
                if *c == 0 {
                    touched.push(id);
                }
                *c = c.saturating_add(1);
            }
        }
        let mut out = Vec::new();
        for id in touched {
            let shared = std::mem::take(&mut counts[id as usize]);
            let other = self.vocab.text(id);
            let total = grams.len() + usize::from(self.vocab.gram_counts[id as usize]);
            let dice = 2.0 * f64::from(shared) / total as f64;
            if dice < MIN_GRAM_DICE || other == text || !comparable_lengths(text, other) {
                continue;
            }
            let similarity = strsim::jaro_winkler(text, other);
            if similarity >= TOKEN_MIN_SIMILARITY {
                out.push((id, similarity));
            }
        }
        out
    }

    /// Names that share enough weighted tokens with the query to possibly reach the threshold.
    ///
    /// With paired tokens weighing about the same on both sides, a query whose matched share of
    /// weight is `r` scores at most about 2r / (1 + r); names below the `r` that the threshold
    /// needs (with a 15 % margin, and the country bonus allowed for) are not scored.
    fn candidates(&self, query: &[QueryToken], with_country: bool, threshold: f64) -> Vec<u32> {
        let query_weight: f64 = query.iter().map(|q| q.weight).sum();
        let bonus = if with_country { COUNTRY_WEIGHT } else { 0.0 };
        let needed = ((threshold - bonus) / (1.0 - bonus)).clamp(0.0, 1.0);
        let min_share = 0.85 * needed / (2.0 - needed);
        let mut overlap = vec![0f64; self.names.len()];
        let mut touched: Vec<u32> = Vec::new();
        for q in query {
            for &(token, similarity) in &q.similar {
                for &name in &self.postings[token as usize] {
                    let o = &mut overlap[name as usize];
                    if *o == 0.0 {
                        touched.push(name);
                    }
                    *o += q.weight * effective(similarity);
                }
            }
        }
        let mut candidates: Vec<(u32, f64)> = touched
            .into_iter()
            .map(|n| (n, overlap[n as usize]))
            .filter(|&(_, o)| o >= min_share * query_weight)
            .collect();
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        candidates.truncate(MAX_CANDIDATES);
        candidates.into_iter().map(|(n, _)| n).collect()
    }

    /// Names equal to the query once normalised: same tokens in any order, or the same letters
    /// ignoring spaces ("Hua Wei" = "Huawei").
    fn exact_matches(&self, tokens: &[String]) -> Vec<Scored> {
        let texts: Vec<&str> = tokens.iter().map(String::as_str).collect();
        let by_tokens = self.exact.get(sorted_key(&texts).as_str());
        let by_letters = self.compact.get(texts.concat().as_str());
        let mut names: Vec<u32> = by_tokens
            .into_iter()
            .chain(by_letters)
            .flatten()
            .copied()
            .collect();
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .filter(|&name| self.names[name as usize].kind != NameKind::Truncated)
            .map(|name| Scored {
                name,
                score: 1.0,
                exact: true,
                pairs: self.exact_pairs(tokens, &self.names[name as usize]),
            })
            .collect()
    }

    /// Pairs of identical tokens, for the explanation of an exact match.
    fn exact_pairs(&self, tokens: &[String], name: &IndexedName) -> Vec<(usize, usize, f64)> {
        let mut used = vec![false; name.tokens.len()];
        let mut pairs = Vec::new();
        for (qi, token) in tokens.iter().enumerate() {
            let found = name
                .tokens
                .iter()
                .enumerate()
                .find(|(pos, t)| !used[*pos] && self.vocab.text(**t) == token);
            if let Some((pos, _)) = found {
                used[pos] = true;
                pairs.push((qi, pos, 1.0));
            }
        }
        pairs
    }

    /// Scores one listed name against the query (see the module documentation).
    fn score_name_id(&self, query: &[QueryToken], name_id: u32) -> Scored {
        let name = &self.names[name_id as usize];
        let mut options: Vec<(usize, usize, f64)> = Vec::new();
        for (qi, q) in query.iter().enumerate() {
            for (pos, &token) in name.tokens.iter().enumerate() {
                if let Some(similarity) = q.similarity_to(token) {
                    options.push((qi, pos, similarity));
                }
            }
        }
        // Best pairs first; among equals, the heavier (rarer) token.
        options.sort_by(|a, b| {
            b.2.total_cmp(&a.2).then_with(|| {
                let wa = self.vocab.idf(name.tokens[a.1]);
                let wb = self.vocab.idf(name.tokens[b.1]);
                wb.total_cmp(&wa)
            })
        });
        let mut query_used = vec![false; query.len()];
        let mut name_used = vec![false; name.tokens.len()];
        let mut pairs = Vec::new();
        let mut matched = 0.0;
        for (qi, pos, similarity) in options {
            if query_used[qi] || name_used[pos] {
                continue;
            }
            query_used[qi] = true;
            name_used[pos] = true;
            let weight = query[qi].weight + self.vocab.idf(name.tokens[pos]);
            matched += effective(similarity) * weight;
            pairs.push((qi, pos, similarity));
        }
        let query_weight: f64 = query.iter().map(|q| q.weight).sum();
        let total = query_weight + name.weight;
        let cap = if name.kind == NameKind::Truncated {
            TRUNCATED_NAME_CAP
        } else {
            1.0
        };
        let score = if total > 0.0 {
            (matched / total).clamp(0.0, cap)
        } else {
            0.0
        };
        // Normalised equality was found by `exact_matches`, before scoring.
        Scored {
            name: name_id,
            score,
            exact: false,
            pairs,
        }
    }

    /// The best-scoring name of each entry, with the country bonus applied.
    fn best_per_entry<'s>(
        &self,
        scored: &'s [Scored],
        country: Option<CountryCode>,
    ) -> Vec<(&'s Scored, f64)> {
        let mut best: HashMap<u32, (&'s Scored, f64)> = HashMap::new();
        for s in scored {
            let entry = self.names[s.name as usize].entry;
            let corroborated =
                country.is_some_and(|c| self.list.entries[entry as usize].countries.contains(&c));
            let score = if corroborated {
                s.score + COUNTRY_WEIGHT * (1.0 - s.score)
            } else {
                s.score
            };
            let better = best.get(&entry).is_none_or(|(held, held_score)| {
                (score, s.exact) > (*held_score, held.exact)
                    || (score == *held_score
                        && self.names[s.name as usize].kind < self.names[held.name as usize].kind)
            });
            if better {
                best.insert(entry, (s, score));
            }
        }
        best.into_values().collect()
    }

    /// Best first: score, exact before fuzzy, a whole name or alias before a name found inside
    /// one, BIS lists before others, then list order.
    fn rank(&self, a: &(&Scored, f64), b: &(&Scored, f64)) -> std::cmp::Ordering {
        let entry = |s: &Scored| self.names[s.name as usize].entry as usize;
        let kind = |s: &Scored| self.names[s.name as usize].kind;
        b.1.total_cmp(&a.1)
            .then(b.0.exact.cmp(&a.0.exact))
            .then_with(|| kind(a.0).cmp(&kind(b.0)))
            .then_with(|| {
                let la = &self.list.entries[entry(a.0)].list;
                let lb = &self.list.entries[entry(b.0)].list;
                la.cmp(lb)
            })
            .then_with(|| entry(a.0).cmp(&entry(b.0)))
    }

    fn to_match(
        &self,
        query: &[QueryToken],
        s: &Scored,
        score: f64,
        country: Option<CountryCode>,
    ) -> Match {
        let name = &self.names[s.name as usize];
        let entry = &self.list.entries[name.entry as usize];
        let mut why = self.explain_tokens(query, s, name);
        explain_country(&mut why, &entry.countries, country);
        Match {
            entry: name.entry as usize,
            list: entry.list.clone(),
            entry_name: entry.name.clone(),
            matched_name: name.text.to_string(),
            via_alias: name.kind == NameKind::Alias,
            entity_number: entry.entity_number.clone(),
            score,
            exact: s.exact,
            why,
        }
    }

    /// "all tokens of 'inspur group' match alias 'INSPUR GROUP CO LTD'" or
    /// "name 'X': 'huawei' = 'huawei', 'technologies' ≈ 'technology' (0.96); 1 token of the
    /// entry unmatched ('longshine')".
    fn explain_tokens(&self, query: &[QueryToken], s: &Scored, name: &IndexedName) -> String {
        let query_text: Vec<&str> = query.iter().map(|q| q.text.as_str()).collect();
        let query_text = query_text.join(" ");
        let what = match name.kind {
            NameKind::Primary => "name",
            NameKind::Alias => "alias",
            NameKind::Embedded => "part of the name",
            NameKind::Truncated => "the name up to its legal form",
        };
        let all_paired = s.pairs.len() == query.len() && s.pairs.len() == name.tokens.len();
        if s.exact && all_paired {
            let in_order = s.pairs.iter().all(|&(qi, pos, _)| qi == pos);
            let order = if in_order { "" } else { " (in another order)" };
            return format!(
                "all tokens of '{query_text}' match {what} '{}'{order}",
                name.text
            );
        }
        if s.exact {
            return format!(
                "'{query_text}' equals {what} '{}' ignoring spaces",
                name.text
            );
        }
        let mut why = format!("{what} '{}': ", name.text);
        let pairs: Vec<String> = s
            .pairs
            .iter()
            .map(|&(qi, pos, similarity)| {
                let listed = self.vocab.text(name.tokens[pos]);
                if similarity >= 1.0 {
                    format!("'{}' = '{listed}'", query[qi].text)
                } else {
                    format!("'{}' ≈ '{listed}' ({similarity:.2})", query[qi].text)
                }
            })
            .collect();
        why.push_str(&pairs.join(", "));
        let unmatched_query: Vec<&str> = (0..query.len())
            .filter(|qi| !s.pairs.iter().any(|p| p.0 == *qi))
            .map(|qi| query[qi].text.as_str())
            .collect();
        let unmatched_entry: Vec<&str> = (0..name.tokens.len())
            .filter(|pos| !s.pairs.iter().any(|p| p.1 == *pos))
            .map(|pos| self.vocab.text(name.tokens[pos]))
            .collect();
        push_unmatched(&mut why, "the query", &unmatched_query);
        push_unmatched(&mut why, "the entry", &unmatched_entry);
        why
    }
}

fn push_unmatched(why: &mut String, side: &str, tokens: &[&str]) {
    if tokens.is_empty() {
        return;
    }
    let noun = if tokens.len() == 1 { "token" } else { "tokens" };
    let list: Vec<String> = tokens.iter().map(|t| format!("'{t}'")).collect();
    let _ = write!(
        why,
        "; {} {noun} of {side} unmatched ({})",
        tokens.len(),
        list.join(", ")
    );
}

/// "; address country CN" — and whether it agrees with the party's country.
fn explain_country(why: &mut String, listed: &[CountryCode], party: Option<CountryCode>) {
    let codes: Vec<&str> = listed.iter().map(CountryCode::as_str).collect();
    let noun = if codes.len() == 1 {
        "address country"
    } else {
        "address countries"
    };
    let _ = match (party, codes.is_empty()) {
        (None, true) => Ok(()),
        (None, false) => write!(why, "; {noun} {}", codes.join(", ")),
        (Some(_), true) => write!(why, "; no address country listed"),
        (Some(p), false) if listed.contains(&p) => {
            write!(why, "; {noun} {} (corroborates {p})", codes.join(", "))
        }
        (Some(p), false) => write!(why, "; {noun} {} (party in {p})", codes.join(", ")),
    };
}

fn comparable_lengths(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() {
        (a.len(), b.len())
    } else {
        (b.len(), a.len())
    };
    // Jaro-Winkler rewards a shared prefix so much that "sakura" ≈ "sara" (0.91): tokens whose
    // lengths differ by more than a quarter do not pair.
    short.saturating_mul(4) >= long.saturating_mul(3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cc;
    use crate::screening::list::{Entry, ScreeningList};
    use std::sync::{Arc, OnceLock};

    fn entry(name: &str, aliases: &[&str], list: ListKind, countries: &[CountryCode]) -> Entry {
        Entry {
            name: name.into(),
            alt_names: aliases.iter().map(|a| a.to_string()).collect(),
            list,
            entity_number: Some(format!("n-{}", name.len())),
            countries: countries.to_vec(),
            license_requirement: None,
            license_policy: None,
            federal_register_notice: None,
            programs: Vec::new(),
            source_list_url: None,
            entry_type: Some("Entity".into()),
        }
    }

    /// A small list with the shapes that matter, padded with ordinary listed names so that
    /// token rarity means something.
    fn small_index() -> ScreeningIndex {
        let mut entries = vec![
            entry(
                "HUAWEI TECHNOLOGIES CO., LTD.",
                &[],
                ListKind::EntityList,
                &[cc!("CN")],
            ),
            entry(
                "INSPUR GROUP CO., LTD.",
                &["INSPUR GROUP CO LTD", "Langchao Group"],
                ListKind::EntityList,
                &[cc!("CN")],
            ),
            entry("ZTE Corporation", &[], ListKind::EntityList, &[cc!("CN")]),
            entry(
                "Société Générale d'Électronique Avancée",
                &[],
                ListKind::Sdn,
                &[cc!("FR")],
            ),
            entry(
                "Rosoboronexport",
                &["Russian Defense Export Agency"],
                ListKind::Sdn,
                &[cc!("RU")],
            ),
            entry(
                "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Huawei Marine Networks Co., Ltd.",
                &[],
                ListKind::EntityList,
                &[cc!("CN")],
            ),
        ];
        for (i, filler) in [
            "China Electronics Technology Group Corporation",
            "China Aerospace Science and Technology Corporation",
            "Shenzhen International Trading Co",
            "Beijing Technology Group",
            "Global Electronics International",
            "Zenith Telecom Engineering Ltd",
            "Tehran Trading Company",
            "Moscow Machine Building Plant",
        ]
        .iter()
        .enumerate()
        {
            let list = if i % 2 == 0 {
                ListKind::Sdn
            } else {
                ListKind::Unverified
            };
            entries.push(entry(filler, &[], list, &[]));
        }
        let list = ScreeningList::new("2026-07-31".into(), "test".into(), entries);
        ScreeningIndex::build(Arc::new(list))
    }

    fn embedded_index() -> &'static ScreeningIndex {
        static INDEX: OnceLock<ScreeningIndex> = OnceLock::new();
        INDEX.get_or_init(|| ScreeningIndex::build(Arc::new(ScreeningList::embedded())))
    }

    #[test]
    fn legal_form_and_punctuation_variants_match_exactly() {
        let index = small_index();
        let m = index.screen("Huawei Technologies Co., Ltd.", None, DEFAULT_THRESHOLD);
        assert_eq!(m[0].entry_name, "HUAWEI TECHNOLOGIES CO., LTD.");
        assert!(m[0].exact && m[0].score == 1.0, "{m:?}");
        assert_eq!(m[0].strength(), MatchStrength::Exact);
        assert_eq!(m[0].list, ListKind::EntityList);
        assert!(
            m[0].why
                .starts_with("all tokens of 'huawei technologies' match name"),
            "{}",
            m[0].why
        );
    }

    #[test]
    fn token_order_does_not_matter() {
        let index = small_index();
        let m = index.screen("Technologies Huawei", None, DEFAULT_THRESHOLD);
        assert!(m[0].exact, "{m:?}");
        assert!(m[0].why.contains("in another order"), "{}", m[0].why);
        let m = index.screen("Group Inspur Ltd", None, DEFAULT_THRESHOLD);
        assert_eq!(m[0].entry_name, "INSPUR GROUP CO., LTD.");
    }

    #[test]
    fn diacritics_are_ignored() {
        let index = small_index();
        let m = index.screen(
            "SOCIETE GENERALE D ELECTRONIQUE AVANCEE",
            None,
            DEFAULT_THRESHOLD,
        );
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].score >= 0.99, "{m:?}");
        let m = index.screen(
            "Société Générale d’Électronique Avancée SA",
            None,
            DEFAULT_THRESHOLD,
        );
        assert!(m[0].exact, "{m:?}");
    }

    #[test]
    fn aliases_match_and_say_so() {
        let index = small_index();
        let m = index.screen("Russian Defence Export Agency", None, DEFAULT_THRESHOLD);
        assert_eq!(m[0].entry_name, "Rosoboronexport");
        assert_eq!(m[0].matched_name, "Russian Defense Export Agency");
        assert!(m[0].via_alias && !m[0].exact, "{m:?}");
        assert!(m[0].why.contains("'defence' ≈ 'defense'"), "{}", m[0].why);
        let m = index.screen("Langchao Group", None, DEFAULT_THRESHOLD);
        assert!(m[0].exact && m[0].via_alias, "{m:?}");
    }

    #[test]
    fn short_names_match_exactly_and_only_exactly() {
        let index = small_index();
        let m = index.screen("ZTE", None, DEFAULT_THRESHOLD);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].entry_name, "ZTE Corporation");
        assert!(m[0].exact);
        // A short token never pairs with a different short token or a long name's words.
        assert!(index.screen("ZTA", None, 0.3).is_empty());
        let zenith = index.screen("Zenith Telecom Engineering", None, DEFAULT_THRESHOLD);
        assert!(
            zenith.iter().all(|m| m.entry_name != "ZTE Corporation"),
            "{zenith:?}"
        );
    }

    #[test]
    fn one_typo_is_a_possible_match() {
        let index = small_index();
        let m = index.screen("Huawai Technologies", None, DEFAULT_THRESHOLD);
        assert_eq!(m[0].entry_name, "HUAWEI TECHNOLOGIES CO., LTD.");
        assert_eq!(m[0].strength(), MatchStrength::Possible);
        assert!(m[0].score >= DEFAULT_THRESHOLD && m[0].score < 1.0, "{m:?}");
        assert!(m[0].why.contains("'huawai' ≈ 'huawei'"), "{}", m[0].why);
    }

    #[test]
    fn the_affiliate_inside_an_entity_list_name_is_found() {
        let index = small_index();
        let m = index.screen("Huawei Marine Networks", None, DEFAULT_THRESHOLD);
        assert!(m[0].exact, "{m:?}");
        assert!(m[0].entry_name.contains("Affiliated Entity"));
        assert_eq!(m[0].matched_name, "Huawei Marine Networks Co., Ltd.");
        assert!(m[0].why.contains("part of the name"), "{}", m[0].why);
    }

    #[test]
    fn address_country_corroborates_but_never_filters() {
        let index = small_index();
        let query = "Huawai Technologies";
        let plain = index.screen(query, None, DEFAULT_THRESHOLD)[0].score;
        let same = &index.screen(query, Some(cc!("CN")), DEFAULT_THRESHOLD)[0];
        let other = &index.screen(query, Some(cc!("IN")), DEFAULT_THRESHOLD)[0];
        assert!(same.score > plain, "{} vs {plain}", same.score);
        assert_eq!(other.score, plain);
        assert!(
            same.why.ends_with("address country CN (corroborates CN)"),
            "{}",
            same.why
        );
        assert!(
            other.why.ends_with("address country CN (party in IN)"),
            "{}",
            other.why
        );
    }

    #[test]
    fn nothing_to_screen_matches_nothing() {
        let index = small_index();
        assert!(index.screen("", None, 0.0).is_empty());
        assert!(index.screen(" .,;- ", None, 0.0).is_empty());
        assert!(
            index
                .screen("Northwind Cloud Inc.", None, DEFAULT_THRESHOLD)
                .is_empty()
        );
    }

    #[test]
    fn cache_serves_any_spelling_of_a_name_once_screened() {
        let index = small_index();
        let mut cache = crate::screening::ScreeningCache::new();
        let first = index
            .screen_cached(&mut cache, "Inspur Group", None, DEFAULT_THRESHOLD)
            .to_vec();
        let again = index
            .screen_cached(
                &mut cache,
                "INSPUR GROUP CO., LTD.",
                None,
                DEFAULT_THRESHOLD,
            )
            .to_vec();
        assert_eq!(first, again);
        assert_eq!(first, index.screen("Inspur Group", None, DEFAULT_THRESHOLD));
        assert_eq!(cache.stats(), (1, 1));
        // Another index (a reloaded list) never sees this index's results.
        let other = small_index();
        other.screen_cached(&mut cache, "Inspur Group", None, DEFAULT_THRESHOLD);
        assert_eq!(cache.stats(), (1, 2));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn common_words_alone_do_not_match_the_list() {
        let index = embedded_index();
        for query in [
            "China",
            "Technology",
            "International",
            "Group",
            "China Technology Group",
            "Shenzhen Electronics Technology Co., Ltd.",
            "International Trading Company",
        ] {
            // At most a few: "China Technology Group" reaches the three China Electronics
            // Technology Group (CETC) entries at 0.84, a possible match a reviewer can defend.
            let m = index.screen(query, None, DEFAULT_THRESHOLD);
            assert!(
                m.len() <= 3,
                "{query}: {:?}",
                m.iter()
                    .map(|m| (&m.matched_name, m.score))
                    .collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn well_known_parties_are_found_on_the_shipped_list() {
        let index = embedded_index();
        let m = index.screen("Inspur Group", Some(cc!("CN")), DEFAULT_THRESHOLD);
        assert!(
            m.iter().any(|m| m.exact && m.list == ListKind::EntityList),
            "{m:?}"
        );
        let m = index.screen("Huawei Technologies Co., Ltd.", None, DEFAULT_THRESHOLD);
        assert!(m.len() >= 2 && m.iter().take(2).all(|m| m.exact), "{m:?}");
        let m = index.screen("ZTE", None, DEFAULT_THRESHOLD);
        assert!(m.len() <= 3, "{m:?}");
    }
}
