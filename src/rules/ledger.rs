//! Running totals that caps are checked against: LPP per consignee per year, country allocation,
//! VEU installed bases per entity per country, and what each licence has authorized.
//!
//! An order's decision reads only its destination's allocation, its consignee's LPP, NVEU and
//! UVEU totals and, when it ships under a licence, the licences' use; and it draws on the same
//! ([`Total`]). Incremental evaluation (`engine::incremental`) relies on both.

use super::decision::{Decision, LedgerKind};
use super::{CountryCode, Order};
use std::collections::HashMap;

type Map<V> = HashMap<String, Vec<V>, foldhash::fast::RandomState>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    /// consignee → [(calendar year, TPP used under LPP)].
    lpp: Map<(i16, u64)>,
    /// Allocation drawn per destination, indexed by [`CountryCode::index`].
    allocation: Vec<u64>,
    /// entity → [(country, TPP shipped under NVEU)].
    nveu: Map<(CountryCode, u64)>,
    /// entity → [(country, TPP shipped under UVEU)].
    uveu: Map<(CountryCode, u64)>,
    /// Used per licence (index into the session's licences), in the licence's own unit.
    licences: Vec<u64>,
}

/// A running total an order's decision draws on (as [`Ledger::apply`] records it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total<'a> {
    /// The destination's allocation.
    Allocation(CountryCode),
    /// One of the consignee's LPP, NVEU or UVEU totals.
    Consignee(&'a str),
    /// A licence's use.
    Licence(u32),
}

impl<'a> Total<'a> {
    /// What `decision` draws on for `order`: at most two totals.
    pub fn drawn(order: &'a Order, decision: &Decision) -> impl Iterator<Item = Total<'a>> {
        let allocation =
            (decision.allocation_draw > 0).then_some(Total::Allocation(order.destination));
        let draw = decision.draw.and_then(|d| match d.ledger {
            LedgerKind::Lpp { .. } | LedgerKind::Nveu { .. } | LedgerKind::Uveu { .. } => {
                Some(Total::Consignee(&order.consignee))
            }
            LedgerKind::CountryAllocation { .. } => None,
            LedgerKind::Licence { index, .. } => Some(Total::Licence(index)),
        });
        allocation.into_iter().chain(draw)
    }
}

/// Which of its totals a part of a decision is drawn into (see [`Ledger::apply_part`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The destination's allocation.
    Allocation,
    /// The consignee's LPP, NVEU or UVEU total.
    Consignee,
    /// A licence's use.
    Licence,
}

/// What a decision changes in the ledger: equal for two decisions of one order when either can
/// stand for the other in the totals.
pub fn drawn_amounts(decision: &Decision) -> (u64, Option<(LedgerKind, u64)>) {
    (
        decision.allocation_draw,
        decision.draw.map(|d| (d.ledger, d.amount)),
    )
}

fn get_pair<K: PartialEq + Copy>(list: Option<&Vec<(K, u64)>>, key: K) -> u64 {
    list.and_then(|l| l.iter().find(|(k, _)| *k == key))
        .map_or(0, |(_, v)| *v)
}

fn add_pair<K: PartialEq + Copy>(map: &mut Map<(K, u64)>, who: &str, key: K, amount: u64) {
    let list = match map.get_mut(who) {
        Some(l) => l,
        None => map.entry(who.to_string()).or_default(),
    };
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, v)) => *v = v.saturating_add(amount),
        None => list.push((key, amount)),
    }
}

impl Ledger {
    pub fn new() -> Self {
        Self {
            allocation: vec![0; CountryCode::SLOTS],
            ..Default::default()
        }
    }

    pub fn lpp_used(&self, consignee: &str, year: i16) -> u64 {
        get_pair(self.lpp.get(consignee), year)
    }

    pub fn allocation_drawn(&self, country: CountryCode) -> u64 {
        self.allocation.get(country.index()).copied().unwrap_or(0)
    }

    pub fn nveu_used(&self, entity: &str, country: CountryCode) -> u64 {
        get_pair(self.nveu.get(entity), country)
    }

    pub fn uveu_shipped(&self, entity: &str) -> &[(CountryCode, u64)] {
        self.uveu.get(entity).map_or(&[], Vec::as_slice)
    }

    pub fn uveu_in(&self, entity: &str, country: CountryCode) -> u64 {
        get_pair(self.uveu.get(entity), country)
    }

    /// What a licence has authorized so far (units or TPP, as it was approved).
    pub fn licence_used(&self, index: u32) -> u64 {
        self.licences.get(index as usize).copied().unwrap_or(0)
    }

    /// Records what a decision draws. Decisions that draw nothing leave the ledger unchanged.
    pub fn apply(&mut self, order: &Order, decision: &Decision) {
        for part in [Part::Allocation, Part::Consignee, Part::Licence] {
            self.apply_part(order, decision, part);
        }
    }

    /// Records one part of what a decision draws: [`Self::apply`] is all three.
    pub fn apply_part(&mut self, order: &Order, decision: &Decision, part: Part) {
        match part {
            Part::Allocation => {
                if decision.allocation_draw > 0 {
                    if self.allocation.is_empty() {
                        self.allocation = vec![0; CountryCode::SLOTS];
                    }
                    let slot = &mut self.allocation[order.destination.index()];
                    *slot = slot.saturating_add(decision.allocation_draw);
                }
            }
            Part::Consignee => {
                let Some(draw) = decision.draw else { return };
                let who = order.consignee.as_str();
                match draw.ledger {
                    LedgerKind::Lpp { year } => add_pair(&mut self.lpp, who, year, draw.amount),
                    LedgerKind::Nveu { country } => {
                        add_pair(&mut self.nveu, who, country, draw.amount);
                    }
                    LedgerKind::Uveu { country } => {
                        add_pair(&mut self.uveu, who, country, draw.amount);
                    }
                    // Drawn as the allocation part, through `allocation_draw`.
                    LedgerKind::CountryAllocation { .. } | LedgerKind::Licence { .. } => {}
                }
            }
            Part::Licence => {
                if let Some(draw) = decision.draw
                    && let LedgerKind::Licence { index, .. } = draw.ledger
                {
                    let i = index as usize;
                    if self.licences.len() <= i {
                        self.licences.resize(i + 1, 0);
                    }
                    self.licences[i] = self.licences[i].saturating_add(draw.amount);
                }
            }
        }
    }
}
