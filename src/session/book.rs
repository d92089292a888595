//! Per-country figures of an evaluated order book, shared by the map, the plots and the panels.

use crate::rules::{CountryCode, Decision, Engine, Order, Scenario, Tier, Verdict};

/// What the session's orders do to one destination.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountryUse {
    /// The destination's 2025–2027 allocation under the scenario (`None` outside Tier 2).
    pub allocation_tpp: Option<u64>,
    /// Allocation drawn by licensed orders.
    pub drawn_tpp: u64,
    /// Indices (into the order book) of orders to this destination, in book order.
    pub orders: Vec<usize>,
}

impl CountryUse {
    pub fn remaining_tpp(&self) -> Option<u64> {
        self.allocation_tpp
            .map(|a| a.saturating_sub(self.drawn_tpp))
    }

    /// Share of the allocation drawn, 0..=1; `None` without an allocation.
    pub fn share_drawn(&self) -> Option<f64> {
        self.allocation_tpp.map(|a| {
            if a == 0 {
                1.0
            } else {
                self.drawn_tpp as f64 / a as f64
            }
        })
    }
}

/// Totals by tier and verdict.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TierTotals {
    pub countries: usize,
    /// Indexed by [`Verdict::index`].
    pub orders_by_verdict: [usize; Verdict::COUNT],
    pub tpp_by_verdict: [u64; Verdict::COUNT],
}

#[derive(Debug, Clone, PartialEq)]
pub struct BookSummary {
    per_country: Vec<CountryUse>,
    /// Index 0 = Tier 1, 1 = Tier 2, 2 = Tier 3.
    pub tiers: [TierTotals; 3],
}

pub fn verdict_index(v: Verdict) -> usize {
    v.index()
}

pub fn tier_index(t: Tier) -> usize {
    t.number() as usize - 1
}

impl BookSummary {
    /// A summary of nothing (before the first evaluation).
    pub fn empty() -> Self {
        Self {
            per_country: vec![CountryUse::default(); CountryCode::SLOTS],
            tiers: Default::default(),
        }
    }

    /// `decisions[i]` is the decision of `orders[i]`.
    pub fn new(
        engine: &Engine,
        scenario: &Scenario,
        orders: &[Order],
        decisions: &[Decision],
    ) -> Self {
        let mut per_country = vec![CountryUse::default(); CountryCode::SLOTS];
        let mut tiers: [TierTotals; 3] = Default::default();
        for c in engine.countries().all() {
            let u = &mut per_country[c.alpha2.index()];
            u.allocation_tpp = engine.allocation_limit(scenario, c.alpha2);
            if let Some(t) = engine.countries().tier(c.alpha2) {
                tiers[tier_index(t)].countries += 1;
            }
        }
        for (i, (o, d)) in orders.iter().zip(decisions).enumerate() {
            let u = &mut per_country[o.destination.index()];
            u.orders.push(i);
            u.drawn_tpp = u.drawn_tpp.saturating_add(d.allocation_draw);
            let t = &mut tiers[tier_index(d.tier)];
            t.orders_by_verdict[verdict_index(d.verdict)] += 1;
            t.tpp_by_verdict[verdict_index(d.verdict)] =
                t.tpp_by_verdict[verdict_index(d.verdict)].saturating_add(d.tpp);
        }
        Self { per_country, tiers }
    }

    pub fn country(&self, code: CountryCode) -> &CountryUse {
        &self.per_country[code.index()]
    }
}
