//! Keeping a book's decisions current through edits, without deciding the whole book again.
//!
//! [`Engine::evaluate_book_in`] decides the orders in evaluation order (by date, then input
//! order), each against the ledger the ones before it left. An order reads that ledger only
//! through the totals listed in [`Total`] (its destination's allocation, its consignee's LPP,
//! NVEU and UVEU totals, and the licences' use when it ships under a licence). So after an edit:
//! - an order evaluated before the first position the edit touches keeps its decision: the same
//!   order, against the same ledger;
//! - an order after it keeps its decision too, unless it was itself changed or one of the totals
//!   it reads may now differ: a total that an added, removed or re-decided order draws on
//!   differently.
//!
//! [`BookDecisions`] keeps the evaluation order, the decisions and the ledger of the whole book.
//! Its owner tells it about each change to the orders as it makes it ([`BookDecisions::pushed`],
//! [`BookDecisions::replaced`], [`BookDecisions::removing`]) and which orders' context changed
//! ([`BookDecisions::invalidate`], [`BookDecisions::invalidate_all`]). [`BookDecisions::refresh`]
//! then takes the ledger back to the first touched position by taking out the draws after it,
//! and walks on from there, deciding again only the orders that may have changed. The result is
//! what [`Engine::evaluate_book_in`] gives (`tests/incremental.rs` checks it after every step of
//! random edit sequences).

use super::{BookContext, Engine};
use crate::rules::ledger::{Total, drawn_amounts};
use crate::rules::{CountryCode, Decision, Ledger, Order, Tier};
use std::collections::HashSet;

/// An order's place in the bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    /// Its decision is drawn in the ledger.
    counted: bool,
    /// Decide it again at the next refresh.
    redo: bool,
    /// It has no decision yet (a placeholder stands in).
    new: bool,
    /// Added or replaced since the last refresh.
    changed: bool,
}

impl Slot {
    const NEW: Slot = Slot {
        counted: false,
        redo: true,
        new: true,
        changed: true,
    };
    const CURRENT: Slot = Slot {
        counted: true,
        redo: false,
        new: false,
        changed: false,
    };
}

/// Totals that may differ from those the kept decisions were made against.
#[derive(Debug, Clone, Default)]
struct Dirty {
    /// By [`CountryCode::index`]; empty while no allocation is dirty.
    allocations: Vec<bool>,
    consignees: HashSet<String, foldhash::fast::RandomState>,
    licences: bool,
}

impl Dirty {
    fn mark(&mut self, order: &Order, decision: &Decision) {
        for t in Total::drawn(order, decision) {
            match t {
                Total::Allocation(c) => {
                    if self.allocations.is_empty() {
                        self.allocations = vec![false; CountryCode::SLOTS];
                    }
                    self.allocations[c.index()] = true;
                }
                Total::Consignee(who) => {
                    if !self.consignees.contains(who) {
                        self.consignees.insert(who.to_string());
                    }
                }
                Total::Licence(_) => self.licences = true,
            }
        }
    }

    /// Whether deciding `order` may read a dirty total.
    fn read_by(&self, order: &Order, ctx: &BookContext) -> bool {
        self.allocations
            .get(order.destination.index())
            .copied()
            .unwrap_or(false)
            || (!self.consignees.is_empty() && self.consignees.contains(order.consignee.as_str()))
            || (self.licences
                && (order.licence.is_some() || ctx.licences.iter().any(|l| l.order_id == order.id)))
    }

    fn clear(&mut self) {
        self.allocations.clear();
        self.consignees.clear();
        self.licences = false;
    }
}

/// An order decided again by [`BookDecisions::refresh`]: its index in the book, and its decision
/// before (`None` for an order that had none: new to the book, or after a reset).
pub type Redecided = (usize, Option<Decision>);

/// A book's decisions, kept current through edits (see the module documentation).
#[derive(Debug, Clone)]
pub struct BookDecisions {
    /// Input indices by evaluation position: by date, then input index.
    order: Vec<usize>,
    /// In input order; current once refreshed.
    decisions: Vec<Decision>,
    slots: Vec<Slot>,
    /// The ledger with every counted decision drawn.
    ledger: Ledger,
    /// Evaluation positions before this one are untouched since the last refresh (`usize::MAX`:
    /// nothing touched).
    from: usize,
    dirty: Dirty,
    /// Decide every order again at the next refresh.
    all: bool,
}

impl Default for BookDecisions {
    fn default() -> Self {
        Self::new()
    }
}

/// Stands in for the decision of an order not decided yet.
fn placeholder() -> Decision {
    Decision::new(Tier::Three, None)
}

impl BookDecisions {
    /// An empty book (current).
    pub fn new() -> Self {
        Self {
            order: Vec::new(),
            decisions: Vec::new(),
            slots: Vec::new(),
            ledger: Ledger::new(),
            from: usize::MAX,
            dirty: Dirty::default(),
            all: false,
        }
    }

    /// Starts over on `orders`: the next refresh decides every order.
    pub fn reset(&mut self, orders: &[Order]) {
        self.order = Engine::evaluation_order(orders);
        self.decisions = vec![placeholder(); orders.len()];
        self.slots = vec![Slot::NEW; orders.len()];
        self.ledger = Ledger::new();
        self.from = 0;
        self.dirty.clear();
        self.all = true;
    }

    pub fn len(&self) -> usize {
        self.decisions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.decisions.is_empty()
    }

    /// Whether the decisions are those of the book as it is (nothing changed since the last
    /// refresh).
    pub fn is_current(&self) -> bool {
        !self.all && self.from == usize::MAX
    }

    /// The decisions, in input order: the book's once [refreshed](Self::refresh).
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    /// The ledger after the whole book, once refreshed.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The book's input indices in evaluation order.
    pub fn evaluation_order(&self) -> &[usize] {
        &self.order
    }

    /// The orders added or replaced since the last refresh (every order after a reset), by input
    /// index, in evaluation order.
    pub fn changed(&self) -> Vec<usize> {
        let from = if self.all {
            0
        } else {
            self.from.min(self.order.len())
        };
        self.order[from..]
            .iter()
            .copied()
            .filter(|&i| self.slots[i].changed)
            .collect()
    }

    fn touch(&mut self, position: usize) {
        self.from = self.from.min(position);
    }

    fn position(&self, index: usize) -> usize {
        self.order
            .iter()
            .position(|&i| i == index)
            .expect("every order has an evaluation position")
    }

    /// Takes an order's decision out of the ledger (its totals become dirty).
    fn uncount(&mut self, order: &Order, index: usize) {
        if self.slots[index].counted {
            let d = &self.decisions[index];
            self.ledger.take_back(order, d);
            self.dirty.mark(order, d);
            self.slots[index].counted = false;
        }
    }

    /// `orders` ends with the order just added to the book.
    pub fn pushed(&mut self, orders: &[Order]) {
        let index = self.decisions.len();
        assert_eq!(orders.len(), index + 1, "one order added at the end");
        let date = orders[index].date;
        let p = self.order.partition_point(|&j| orders[j].date <= date);
        self.order.insert(p, index);
        self.decisions.push(placeholder());
        self.slots.push(Slot::NEW);
        self.touch(p);
    }

    /// The order at `index`, `order`, is about to leave the book (later indices move down one).
    pub fn removing(&mut self, index: usize, order: &Order) {
        let p = self.position(index);
        self.uncount(order, index);
        self.order.remove(p);
        for j in &mut self.order {
            if *j > index {
                *j -= 1;
            }
        }
        self.decisions.remove(index);
        self.slots.remove(index);
        self.touch(p);
    }

    /// `orders[index]` was `old` and has been replaced (possibly with another date).
    pub fn replaced(&mut self, orders: &[Order], index: usize, old: &Order) {
        let p_old = self.position(index);
        self.uncount(old, index);
        self.slots[index].redo = true;
        self.slots[index].changed = true;
        self.order.remove(p_old);
        let key = (orders[index].date, index);
        let p_new = self.order.partition_point(|&j| (orders[j].date, j) < key);
        self.order.insert(p_new, index);
        self.touch(p_old.min(p_new));
    }

    /// The decisions of the orders `which` selects (by input index) may change: their context
    /// changed (screening, an override).
    pub fn invalidate(&mut self, which: impl Fn(usize) -> bool) {
        let mut first = usize::MAX;
        for (p, &i) in self.order.iter().enumerate() {
            if which(i) {
                self.slots[i].redo = true;
                first = first.min(p);
            }
        }
        self.touch(first);
    }

    /// Every decision may change: the context of the whole book changed.
    pub fn invalidate_all(&mut self) {
        self.all = true;
    }

    /// Decides again what the changes since the last refresh can have changed. Returns the
    /// orders decided again, by input index, with their decisions before.
    pub fn refresh(
        &mut self,
        engine: &Engine,
        ctx: &BookContext,
        orders: &[Order],
    ) -> Vec<Redecided> {
        assert_eq!(
            orders.len(),
            self.decisions.len(),
            "the book changed without its decisions being told"
        );
        let all = self.all || self.ledger.saturated();
        let from = if all {
            self.ledger = Ledger::new();
            for s in &mut self.slots {
                s.counted = false;
                s.redo = true;
            }
            0
        } else if self.from >= self.order.len() {
            self.from = usize::MAX;
            self.dirty.clear();
            return Vec::new();
        } else {
            // The ledger before position `from`: the draws after it taken back out.
            for &i in self.order[self.from..].iter().rev() {
                if self.slots[i].counted {
                    self.ledger.take_back(&orders[i], &self.decisions[i]);
                }
            }
            self.from
        };
        let mut out = Vec::new();
        for k in from..self.order.len() {
            let i = self.order[k];
            let order = &orders[i];
            let slot = self.slots[i];
            if slot.redo || self.dirty.read_by(order, ctx) {
                let d = engine.evaluate(ctx, &self.ledger, order, ctx.screening(i));
                if !all {
                    let old = &self.decisions[i];
                    if !slot.counted {
                        self.dirty.mark(order, &d);
                    } else if drawn_amounts(old) != drawn_amounts(&d) {
                        self.dirty.mark(order, old);
                        self.dirty.mark(order, &d);
                    }
                }
                let old = std::mem::replace(&mut self.decisions[i], d);
                out.push((i, (!slot.new).then_some(old)));
            }
            self.ledger.apply(order, &self.decisions[i]);
            self.slots[i] = Slot::CURRENT;
        }
        self.from = usize::MAX;
        self.all = false;
        self.dirty.clear();
        out.sort_unstable_by_key(|r| r.0);
        out
    }
}
