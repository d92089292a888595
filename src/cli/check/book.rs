//! The valid rows of the input, packed: what evaluation in date order needs, 40 bytes a row.
//!
//! Names (consignees, chip ids) are interned, dates and country codes kept as the small values
//! they are; ids are not kept here at all (they go to the spool with the row's place in the
//! output). Repeated ids are found by a 64-bit hash of the id, so a row costs 16 more bytes in
//! that index instead of a copy of its id.

use crate::rules::{CountryCode, Item, Order, Screening, VeuStatus};
use crate::session::model::ScreeningRecord;
use crate::session::screening_link::{Screener, screen_order};
use jiff::civil::Date;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Arc;

/// Where a row is in the input, for messages: "row 3 (line 4)", or "order 3" in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowRef {
    pub row: usize,
    /// The file line the row starts on; 0 when the input has no lines (a session's orders).
    pub line: u64,
}

impl std::fmt::Display for RowRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "order {}", self.row)
        } else {
            write!(f, "row {} (line {})", self.row, self.line)
        }
    }
}

type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Strings stored once, named by their index.
#[derive(Debug, Default)]
pub struct Interner {
    index: FastMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = u32::try_from(self.names.len()).expect("fewer than 2^32 distinct names");
        self.names.push(s.into());
        self.index.insert(s.into(), i);
        i
    }

    pub fn get(&self, i: u32) -> &str {
        &self.names[i as usize]
    }
}

/// An [`Order`] without its id. `item` is an interned chip id, or [`MODEL_WEIGHTS`]; `parent`
/// and `licence` are interned names or [`NONE`]; `screening` indexes [`Book::screenings`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PackedOrder {
    quantity: u64,
    training_ops: f64,
    consignee: u32,
    item: u32,
    parent: u32,
    licence: u32,
    screening: u32,
    date: Date,
    destination: CountryCode,
    consignee_hq: CountryCode,
    parent_hq: Option<CountryCode>,
    veu: VeuStatus,
    open_weights: bool,
}

const MODEL_WEIGHTS: u32 = u32::MAX;
/// No parent name, no licence, not screened.
const NONE: u32 = u32::MAX;

impl PackedOrder {
    pub fn pack(order: &Order, names: &mut Interner) -> Self {
        // Listing every field (no `..`) makes a new field of `Order` a compile error here
        // instead of a value silently lost on the way to the engine.
        let Order {
            id: _,
            date,
            destination,
            consignee,
            consignee_hq,
            parent,
            parent_hq,
            veu,
            item,
            quantity,
            licence,
        } = order;
        let mut optional = |s: &Option<String>| s.as_deref().map_or(NONE, |s| names.intern(s));
        let (parent, licence) = (optional(parent), optional(licence));
        let (item, training_ops, open_weights) = match item {
            Item::Chip(id) => (names.intern(id), 0.0, false),
            Item::ModelWeights {
                training_ops,
                open_weights,
            } => (MODEL_WEIGHTS, *training_ops, *open_weights),
        };
        Self {
            quantity: *quantity,
            training_ops,
            consignee: names.intern(consignee),
            item,
            parent,
            licence,
            screening: NONE,
            date: *date,
            destination: *destination,
            consignee_hq: *consignee_hq,
            parent_hq: *parent_hq,
            veu: *veu,
            open_weights,
        }
    }

    /// Fills `order` (a reused scratch order; its id is left as it is) with this one.
    pub fn unpack_into(&self, order: &mut Order, names: &Interner) {
        order.date = self.date;
        order.destination = self.destination;
        order.consignee.clear();
        order.consignee.push_str(names.get(self.consignee));
        order.consignee_hq = self.consignee_hq;
        set_optional(&mut order.parent, self.parent, names);
        set_optional(&mut order.licence, self.licence, names);
        order.parent_hq = self.parent_hq;
        order.veu = self.veu;
        order.quantity = self.quantity;
        if self.item == MODEL_WEIGHTS {
            order.item = Item::ModelWeights {
                training_ops: self.training_ops,
                open_weights: self.open_weights,
            };
        } else {
            let id = names.get(self.item);
            match &mut order.item {
                Item::Chip(s) => {
                    s.clear();
                    s.push_str(id);
                }
                other => *other = Item::Chip(id.to_string()),
            }
        }
    }

    /// The row's screening, as an index into [`Book::screenings`].
    pub fn screening(&self) -> Option<u32> {
        (self.screening != NONE).then_some(self.screening)
    }

    /// A number that grows with the date.
    pub fn day_key(&self) -> u32 {
        let d = self.date;
        // Years are within ±9999: shifted to be positive.
        let year = u32::try_from(i32::from(d.year()) + 10_000).unwrap_or(0);
        (year * 16 + d.month() as u32) * 32 + d.day() as u32
    }
}

/// Sets an optional text field to an interned name (or `None`), reusing its buffer.
fn set_optional(field: &mut Option<String>, name: u32, names: &Interner) {
    if name == NONE {
        *field = None;
        return;
    }
    let text = names.get(name);
    match field {
        Some(s) => {
            s.clear();
            s.push_str(text);
        }
        None => *field = Some(text.to_string()),
    }
}

/// An order to unpack into (its values are overwritten before use).
pub fn scratch_order() -> Order {
    let us = CountryCode::from_bytes(*b"US");
    Order {
        id: String::new(),
        date: Date::constant(2025, 1, 13),
        destination: us,
        consignee: String::new(),
        consignee_hq: us,
        parent: None,
        parent_hq: None,
        veu: VeuStatus::None,
        item: Item::Chip(String::new()),
        quantity: 0,
        licence: None,
    }
}

/// The first row that used each id, by a hash of the id: SipHash with a per-run key, so two
/// different ids share a hash with probability about 2^-64 per pair (a false `DUPLICATE_ID` in
/// a million-row file: about one chance in 30 million).
#[derive(Debug, Default)]
pub struct IdIndex {
    state: std::collections::hash_map::RandomState,
    first: FastMap<u64, RowRef>,
}

impl IdIndex {
    /// Records `id` for `at`; returns the earlier row that used it, if any.
    pub fn first_use(&mut self, id: &str, at: RowRef) -> Option<RowRef> {
        let h = self.state.hash_one(id);
        match self.first.entry(h) {
            std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(at);
                None
            }
        }
    }
}

/// The valid rows, in input order.
#[derive(Debug, Default)]
pub struct Book {
    pub rows: Vec<PackedOrder>,
    pub names: Interner,
    ids: IdIndex,
    /// Valid rows whose id an earlier valid row used: row index → that earlier row.
    pub duplicates: FastMap<u32, RowRef>,
    /// Distinct screenings: rows with the same parties (names and headquarters) share one.
    pub screenings: Vec<Arc<Screening>>,
    /// Each row's id, kept only when decisions need it (a session's licences and overrides are
    /// attached to order ids); a CSV's ids go to the spool alone.
    pub row_ids: Option<Vec<Box<str>>>,
}

impl Book {
    /// Adds a valid row; returns its index.
    pub fn push(&mut self, order: &Order, at: RowRef) -> u32 {
        let index = u32::try_from(self.rows.len()).expect("fewer than 2^32 rows");
        if let Some(first) = self.ids.first_use(&order.id, at) {
            self.duplicates.insert(index, first);
        }
        self.rows.push(PackedOrder::pack(order, &mut self.names));
        if let Some(ids) = &mut self.row_ids {
            ids.push(order.id.as_str().into());
        }
        index
    }

    /// Keeps row ids from now on (call before the first row).
    pub fn keep_ids(&mut self) {
        self.row_ids.get_or_insert_with(Vec::new);
    }

    /// Fills `order` with row `i`, its id included when ids are kept.
    pub fn unpack_into(&self, i: usize, order: &mut Order) {
        self.rows[i].unpack_into(order, &self.names);
        if let Some(id) = self.row_ids.as_ref().and_then(|ids| ids.get(i)) {
            order.id.clear();
            order.id.push_str(id);
        }
    }

    /// Screens every row's parties; rows naming the same parties share one result, and every
    /// row whose parties all match nothing shares one "clear" result (most of a book), so those
    /// rows are neither unpacked nor screened again.
    pub fn screen(&mut self, screener: &dyn Screener, record: &ScreeningRecord) {
        type Key = (u32, u32, CountryCode, Option<CountryCode>);
        let mut seen: FastMap<Key, u32> = FastMap::default();
        let mut party_clear: FastMap<(u32, Option<CountryCode>), bool> = FastMap::default();
        let mut clear_index = None;
        let mut scratch = scratch_order();
        for i in 0..self.rows.len() {
            let r = self.rows[i];
            let mut clear = |name: u32, country: Option<CountryCode>| {
                name == NONE
                    || *party_clear.entry((name, country)).or_insert_with(|| {
                        screener
                            .matches(self.names.get(name), country, record.threshold)
                            .is_empty()
                    })
            };
            let index = if clear(r.consignee, Some(r.consignee_hq)) && clear(r.parent, r.parent_hq)
            {
                *clear_index.get_or_insert_with(|| {
                    self.screenings.push(Arc::new(Screening {
                        list_vintage: screener.vintage().to_string(),
                        hits: Vec::new(),
                    }));
                    index_of_last(&self.screenings)
                })
            } else {
                let key = (r.consignee, r.parent, r.consignee_hq, r.parent_hq);
                match seen.get(&key) {
                    Some(&i) => i,
                    None => {
                        r.unpack_into(&mut scratch, &self.names);
                        self.screenings
                            .push(Arc::new(screen_order(screener, &scratch, record)));
                        let index = index_of_last(&self.screenings);
                        seen.insert(key, index);
                        index
                    }
                }
            };
            self.rows[i].screening = index;
        }
    }

    /// Row `i`'s screening, if the book was screened.
    pub fn screening_of(&self, i: usize) -> Option<&Screening> {
        let s = self.rows[i].screening()?;
        self.screenings.get(s as usize).map(Arc::as_ref)
    }

    /// Row indices in evaluation order (by date, input order among equal dates).
    pub fn evaluation_order(&self) -> Vec<u32> {
        let days: Vec<u32> = self.rows.iter().map(|r| r.day_key()).collect();
        let (Some(&lo), Some(&hi)) = (days.iter().min(), days.iter().max()) else {
            return Vec::new();
        };
        // Dates span a few years: a counting sort by day is stable (input order among equal
        // dates) and linear. An unusually wide span falls back to a comparison sort.
        let span = (hi - lo) as usize + 1;
        if span > days.len().max(1 << 16) {
            let mut idx: Vec<u32> = (0..days.len() as u32).collect();
            idx.sort_by_key(|&i| days[i as usize]);
            return idx;
        }
        let mut starts = vec![0u32; span + 1];
        for &d in &days {
            starts[(d - lo) as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut order = vec![0u32; days.len()];
        for (i, &d) in days.iter().enumerate() {
            let slot = &mut starts[(d - lo) as usize];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        order
    }
}

/// The index of the last screening pushed.
fn index_of_last(screenings: &[Arc<Screening>]) -> u32 {
    u32::try_from(screenings.len() - 1).expect("fewer than 2^32 distinct parties")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Engine;
    use crate::session::synthetic::synthetic_orders;

    #[test]
    fn packing_keeps_everything_but_the_id() {
        let engine = Engine::embedded();
        let mut book = Book::default();
        let orders = synthetic_orders(&engine, 2000, 3);
        for (i, o) in orders.iter().enumerate() {
            book.push(
                o,
                RowRef {
                    row: i + 1,
                    line: 0,
                },
            );
        }
        let mut scratch = orders[0].clone();
        for (o, p) in orders.iter().zip(&book.rows) {
            p.unpack_into(&mut scratch, &book.names);
            scratch.id.clone_from(&o.id);
            assert_eq!(&scratch, o);
        }
        assert!(book.duplicates.is_empty());
        assert!(std::mem::size_of::<PackedOrder>() <= 56);
    }

    #[test]
    fn evaluation_order_is_the_engines() {
        let engine = Engine::embedded();
        let orders = synthetic_orders(&engine, 3000, 5);
        let mut book = Book::default();
        for o in &orders {
            book.push(o, RowRef { row: 1, line: 0 });
        }
        let ours: Vec<usize> = book
            .evaluation_order()
            .into_iter()
            .map(|i| i as usize)
            .collect();
        assert_eq!(ours, Engine::evaluation_order(&orders));
    }

    #[test]
    fn a_repeated_id_names_the_first_row() {
        let mut ids = IdIndex::default();
        let at = |row| RowRef {
            row,
            line: row as u64 + 1,
        };
        assert_eq!(ids.first_use("A", at(1)), None);
        assert_eq!(ids.first_use("B", at(2)), None);
        assert_eq!(ids.first_use("A", at(3)), Some(at(1)));
        assert_eq!(ids.first_use("A", at(4)), Some(at(1)));
        assert_eq!(at(3).to_string(), "row 3 (line 4)");
    }
}
