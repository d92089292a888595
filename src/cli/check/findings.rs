//! Finding objects rendered once and reused: most rows repeat the same few findings ("India is
//! Tier 2…", "Item classified 3A090.a…"), and formatting their messages was a quarter of the
//! time `check` took.
//!
//! A finding's JSON depends only on the finding (code, payload, severity), the engine, and the
//! consignee's name, which some messages quote. The name is not part of the cache key: the
//! message is rendered once with a marker where the name goes, and the marker becomes a hole
//! that each row fills with its own consignee. So "Bharat Compute is treated as a Tier 2
//! entity…" is one entry for every consignee headquartered in India.
//!
//! The cache is direct-mapped (one slot per fingerprint): bounded memory and no clearing pauses.
//! Findings whose payload is unique to a row (LPP room left, allocation left; about 0.7 per row
//! in a synthetic book) are rendered each time; an entry that has been hit keeps its slot against
//! as many of them as it had hits, so the findings every row repeats stay cached.

use super::fingerprint::fingerprint;
use super::json;
use crate::rules::Engine;
use crate::rules::decision::Finding;

/// Slots in the cache (a power of two).
const SLOTS: usize = 1 << 14;

/// Stands for the consignee's name while a message is rendered: a Unicode noncharacter, which
/// no country name, citation or number contains.
const CONSIGNEE_MARK: &str = "\u{FDD0}";

struct Entry {
    /// Hits, less misses that wanted the slot since: an entry that keeps being used stays.
    credit: u8,
    fp: u64,
    finding: Finding,
    /// The finding's JSON object, with the consignee's name left out at each of `holes`.
    json: Vec<u8>,
    holes: Vec<usize>,
}

pub struct FindingCache<'e> {
    engine: &'e Engine,
    slots: Vec<Option<Entry>>,
    /// A finding rendered without taking a slot (its slot's entry is in use).
    spare: Option<Entry>,
}

impl<'e> FindingCache<'e> {
    pub fn new(engine: &'e Engine) -> Self {
        Self {
            engine,
            slots: (0..SLOTS).map(|_| None).collect(),
            spare: None,
        }
    }

    /// Appends the finding's JSON object; `consignee` is the name, already JSON-escaped.
    pub fn write(&mut self, out: &mut Vec<u8>, f: &Finding, consignee: &[u8]) {
        let fp = fingerprint(f);
        let slot = &mut self.slots[(fp as usize) & (SLOTS - 1)];
        let e: &Entry = match slot {
            Some(e) if e.fp == fp && e.finding == *f => {
                e.credit = e.credit.saturating_add(1);
                e
            }
            // Findings unique to a row (the LPP room left, the allocation left) would otherwise
            // evict the ones every row repeats: an entry in use keeps its slot for a while.
            Some(e) if e.credit > 0 => {
                e.credit -= 1;
                let spare = self.spare.get_or_insert_with(Entry::empty);
                spare.fill(self.engine, fp, f);
                spare
            }
            _ => {
                let e = slot.get_or_insert_with(Entry::empty);
                e.fill(self.engine, fp, f);
                e
            }
        };
        let mut from = 0;
        for &hole in &e.holes {
            out.extend_from_slice(&e.json[from..hole]);
            out.extend_from_slice(consignee);
            from = hole;
        }
        out.extend_from_slice(&e.json[from..]);
    }
}

impl Entry {
    fn empty() -> Self {
        Self {
            credit: 0,
            fp: 0,
            finding: Finding {
                code: crate::rules::decision::FindingCode::WorldwideLicense,
                severity: crate::rules::Severity::Info,
            },
            json: Vec::new(),
            holes: Vec::new(),
        }
    }

    /// Renders `f` into this entry (reusing its buffers):
    /// `{"code":…,"severity":…,"cite":…,"confidence":…,"message":…}` with holes for the consignee.
    fn fill(&mut self, engine: &Engine, fp: u64, f: &Finding) {
        let basis = f.basis(engine);
        let out = &mut self.json;
        out.clear();
        out.extend_from_slice(b"{\"code\":");
        json::plain(out, f.code_str());
        out.extend_from_slice(b",\"severity\":");
        json::plain(out, f.severity.as_str());
        out.extend_from_slice(b",\"cite\":");
        json::string(out, basis.cite);
        out.extend_from_slice(b",\"confidence\":");
        json::plain(out, basis.confidence.label());
        out.extend_from_slice(b",\"message\":\"");
        let message = f.message(engine, CONSIGNEE_MARK);
        self.holes.clear();
        let mut from = 0;
        for at in memchr::memmem::find_iter(message.as_bytes(), CONSIGNEE_MARK) {
            json::escape_into(out, &message[from..at]);
            self.holes.push(out.len());
            from = at + CONSIGNEE_MARK.len();
        }
        json::escape_into(out, &message[from..]);
        out.extend_from_slice(b"\"}");
        self.credit = 0;
        self.fp = fp;
        self.finding = *f;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Scenario;
    use crate::session::synthetic::synthetic_orders;

    /// Every finding of a synthetic book, rendered through the cache, equals its message
    /// rendered directly for that consignee (names with quotes and backslashes included).
    #[test]
    fn cached_findings_match_direct_rendering() {
        let engine = Engine::embedded();
        let mut orders = synthetic_orders(&engine, 3000, 9);
        for (i, o) in orders.iter_mut().enumerate().step_by(7) {
            o.consignee = format!("\"Quoted\" \\ Lab {}\tß", i % 5);
        }
        let decisions = engine.evaluate_book(&Scenario::default(), &orders);
        let mut cache = FindingCache::new(&engine);
        let (mut got, mut name) = (Vec::new(), Vec::new());
        for (o, d) in orders.iter().zip(&decisions) {
            name.clear();
            json::escape_into(&mut name, &o.consignee);
            for f in &d.findings {
                got.clear();
                cache.write(&mut got, f, &name);
                let v: serde_json::Value = serde_json::from_slice(&got).unwrap();
                assert_eq!(v["message"], f.message(&engine, &o.consignee));
                assert_eq!(v["code"], f.code_str());
                assert_eq!(v["cite"], f.basis(&engine).cite);
            }
        }
    }
}
