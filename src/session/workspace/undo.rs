//! Undo and redo of order-book, scenario and what-if edits. Nothing is erased: undoing records the inverse
//! change as a new event (undoing an added order voids it), so the history shows both.

use super::Workspace;
use crate::session::audit::Action;
use crate::session::commit::Intent;

/// How many edits undo remembers.
pub(super) const MAX_UNDO: usize = 200;

/// The change that undoes `action`, for the actions the Edit menu can undo. Deliberate acts that
/// need a reason of their own (licences, screening decisions, overrides) are not undone this way.
pub(super) fn inverse(action: &Action) -> Option<Action> {
    Some(match action {
        Action::OrderAdded { order } => Action::OrderVoided {
            order: order.clone(),
        },
        Action::OrdersImported { orders, .. } => Action::OrdersVoided {
            orders: orders.clone(),
        },
        Action::OrderEdited { before, after } => Action::OrderEdited {
            before: after.clone(),
            after: before.clone(),
        },
        Action::OrderVoided { order } => Action::OrderRestored {
            order: order.clone(),
        },
        Action::OrderRestored { order } => Action::OrderVoided {
            order: order.clone(),
        },
        Action::ScenarioChanged { before, after } => Action::ScenarioChanged {
            before: after.clone(),
            after: before.clone(),
        },
        Action::PartySaved {
            before: None,
            after,
        } => Action::PartyRemoved {
            party: after.clone(),
        },
        Action::PartySaved {
            before: Some(b),
            after,
        } => Action::PartySaved {
            before: Some(after.clone()),
            after: b.clone(),
        },
        // What-ifs change no decision of the book; undoing one (a click on the map in what-if
        // mode, a field of the editor) is as cheap as making it.
        Action::WhatIfSaved {
            before: None,
            after,
        } => Action::WhatIfRemoved {
            what_if: after.clone(),
        },
        Action::WhatIfSaved {
            before: Some(b),
            after,
        } => Action::WhatIfSaved {
            before: Some(after.clone()),
            after: b.clone(),
        },
        Action::WhatIfRemoved { what_if } => Action::WhatIfSaved {
            before: None,
            after: what_if.clone(),
        },
        _ => return None,
    })
}

pub(super) fn push(stack: &mut Vec<Action>, action: Action) {
    stack.push(action);
    if stack.len() > MAX_UNDO {
        stack.remove(0);
    }
}

impl Workspace {
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Undoes the last edit by recording its inverse. False when there is nothing to undo or the
    /// inverse no longer applies (the book changed underneath, e.g. a colleague's edit).
    pub fn undo(&mut self) -> bool {
        self.step(true)
    }

    pub fn redo(&mut self) -> bool {
        self.step(false)
    }

    fn step(&mut self, undoing: bool) -> bool {
        let from = if undoing {
            &mut self.undo
        } else {
            &mut self.redo
        };
        let Some(action) = from.pop() else {
            return false;
        };
        let back = inverse(&action);
        let reason = if undoing { "Undo" } else { "Redo" };
        if let Err(e) = self.submit(Intent::new(action, reason)) {
            self.notices.push(format!("{reason} not possible: {e}"));
            return false;
        }
        if let Some(b) = back {
            let to = if undoing {
                &mut self.redo
            } else {
                &mut self.undo
            };
            push(to, b);
        }
        true
    }
}
