//! The changes the views ask for, each recorded through [`Workspace::perform`].

use super::Workspace;
use crate::rules::{
    Approval, DecisionOverride, Field, FieldError, FieldErrorKind, Licence, Order, OverrideVerdict,
    Scenario, WhatIf,
};
use crate::session::audit::{Action, party_key};
use crate::session::model::{Party, Resolution, ScreeningDecision};
use crate::session::screening_link::entry_key;

impl Workspace {
    /// Whether `id` can be used by an order that replaces book entry `replacing` (or a new one).
    pub fn check_order_id(&self, id: &str, replacing: Option<usize>) -> Result<(), FieldError> {
        let own = replacing
            .and_then(|i| self.session.orders.get(i))
            .map(|o| o.id.as_str());
        if own != Some(id) && self.session.id_taken(id) {
            return Err(FieldError {
                field: Field::Id,
                kind: FieldErrorKind::DuplicateId(id.to_string()),
            });
        }
        Ok(())
    }

    pub fn add_order(&mut self, order: Order) -> Result<(), String> {
        self.perform(Action::OrderAdded { order }, "")
    }

    /// Replaces the order at `index` (an edit, possibly back-dated).
    pub fn replace_order(&mut self, index: usize, order: Order) -> Result<(), String> {
        let Some(before) = self.session.orders.get(index).cloned() else {
            return Err(format!("there is no order {}", index + 1));
        };
        if before == order {
            return Ok(());
        }
        self.perform(
            Action::OrderEdited {
                before,
                after: order,
            },
            "",
        )
    }

    /// Adds a copy of the order at `index` with a fresh id; returns the copy's index.
    pub fn duplicate_order(&mut self, index: usize) -> Option<usize> {
        let mut copy = self.session.orders.get(index)?.clone();
        copy.id = self.next_order_id();
        self.add_order(copy).ok()?;
        Some(self.session.orders.len() - 1)
    }

    /// Takes an order out of the book; it stays in the session as voided, with the reason.
    pub fn void_order(&mut self, index: usize, reason: &str) -> Result<(), String> {
        let order = self
            .session
            .orders
            .get(index)
            .cloned()
            .ok_or_else(|| format!("there is no order {}", index + 1))?;
        self.perform(Action::OrderVoided { order }, reason)
    }

    /// Puts a voided order back in the book.
    pub fn restore_order(&mut self, voided_index: usize) -> Result<(), String> {
        let order = self
            .session
            .voided
            .get(voided_index)
            .map(|v| v.order.clone())
            .ok_or("there is no such voided order")?;
        self.perform(Action::OrderRestored { order }, "")
    }

    /// Adds orders read from a file as one change.
    pub fn import_orders(&mut self, source: &str, orders: Vec<Order>) -> Result<(), String> {
        if orders.is_empty() {
            return Ok(());
        }
        self.perform(
            Action::OrdersImported {
                source: source.to_string(),
                orders,
            },
            "",
        )
    }

    /// Changes the scenario switches (g2g arrangements, UVEU installed bases).
    pub fn set_scenario(&mut self, after: Scenario) -> Result<(), String> {
        let before = self.session.scenario.clone();
        if before == after {
            return Ok(());
        }
        self.perform(Action::ScenarioChanged { before, after }, "")
    }

    pub fn save_party(&mut self, before: Option<&Party>, after: Party) -> Result<(), String> {
        if before == Some(&after) {
            return Ok(());
        }
        self.perform(
            Action::PartySaved {
                before: before.cloned(),
                after,
            },
            "",
        )
    }

    /// Records a licence application or BIS's decision on it.
    pub fn save_licence(&mut self, before: Option<&Licence>, after: Licence) -> Result<(), String> {
        if before == Some(&after) {
            return Ok(());
        }
        self.perform(
            Action::LicenceSaved {
                before: before.cloned(),
                after,
            },
            "",
        )
    }

    /// Clears or confirms one possible match of the order at `index`, with a reason.
    pub fn decide_hit(
        &mut self,
        index: usize,
        hit: usize,
        resolution: Resolution,
        reason: &str,
    ) -> Result<(), String> {
        let order = self
            .session
            .orders
            .get(index)
            .ok_or_else(|| format!("there is no order {}", index + 1))?;
        let screening = self
            .screening(index)
            .ok_or("this order has not been screened yet")?;
        let h = screening.hits.get(hit).ok_or("there is no such match")?;
        let decision = ScreeningDecision {
            party: h.party.clone(),
            list: h.list.short.clone(),
            entry: entry_key(h),
            entry_name: h.entry_name.clone(),
            resolution,
            reason: reason.trim().to_string(),
            by: self.user.clone(),
            at: self.now(),
            order_id: order.id.clone(),
            list_vintage: screening.list_vintage.clone(),
        };
        self.perform(Action::ScreeningDecided { decision }, reason)
    }

    /// Changes the match threshold (which matches are possible matches, i.e. holds).
    pub fn set_screening_threshold(&mut self, after: f64) -> Result<(), String> {
        let before = self.session.screening.threshold;
        if (before - after).abs() < f64::EPSILON {
            return Ok(());
        }
        self.perform(Action::ScreeningThresholdChanged { before, after }, "")
    }

    /// Reopens a cleared or confirmed match of the order at `index`: the decision no longer
    /// applies (to any order naming the party), so the hold returns. Needs a reason.
    pub fn reopen_hit(&mut self, index: usize, hit: usize, reason: &str) -> Result<(), String> {
        let screening = self
            .screening(index)
            .ok_or("this order has not been screened yet")?;
        let h = screening.hits.get(hit).ok_or("there is no such match")?;
        let (key, entry) = (party_key(&h.party), entry_key(h));
        let decision = self
            .session
            .screening
            .decisions
            .iter()
            .rev()
            .find(|d| party_key(&d.party) == key && d.list == h.list.short && d.entry == entry)
            .cloned()
            .ok_or("nobody has decided this match yet")?;
        self.perform(Action::ScreeningReopened { decision }, reason)
    }

    /// Asks for a stricter verdict on an order; it takes effect once another person approves it.
    pub fn request_override(
        &mut self,
        index: usize,
        verdict: OverrideVerdict,
        reason: &str,
    ) -> Result<(), String> {
        let order_id = self
            .session
            .orders
            .get(index)
            .map(|o| o.id.clone())
            .ok_or_else(|| format!("there is no order {}", index + 1))?;
        let request = DecisionOverride {
            order_id,
            verdict,
            reason: reason.trim().to_string(),
            requested_by: self.user.clone(),
            requested_at: self.now(),
            approved: None,
        };
        self.perform(Action::OverrideRequested { request }, reason)
    }

    /// Approves the override request at `index` of the session's overrides, as this user.
    pub fn approve_override(&mut self, index: usize, reason: &str) -> Result<(), String> {
        let request = self
            .session
            .overrides
            .get(index)
            .cloned()
            .ok_or("there is no such override request")?;
        let approval = Approval {
            by: self.user.clone(),
            at: self.now(),
        };
        self.perform(Action::OverrideApproved { request, approval }, reason)
    }

    pub fn save_what_if(&mut self, before: Option<&str>, after: WhatIf) -> Result<(), String> {
        let before = before.and_then(|n| self.session.what_if(n)).cloned();
        if before.as_ref() == Some(&after) {
            return Ok(());
        }
        self.perform(Action::WhatIfSaved { before, after }, "")
    }

    pub fn remove_what_if(&mut self, name: &str) -> Result<(), String> {
        let what_if = self
            .session
            .what_if(name)
            .cloned()
            .ok_or_else(|| format!("there is no what-if named `{name}`"))?;
        self.perform(Action::WhatIfRemoved { what_if }, "")
    }
}
