//! Findings stored once per window and rendered once while in use.
//!
//! Most rows repeat the same few findings ("India is Tier 2…", "Item classified 3A090.a…"). A
//! window's decisions therefore keep their findings as indices into a [`FindingTable`] of the
//! distinct ones (4 bytes a finding instead of 40), and [`FindingCache`] keeps their JSON, so
//! each distinct message is formatted once while it is in use.
//!
//! A finding's JSON depends only on the finding (code, payload, severity), the engine, and the
//! consignee's name, which some messages quote. The name is not part of the cache key: the
//! message is rendered once with a marker where the name goes, and the marker becomes a hole
//! that each row fills with its own consignee. So "Bharat Compute is treated as a Tier 2
//! entity…" is one entry for every consignee headquartered in India.
//!
//! The cache is direct-mapped (one slot per table index): bounded memory and no clearing
//! pauses. Findings whose payload is unique to a row (LPP room left, allocation left; about 0.7
//! per row in a synthetic book) are rendered each time; an entry that has been hit keeps its
//! slot against as many of them as it had hits, so the findings every row repeats stay cached.

use super::RunContext;
use super::fingerprint::fingerprint;
use super::json;
use crate::rules::{Finding, FindingContext, Order, Screening};
use std::collections::hash_map::Entry as MapEntry;

/// Slots in the cache (a power of two).
const SLOTS: usize = 1 << 14;

/// Stands for the consignee's name while a message is rendered: a Unicode noncharacter, which
/// no country name, citation or number contains.
const CONSIGNEE_MARK: &str = "\u{FDD0}";

/// Where the next [`CONSIGNEE_MARK`] at or after `from` is. Its first byte is rare in messages
/// (only characters from U+F000 start with it), so a byte search finds it quickly.
fn find_mark(message: &str, from: usize) -> Option<usize> {
    let bytes = message.as_bytes();
    let first = CONSIGNEE_MARK.as_bytes()[0];
    let mut at = from;
    while let Some(i) = memchr::memchr(first, &bytes[at..]) {
        if bytes[at + i..].starts_with(CONSIGNEE_MARK.as_bytes()) {
            return Some(at + i);
        }
        at += i + 1;
    }
    None
}

/// The distinct findings of a window; a finding is named by its index.
#[derive(Default)]
pub struct FindingTable {
    findings: Vec<Finding>,
    /// Fingerprint → the index of the finding with it (findings are `f64`-bearing, not `Hash`).
    by_fingerprint: std::collections::HashMap<u64, u32, foldhash::fast::RandomState>,
}

impl FindingTable {
    /// The index of `f`, added if new.
    pub fn intern(&mut self, f: &Finding) -> u32 {
        let next = u32::try_from(self.findings.len()).expect("fewer than 2^32 findings");
        match self.by_fingerprint.entry(fingerprint(f)) {
            MapEntry::Occupied(e) if self.findings[*e.get() as usize] == *f => return *e.get(),
            // Two findings with one fingerprint (or a NaN payload): the newcomer is stored
            // without an index entry, which costs a duplicate, never a wrong finding.
            MapEntry::Occupied(_) => {}
            MapEntry::Vacant(e) => {
                e.insert(next);
            }
        }
        self.findings.push(*f);
        next
    }

    pub fn get(&self, i: u32) -> &Finding {
        &self.findings[i as usize]
    }
}

struct Entry {
    /// Hits, less misses that wanted the slot since: an entry that keeps being used stays.
    credit: u8,
    /// The finding's index in the table.
    index: u32,
    /// The finding's JSON object, with the consignee's name left out at each of `holes`.
    json: Vec<u8>,
    holes: Vec<usize>,
}

/// What a cached message is rendered with: an order whose consignee is the mark (holes), and
/// the run's list vintage. Everything else a cacheable message says is in the finding.
struct Template<'e> {
    run: &'e RunContext<'e>,
    order: Order,
    screening: Screening,
}

impl Template<'_> {
    fn context(&self) -> FindingContext<'_> {
        self.run.finding_context(&self.order, Some(&self.screening))
    }
}

pub struct FindingCache<'e> {
    template: Template<'e>,
    table: &'e FindingTable,
    slots: Vec<Option<Entry>>,
    /// A finding rendered without taking a slot (its slot's entry is in use).
    spare: Option<Entry>,
}

impl<'e> FindingCache<'e> {
    pub fn new(run: &'e RunContext<'e>, table: &'e FindingTable) -> Self {
        let mut order = super::book::scratch_order();
        order.consignee = CONSIGNEE_MARK.to_string();
        let screening = Screening::clear(run.vintage.clone().unwrap_or_default());
        Self {
            template: Template {
                run,
                order,
                screening,
            },
            table,
            // Allocated on first use: a cache that renders only invalid rows costs nothing.
            slots: Vec::new(),
            spare: None,
        }
    }

    /// Appends the JSON object of finding `index` of the table for the row in `row`;
    /// `consignee` is its consignee's name, already JSON-escaped. Findings whose message needs
    /// more than the consignee (the parent, screening matches, licences) are rendered in full.
    pub fn write(&mut self, out: &mut Vec<u8>, index: u32, consignee: &[u8], row: &FindingContext) {
        let f = self.table.get(index);
        if f.depends_on_context() {
            write_finding(out, f, row);
            return;
        }
        if self.slots.is_empty() {
            self.slots = (0..SLOTS).map(|_| None).collect();
        }
        let slot = &mut self.slots[index as usize & (SLOTS - 1)];
        let e: &Entry = match slot {
            Some(e) if e.index == index => {
                e.credit = e.credit.saturating_add(1);
                e
            }
            // Findings unique to a row (the LPP room left, the allocation left) would otherwise
            // evict the ones every row repeats: an entry in use keeps its slot for a while.
            Some(e) if e.credit > 0 => {
                e.credit -= 1;
                let spare = self.spare.get_or_insert_with(Entry::empty);
                spare.fill(&self.template.context(), index, self.table.get(index));
                spare
            }
            _ => {
                let e = slot.get_or_insert_with(Entry::empty);
                e.fill(&self.template.context(), index, self.table.get(index));
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
            index: u32::MAX,
            json: Vec::new(),
            holes: Vec::new(),
        }
    }

    /// Renders `f` into this entry (reusing its buffers):
    /// `{"code":…,"severity":…,"cite":…,"confidence":…,"message":…}` with holes for the consignee.
    fn fill(&mut self, ctx: &FindingContext, index: u32, f: &Finding) {
        let basis = f.basis(ctx);
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
        let message = f.message(ctx);
        self.holes.clear();
        let mut from = 0;
        while let Some(at) = find_mark(&message, from) {
            json::escape_into(out, &message[from..at]);
            self.holes.push(out.len());
            from = at + CONSIGNEE_MARK.len();
        }
        json::escape_into(out, &message[from..]);
        out.extend_from_slice(b"\"}");
        self.credit = 0;
        self.index = index;
    }
}

/// A finding's JSON object rendered in full for its row (no cache).
fn write_finding(out: &mut Vec<u8>, f: &Finding, ctx: &FindingContext) {
    let basis = f.basis(ctx);
    out.extend_from_slice(b"{\"code\":");
    json::plain(out, f.code_str());
    out.extend_from_slice(b",\"severity\":");
    json::plain(out, f.severity.as_str());
    out.extend_from_slice(b",\"cite\":");
    json::string(out, basis.cite);
    out.extend_from_slice(b",\"confidence\":");
    json::plain(out, basis.confidence.label());
    out.extend_from_slice(b",\"message\":");
    json::string(out, &f.message(ctx));
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Engine, Scenario};
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
        for (i, o) in orders.iter_mut().enumerate().step_by(5) {
            o.parent = Some(format!("Parent {}", i % 3));
            o.parent_hq = Some(crate::cc!("US"));
        }
        let decisions = engine.evaluate_book(&Scenario::default(), &orders);
        let mut table = FindingTable::default();
        let ids: Vec<Vec<u32>> = decisions
            .iter()
            .map(|d| d.findings.iter().map(|f| table.intern(f)).collect())
            .collect();
        assert!(
            table.findings.len() < decisions.len() * 2,
            "findings are shared"
        );
        let run = RunContext::new(&engine);
        let mut cache = FindingCache::new(&run, &table);
        let (mut got, mut name) = (Vec::new(), Vec::new());
        for ((o, d), ids) in orders.iter().zip(&decisions).zip(&ids) {
            name.clear();
            json::escape_into(&mut name, &o.consignee);
            let ctx = run.finding_context(o, None);
            for (f, &id) in d.findings.iter().zip(ids) {
                assert_eq!(table.get(id), f);
                got.clear();
                cache.write(&mut got, id, &name, &ctx);
                let v: serde_json::Value = serde_json::from_slice(&got).unwrap();
                assert_eq!(v["message"], f.message(&ctx));
                assert_eq!(v["code"], f.code_str());
                assert_eq!(v["cite"], f.basis(&ctx).cite);
            }
        }
    }
}
