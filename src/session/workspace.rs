//! The open session with its derived decisions, file identity and undo history.
//! Every edit of the order book re-evaluates the whole book (caps are cumulative) and records
//! which decisions changed, so the user can see the knock-on effects.

use super::book::BookSummary;
use super::model::{RulesetRef, Session};
use crate::rules::{Decision, Engine, Order, Scenario};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// How many edits undo remembers.
const MAX_UNDO: usize = 200;

#[derive(Debug, Clone, PartialEq)]
struct BookState {
    orders: Vec<Order>,
    scenario: Scenario,
}

#[derive(Debug)]
pub struct Workspace {
    pub engine: Arc<Engine>,
    pub session: Session,
    decisions: Vec<Decision>,
    /// Ids of the orders `decisions` were made for, to compare outcomes across edits.
    decided_ids: Vec<String>,
    summary: BookSummary,
    /// Order ids whose verdict or authority changed in the last edit (other than the edited one).
    changed: Vec<String>,
    /// The file this session was loaded from or saved to.
    pub path: Option<PathBuf>,
    /// Unsaved changes since the last load or save.
    pub dirty: bool,
    undo: Vec<BookState>,
    redo: Vec<BookState>,
    /// Bumped whenever decisions are re-derived, so views can cache what they derive from them.
    revision: u64,
}

impl Workspace {
    pub fn new(engine: Arc<Engine>, session: Session) -> Self {
        let decisions = engine.evaluate_book(&session.scenario, &session.orders);
        let summary = BookSummary::new(&engine, &session.scenario, &session.orders, &decisions);
        Self {
            decided_ids: session_ids(&session),
            engine,
            session,
            decisions,
            summary,
            changed: Vec::new(),
            path: None,
            dirty: false,
            undo: Vec::new(),
            redo: Vec::new(),
            revision: 0,
        }
    }

    /// Changes whenever the orders, scenario or decisions change.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// What the book would decide if `order` were added (`replacing: None`) or replaced order
    /// `replacing`: the order's own decision and the ids of other orders whose outcome would change.
    pub fn preview(&self, order: &Order, replacing: Option<usize>) -> (Decision, Vec<String>) {
        let mut orders = self.session.orders.clone();
        let index = match replacing {
            Some(i) if i < orders.len() => {
                orders[i] = order.clone();
                i
            }
            _ => {
                orders.push(order.clone());
                orders.len() - 1
            }
        };
        let mut decisions = self.engine.evaluate_book(&self.session.scenario, &orders);
        let changed = orders
            .iter()
            .zip(&decisions)
            .enumerate()
            .filter(|&(i, (_, d))| {
                i != index
                    && self
                        .decisions
                        .get(i)
                        .is_some_and(|old| old.verdict != d.verdict || old.authority != d.authority)
            })
            .map(|(_, (o, _))| o.id.clone())
            .collect();
        (decisions.swap_remove(index), changed)
    }

    pub fn empty(engine: Arc<Engine>) -> Self {
        let r = RulesetRef::of(engine.loaded());
        Self::new(engine, Session::new("Untitled session", r))
    }

    pub fn orders(&self) -> &[Order] {
        &self.session.orders
    }

    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    pub fn summary(&self) -> &BookSummary {
        &self.summary
    }

    pub fn changed_by_last_edit(&self) -> &[String] {
        &self.changed
    }

    /// Replaces the session (after a load); history is cleared.
    pub fn replace_session(&mut self, session: Session, path: Option<PathBuf>) {
        self.session = session;
        self.path = path;
        self.dirty = false;
        self.undo.clear();
        self.redo.clear();
        self.changed.clear();
        self.reevaluate(None);
    }

    /// Whether the session was made with a different ruleset than the engine's.
    pub fn ruleset_differs(&self) -> bool {
        let r = &self.session.ruleset;
        !r.sha256.is_empty() && r.sha256 != self.engine.loaded().sha256
    }

    fn snapshot(&self) -> BookState {
        BookState {
            orders: self.session.orders.clone(),
            scenario: self.session.scenario.clone(),
        }
    }

    /// Applies an edit of the book (orders and scenario) as one undoable step.
    pub fn edit(
        &mut self,
        edited_id: Option<&str>,
        f: impl FnOnce(&mut Vec<Order>, &mut Scenario),
    ) {
        let before = self.snapshot();
        f(&mut self.session.orders, &mut self.session.scenario);
        if self.session.orders == before.orders && self.session.scenario == before.scenario {
            return;
        }
        self.undo.push(before);
        if self.undo.len() > MAX_UNDO {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.dirty = true;
        self.reevaluate(edited_id);
    }

    pub fn add_order(&mut self, order: Order) {
        let id = order.id.clone();
        self.edit(Some(&id), |orders, _| orders.push(order));
    }

    pub fn replace_order(&mut self, index: usize, order: Order) {
        let id = order.id.clone();
        self.edit(Some(&id), |orders, _| {
            if let Some(slot) = orders.get_mut(index) {
                *slot = order;
            }
        });
    }

    /// Inserts a copy right after the original, with a fresh id; returns its index.
    pub fn duplicate_order(&mut self, index: usize) -> Option<usize> {
        let mut copy = self.session.orders.get(index)?.clone();
        copy.id = self.next_order_id();
        let id = copy.id.clone();
        self.edit(Some(&id), |orders, _| orders.insert(index + 1, copy));
        Some(index + 1)
    }

    pub fn delete_order(&mut self, index: usize) {
        if index < self.session.orders.len() {
            self.edit(None, |orders, _| {
                orders.remove(index);
            });
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo(&mut self) -> bool {
        let Some(prev) = self.undo.pop() else {
            return false;
        };
        self.redo.push(self.snapshot());
        self.restore(prev);
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some(next) = self.redo.pop() else {
            return false;
        };
        self.undo.push(self.snapshot());
        self.restore(next);
        true
    }

    fn restore(&mut self, state: BookState) {
        self.session.orders = state.orders;
        self.session.scenario = state.scenario;
        self.dirty = true;
        self.reevaluate(None);
    }

    /// Re-derives decisions and the summary; records which other orders' outcomes changed.
    pub fn reevaluate(&mut self, edited_id: Option<&str>) {
        let new = self
            .engine
            .evaluate_book(&self.session.scenario, &self.session.orders);
        let outcome_changed = |old: &Decision, new: &Decision| {
            old.verdict != new.verdict || old.authority != new.authority
        };
        let same_ids = self.decided_ids.len() == self.session.orders.len()
            && self
                .decided_ids
                .iter()
                .zip(&self.session.orders)
                .all(|(id, o)| *id == o.id);
        let changed: Vec<String> = if same_ids {
            // The common case (an order edited in place): compare by position.
            self.session
                .orders
                .iter()
                .zip(&new)
                .zip(&self.decisions)
                .filter(|((o, d), old)| Some(o.id.as_str()) != edited_id && outcome_changed(old, d))
                .map(|((o, _), _)| o.id.clone())
                .collect()
        } else {
            let old: HashMap<&str, &Decision> = self
                .decided_ids
                .iter()
                .map(String::as_str)
                .zip(&self.decisions)
                .collect();
            self.session
                .orders
                .iter()
                .zip(&new)
                .filter(|(o, d)| {
                    Some(o.id.as_str()) != edited_id
                        && old
                            .get(o.id.as_str())
                            .is_some_and(|old| outcome_changed(old, d))
                })
                .map(|(o, _)| o.id.clone())
                .collect()
        };
        self.changed = changed;
        self.decisions = new;
        self.decided_ids = session_ids(&self.session);
        self.summary = BookSummary::new(
            &self.engine,
            &self.session.scenario,
            &self.session.orders,
            &self.decisions,
        );
        self.revision += 1;
    }

    /// A fresh order id of the form `ORD-0001`.
    pub fn next_order_id(&self) -> String {
        let max = self
            .session
            .orders
            .iter()
            .filter_map(|o| {
                o.id.strip_prefix("ORD-")
                    .and_then(|n| n.parse::<u32>().ok())
            })
            .max()
            .unwrap_or(0);
        format!("ORD-{:04}", max + 1)
    }
}

fn session_ids(session: &Session) -> Vec<String> {
    session.orders.iter().map(|o| o.id.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cc;
    use crate::rules::{Authority, Item, Verdict, VeuStatus};

    fn order(id: &str, qty: u64) -> Order {
        Order {
            id: id.into(),
            date: "2025-03-01".parse().unwrap(),
            destination: cc!("IN"),
            consignee: "Bharat".into(),
            consignee_hq: cc!("IN"),
            parent_hq: None,
            veu: VeuStatus::None,
            item: Item::Chip("h100-sxm".into()),
            quantity: qty,
        }
    }

    #[test]
    fn edits_reevaluate_later_orders_and_undo_redo_restore() {
        let mut ws = Workspace::empty(Arc::new(Engine::embedded()));
        ws.add_order(order("A", 1000));
        ws.add_order(order("B", 1000));
        assert_eq!(ws.decisions()[1].verdict, Verdict::LicenseRequired);
        let rev = ws.revision();
        ws.replace_order(0, order("A", 100));
        assert!(ws.revision() > rev);
        assert_eq!(ws.decisions()[1].authority, Authority::Lpp);
        assert_eq!(ws.changed_by_last_edit(), ["B".to_string()]);
        assert!(ws.undo());
        assert_eq!(ws.orders()[0].quantity, 1000);
        assert_eq!(ws.decisions()[1].verdict, Verdict::LicenseRequired);
        assert!(ws.redo());
        assert_eq!(ws.orders()[0].quantity, 100);
        assert!(ws.dirty);
    }

    #[test]
    fn preview_does_not_change_the_book() {
        let mut ws = Workspace::empty(Arc::new(Engine::embedded()));
        ws.add_order(order("A", 1000));
        ws.add_order(order("B", 1000));
        let before = ws.decisions().to_vec();
        let (d, changed) = ws.preview(&order("A", 100), Some(0));
        assert_eq!(d.authority, Authority::Lpp);
        assert_eq!(changed, ["B".to_string()]);
        assert_eq!(ws.decisions(), &before[..]);
        let (d, _) = ws.preview(&order("C", 10), None);
        assert_eq!(
            d.verdict,
            Verdict::Authorized,
            "a new order sees the book before it"
        );
    }

    #[test]
    fn duplicate_gets_a_fresh_id_and_no_op_edits_are_not_undo_steps() {
        let mut ws = Workspace::empty(Arc::new(Engine::embedded()));
        ws.add_order(order("ORD-0001", 10));
        let j = ws.duplicate_order(0).unwrap();
        assert_eq!(ws.orders()[j].id, "ORD-0002");
        let o = ws.orders()[0].clone();
        ws.replace_order(0, o);
        assert!(ws.undo());
        assert_eq!(ws.orders().len(), 1, "the no-op replace was not recorded");
    }
}
