//! Keeping a book's decisions current through edits, at a cost that follows what an edit can
//! change rather than the size of the book.
//!
//! [`Engine::evaluate_book_in`] decides the orders in evaluation order (by date, then input
//! order), each against the ledger the ones before it left. An order reads that ledger only
//! through the totals listed in [`Total`] — its destination's allocation, its consignee's LPP,
//! NVEU and UVEU totals, and the licences' use when it ships under a licence — and draws on the
//! same. So after an edit an order keeps its decision unless it was itself changed, or a total it
//! reads may now differ: one that an order before it (added, removed, or decided again) draws on
//! differently.
//!
//! [`BookDecisions`] keeps the decisions and, for each consignee and each destination, the
//! orders that read its totals, in evaluation order. Its owner tells it about each change to the
//! orders as it makes it ([`BookDecisions::pushed`], [`BookDecisions::replaced`],
//! [`BookDecisions::removing`]) and which orders' context changed
//! ([`BookDecisions::invalidate`], [`BookDecisions::invalidate_all`]). [`BookDecisions::refresh`]
//! then decides again, in evaluation order, the changed orders and every later reader of a total
//! that one of them draws on differently (and so on), each against totals summed from the
//! decisions of the orders before it that draw on them. The result is what
//! [`Engine::evaluate_book_in`] gives (`tests/incremental.rs` checks it after every step of
//! random edit sequences).

use super::{BookContext, Engine};
use crate::rules::ledger::{Part, Total, drawn_amounts};
use crate::rules::{CountryCode, Decision, Ledger, Order, Tier};
use jiff::civil::Date;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

type Hasher = foldhash::fast::RandomState;

/// An order's place in evaluation order.
type Key = (Date, usize);

fn key(orders: &[Order], i: usize) -> Key {
    (orders[i].date, i)
}

/// An order's bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    /// Decide it again at the next refresh.
    redo: bool,
    /// It has no decision yet (a placeholder stands in).
    new: bool,
    /// Added or replaced since the last refresh.
    changed: bool,
}

impl Slot {
    const NEW: Slot = Slot {
        redo: true,
        new: true,
        changed: true,
    };
    const CURRENT: Slot = Slot {
        redo: false,
        new: false,
        changed: false,
    };
}

/// The orders reading one set of totals.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Readers {
    /// The consignee's LPP, NVEU and UVEU totals: its orders.
    Consignee(String),
    /// The destination's allocation: the orders to it.
    Destination(CountryCode),
    /// The licences' use: the orders that name a licence or that a licence was applied for.
    Licences,
}

impl Readers {
    fn of(total: Total) -> Self {
        match total {
            Total::Allocation(c) => Readers::Destination(c),
            Total::Consignee(c) => Readers::Consignee(c.to_string()),
            Total::Licence(_) => Readers::Licences,
        }
    }

    fn part(&self) -> Part {
        match self {
            Readers::Consignee(_) => Part::Consignee,
            Readers::Destination(_) => Part::Allocation,
            Readers::Licences => Part::Licence,
        }
    }
}

/// Whether deciding `order` may read the licences' use.
fn reads_licences(ctx: &BookContext, order: &Order) -> bool {
    !ctx.licences.is_empty()
        && (order.licence.is_some() || ctx.licences.iter().any(|l| l.order_id == order.id))
}

/// Stands in for the decision of an order not decided yet.
fn placeholder() -> Decision {
    Decision::new(Tier::Three, None)
}

/// Inserts `i` into a list kept in evaluation order.
fn insert(list: &mut Vec<usize>, orders: &[Order], i: usize) {
    let k = key(orders, i);
    let at = list.partition_point(|&j| key(orders, j) < k);
    list.insert(at, i);
}

fn remove(list: &mut Vec<usize>, i: usize) {
    if let Some(at) = list.iter().position(|&j| j == i) {
        list.remove(at);
    }
}

/// An order decided again by [`BookDecisions::refresh`]: its index in the book, and its decision
/// before (`None` for an order that had none: new to the book, or after a reset).
pub type Redecided = (usize, Option<Decision>);

/// A book's decisions, kept current through edits (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct BookDecisions {
    /// In input order; current once refreshed.
    decisions: Vec<Decision>,
    slots: Vec<Slot>,
    /// Each consignee's orders, in evaluation order.
    by_consignee: HashMap<String, Vec<usize>, Hasher>,
    /// The orders to each destination, in evaluation order (by [`CountryCode::index`]; empty
    /// until the first order).
    by_destination: Vec<Vec<usize>>,
    /// Totals that orders taken out or replaced since the last refresh drew on, with the date
    /// from which their readers may see them change.
    dirty: Vec<(Readers, Date)>,
    /// Something changed since the last refresh.
    touched: bool,
    /// Decide every order again at the next refresh.
    all: bool,
}

impl BookDecisions {
    /// An empty book (current).
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts over on `orders`: the next refresh decides every order.
    pub fn reset(&mut self, orders: &[Order]) {
        self.decisions = vec![placeholder(); orders.len()];
        self.slots = vec![Slot::NEW; orders.len()];
        self.by_consignee.clear();
        self.by_destination = vec![Vec::new(); CountryCode::SLOTS];
        for i in Engine::evaluation_order(orders) {
            let o = &orders[i];
            self.by_consignee
                .entry(o.consignee.clone())
                .or_default()
                .push(i);
            self.by_destination[o.destination.index()].push(i);
        }
        self.dirty.clear();
        self.touched = true;
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
        !self.touched
    }

    /// The decisions, in input order: the book's once [refreshed](Self::refresh).
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    /// The orders added or replaced since the last refresh (every order after a reset), by
    /// input index.
    pub fn changed(&self) -> Vec<usize> {
        (0..self.slots.len())
            .filter(|&i| self.slots[i].changed)
            .collect()
    }

    fn add_to_lists(&mut self, orders: &[Order], i: usize) {
        if self.by_destination.is_empty() {
            self.by_destination = vec![Vec::new(); CountryCode::SLOTS];
        }
        let o = &orders[i];
        let list = match self.by_consignee.get_mut(&o.consignee) {
            Some(l) => l,
            None => self.by_consignee.entry(o.consignee.clone()).or_default(),
        };
        insert(list, orders, i);
        insert(&mut self.by_destination[o.destination.index()], orders, i);
    }

    fn remove_from_lists(&mut self, order: &Order, i: usize) {
        if let Some(list) = self.by_consignee.get_mut(&order.consignee) {
            remove(list, i);
            if list.is_empty() {
                self.by_consignee.remove(&order.consignee);
            }
        }
        if let Some(list) = self.by_destination.get_mut(order.destination.index()) {
            remove(list, i);
        }
    }

    /// The totals `order`'s decision at `index` drew on may change for readers from its date.
    fn drew(&mut self, order: &Order, index: usize) {
        if self.slots[index].new {
            return;
        }
        for t in Total::drawn(order, &self.decisions[index]) {
            self.dirty.push((Readers::of(t), order.date));
        }
    }

    /// `orders` ends with the order just added to the book.
    pub fn pushed(&mut self, orders: &[Order]) {
        let index = self.decisions.len();
        assert_eq!(orders.len(), index + 1, "one order added at the end");
        self.add_to_lists(orders, index);
        self.decisions.push(placeholder());
        self.slots.push(Slot::NEW);
        self.touched = true;
    }

    /// The order at `index`, `order`, is about to leave the book (later indices move down one).
    pub fn removing(&mut self, index: usize, order: &Order) {
        self.drew(order, index);
        self.remove_from_lists(order, index);
        let lists = self
            .by_consignee
            .values_mut()
            .chain(self.by_destination.iter_mut());
        for list in lists {
            for j in list {
                if *j > index {
                    *j -= 1;
                }
            }
        }
        self.decisions.remove(index);
        self.slots.remove(index);
        self.touched = true;
    }

    /// `orders[index]` was `old` and has been replaced (possibly with another date or parties).
    pub fn replaced(&mut self, orders: &[Order], index: usize, old: &Order) {
        // A replaced order not decided since its last replacement drew as its first version.
        if !self.slots[index].changed {
            self.drew(old, index);
        }
        self.remove_from_lists(old, index);
        self.add_to_lists(orders, index);
        let slot = &mut self.slots[index];
        slot.redo = true;
        slot.changed = true;
        self.touched = true;
    }

    /// The decisions of the orders `which` selects (by input index) may change: their context
    /// changed (screening, an override).
    pub fn invalidate(&mut self, which: impl Fn(usize) -> bool) {
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if which(i) {
                slot.redo = true;
                self.touched = true;
            }
        }
    }

    /// Every decision may change: the context of the whole book changed.
    pub fn invalidate_all(&mut self) {
        self.all = true;
        self.touched = true;
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
        let out = if self.all {
            self.decide_all(engine, ctx, orders)
        } else if self.touched {
            let mut walk = Walk::new(self, ctx, orders);
            walk.start();
            walk.run(engine)
        } else {
            Vec::new()
        };
        self.slots.fill(Slot::CURRENT);
        self.dirty.clear();
        self.touched = false;
        self.all = false;
        out
    }

    /// The whole book, in evaluation order.
    fn decide_all(
        &mut self,
        engine: &Engine,
        ctx: &BookContext,
        orders: &[Order],
    ) -> Vec<Redecided> {
        let mut ledger = Ledger::new();
        let mut out = Vec::with_capacity(orders.len());
        for i in Engine::evaluation_order(orders) {
            let d = engine.evaluate(ctx, &ledger, &orders[i], ctx.screening(i));
            ledger.apply(&orders[i], &d);
            let old = std::mem::replace(&mut self.decisions[i], d);
            out.push((i, (!self.slots[i].new).then_some(old)));
        }
        out.sort_unstable_by_key(|r| r.0);
        out
    }
}

/// The orders reading `readers`' totals, in evaluation order (the licences' readers as listed).
fn list_of<'b>(
    book: &'b BookDecisions,
    licence_readers: Option<&'b [usize]>,
    readers: &Readers,
) -> &'b [usize] {
    let list = match readers {
        Readers::Consignee(c) => book.by_consignee.get(c),
        Readers::Destination(d) => book.by_destination.get(d.index()),
        Readers::Licences => return licence_readers.unwrap_or_default(),
    };
    list.map_or(&[], Vec::as_slice)
}

/// One incremental refresh: the orders to decide again, in evaluation order, and the totals
/// they read, summed from the decisions of the orders before them.
struct Walk<'a> {
    book: &'a mut BookDecisions,
    ctx: &'a BookContext<'a>,
    orders: &'a [Order],
    /// The orders to decide again.
    queue: BinaryHeap<Reverse<Key>>,
    queued: Vec<bool>,
    /// Readers all queued from this key on.
    queued_from: HashMap<Readers, Key, Hasher>,
    /// Totals drawn so far: for each set of readers, its orders up to a point.
    ledger: Ledger,
    drawn_up_to: HashMap<Readers, usize, Hasher>,
    /// The orders reading the licences' use, in evaluation order (listed when first needed).
    licence_readers: Option<Vec<usize>>,
    out: Vec<Redecided>,
}

impl<'a> Walk<'a> {
    fn new(book: &'a mut BookDecisions, ctx: &'a BookContext<'a>, orders: &'a [Order]) -> Self {
        let n = orders.len();
        Self {
            book,
            ctx,
            orders,
            queue: BinaryHeap::new(),
            queued: vec![false; n],
            queued_from: HashMap::default(),
            ledger: Ledger::new(),
            drawn_up_to: HashMap::default(),
            licence_readers: None,
            out: Vec::new(),
        }
    }

    /// Queues the orders to decide again, and the readers of totals that orders taken out or
    /// replaced drew on.
    fn start(&mut self) {
        for i in 0..self.book.slots.len() {
            if self.book.slots[i].redo {
                self.enqueue(i);
            }
        }
        for (readers, date) in std::mem::take(&mut self.book.dirty) {
            self.enqueue_readers(&readers, (date, 0));
        }
    }

    fn enqueue(&mut self, i: usize) {
        if !self.queued[i] {
            self.queued[i] = true;
            self.queue.push(Reverse(key(self.orders, i)));
        }
    }

    /// The orders reading `readers`' totals, in evaluation order.
    fn readers(&mut self, readers: &Readers) -> &[usize] {
        if *readers == Readers::Licences && self.licence_readers.is_none() {
            let (ctx, orders) = (self.ctx, self.orders);
            self.licence_readers = Some(
                Engine::evaluation_order(orders)
                    .into_iter()
                    .filter(|&i| reads_licences(ctx, &orders[i]))
                    .collect(),
            );
        }
        list_of(self.book, self.licence_readers.as_deref(), readers)
    }

    /// Queues the readers from `from` on (at or after it).
    fn enqueue_readers(&mut self, readers: &Readers, from: Key) {
        if self.queued_from.get(readers).is_some_and(|k| *k <= from) {
            return;
        }
        self.queued_from.insert(readers.clone(), from);
        let orders = self.orders;
        let list = self.readers(readers);
        let start = list.partition_point(|&j| key(orders, j) < from);
        let later: Vec<usize> = list[start..].to_vec();
        for j in later {
            self.enqueue(j);
        }
    }

    /// Draws into the ledger the readers' orders before `before`.
    fn draw_up_to(&mut self, readers: Readers, before: Key) {
        let part = readers.part();
        let orders = self.orders;
        let mut at = self.drawn_up_to.get(&readers).copied().unwrap_or(0);
        let start = at;
        self.readers(&readers);
        let list = list_of(self.book, self.licence_readers.as_deref(), &readers);
        while let Some(&j) = list.get(at)
            && key(orders, j) < before
        {
            self.ledger
                .apply_part(&orders[j], &self.book.decisions[j], part);
            at += 1;
        }
        if at != start || !self.drawn_up_to.contains_key(&readers) {
            self.drawn_up_to.insert(readers, at);
        }
    }

    fn run(mut self, engine: &Engine) -> Vec<Redecided> {
        while let Some(Reverse(k)) = self.queue.pop() {
            self.decide(engine, k);
        }
        self.out.sort_unstable_by_key(|r| r.0);
        self.out
    }

    /// Decides order `i` again against the totals it reads, and queues the later readers of any
    /// total it now draws on differently.
    fn decide(&mut self, engine: &Engine, k: Key) {
        let i = k.1;
        let (orders, ctx) = (self.orders, self.ctx);
        let o = &orders[i];
        self.draw_up_to(Readers::Consignee(o.consignee.clone()), k);
        self.draw_up_to(Readers::Destination(o.destination), k);
        if reads_licences(ctx, o) {
            self.draw_up_to(Readers::Licences, k);
        }
        let d = engine.evaluate(ctx, &self.ledger, o, ctx.screening(i));
        let slot = self.book.slots[i];
        let old = &self.book.decisions[i];
        let mut moved: Vec<Readers> = Vec::new();
        if slot.new || slot.changed {
            moved.extend(Total::drawn(o, &d).map(Readers::of));
        } else if drawn_amounts(old) != drawn_amounts(&d) {
            moved.extend(Total::drawn(o, old).map(Readers::of));
            moved.extend(Total::drawn(o, &d).map(Readers::of));
        }
        // Later readers: after this order in evaluation order.
        let after = (k.0, k.1 + 1);
        for r in moved {
            self.enqueue_readers(&r, after);
        }
        let old = std::mem::replace(&mut self.book.decisions[i], d);
        self.out.push((i, (!slot.new).then_some(old)));
    }
}
