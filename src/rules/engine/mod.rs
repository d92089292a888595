//! The rules engine: an order plus the ledger left by earlier orders gives a decision.
//!
//! Follows "Engine semantics v2" in `shared/reference/product.md`. Every number comes from the
//! ruleset; this module only encodes the order in which the rule's routes are tried:
//! - `facts`: tiers of the destination and of both headquarters (rules 1–2);
//! - `screening_gate`: what restricted-party matches do (rule 9);
//! - `chips` and `weights`: the routes for chips (rules 3–7) and model weights (rule 8);
//! - `licences` and `overrides`: what a person added on top (licences, approved overrides);
//! - `incremental`: a book's decisions kept current through edits, deciding again only what an
//!   edit can have changed.

mod chips;
mod facts;
mod incremental;
mod licences;
mod overrides;
mod screening_gate;
mod weights;

use super::countries::{CountryTable, Tier};
use super::data_file::{DataError, parse_ron};
use super::decision::{Authority, Decision, Severity, Verdict};
use super::finding::{Finding, FindingCode};
use super::licence::Licence;
use super::order::{Item, Order, Validator};
use super::override_request::DecisionOverride;
use super::screening::Screening;
use super::{ChipCatalogue, Countries, Ledger, LoadedRuleset, Ruleset, Scenario};
use facts::Facts;
pub use incremental::{BookDecisions, Redecided};
use std::sync::Arc;

/// The ruleset with the country table and chip catalogue it is read against.
#[derive(Debug, Clone)]
pub struct Engine {
    loaded: LoadedRuleset,
    countries: Countries,
    chips: ChipCatalogue,
}

/// Everything besides the orders that decisions depend on: the scenario switches, the licences
/// and overrides a person recorded, and each order's screening.
#[derive(Debug, Clone, Copy)]
pub struct BookContext<'a> {
    pub scenario: &'a Scenario,
    pub licences: &'a [Licence],
    pub overrides: &'a [DecisionOverride],
    /// One per order, aligned with the orders; empty when the book was not screened.
    pub screenings: &'a [Arc<Screening>],
}

impl<'a> BookContext<'a> {
    /// A context with only scenario switches: no licences, overrides or screening.
    pub fn new(scenario: &'a Scenario) -> Self {
        Self {
            scenario,
            licences: &[],
            overrides: &[],
            screenings: &[],
        }
    }

    fn screening(&self, index: usize) -> Option<&'a Screening> {
        self.screenings.get(index).map(Arc::as_ref)
    }
}

impl Engine {
    /// The built-in ruleset, country table and catalogue.
    pub fn embedded() -> Self {
        let loaded = LoadedRuleset::embedded();
        let countries = Countries::embedded(&loaded.ruleset);
        Self {
            loaded,
            countries,
            chips: ChipCatalogue::embedded(),
        }
    }

    /// Another ruleset with the built-in country table and catalogue.
    pub fn with_ruleset(loaded: LoadedRuleset) -> Result<Self, DataError> {
        let table: CountryTable = parse_ron(
            "assets/countries.ron",
            super::countries::DEFAULT_COUNTRIES_RON,
        )?;
        let countries = Countries::new(table, &loaded.ruleset).map_err(|e| match e {
            DataError::Invalid { message, .. } => DataError::Invalid {
                file: loaded.source.clone(),
                message,
            },
            other => other,
        })?;
        Ok(Self {
            loaded,
            countries,
            chips: ChipCatalogue::embedded(),
        })
    }

    pub fn ruleset(&self) -> &Ruleset {
        &self.loaded.ruleset
    }

    pub fn loaded(&self) -> &LoadedRuleset {
        &self.loaded
    }

    pub fn countries(&self) -> &Countries {
        &self.countries
    }

    pub fn chips(&self) -> &ChipCatalogue {
        &self.chips
    }

    pub fn validator(&self) -> Validator<'_> {
        Validator {
            ruleset: &self.loaded.ruleset,
            countries: &self.countries,
            chips: &self.chips,
        }
    }

    /// A destination's allocation for the modelled period under a scenario; `None` outside Tier 2.
    pub fn allocation_limit(
        &self,
        scenario: &Scenario,
        country: super::CountryCode,
    ) -> Option<u64> {
        if self.countries.tier(country) != Some(Tier::Two) {
            return None;
        }
        let base = self.ruleset().country_allocation_tpp.value;
        Some(if scenario.g2g.contains(&country) {
            base.saturating_mul(self.ruleset().g2g_multiplier.value)
        } else {
            base
        })
    }

    /// Orders are evaluated by date; among equal dates, in input order.
    pub fn evaluation_order(orders: &[Order]) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..orders.len()).collect();
        idx.sort_by_key(|&i| orders[i].date);
        idx
    }

    /// Re-evaluates a book with scenario switches only (no licences, overrides or screening).
    pub fn evaluate_book(&self, scenario: &Scenario, orders: &[Order]) -> Vec<Decision> {
        self.evaluate_book_in(&BookContext::new(scenario), orders)
    }

    /// Re-evaluates a whole order book: a pure function of (ruleset, context, orders).
    /// Decisions come back in input order.
    pub fn evaluate_book_in(&self, ctx: &BookContext, orders: &[Order]) -> Vec<Decision> {
        self.evaluate_book_with_ledger(ctx, orders).0
    }

    /// As [`Self::evaluate_book_in`], also returning the final ledger.
    pub fn evaluate_book_with_ledger(
        &self,
        ctx: &BookContext,
        orders: &[Order],
    ) -> (Vec<Decision>, Ledger) {
        let mut ledger = Ledger::new();
        let mut out: Vec<Option<Decision>> = vec![None; orders.len()];
        for i in Self::evaluation_order(orders) {
            let d = self.evaluate(ctx, &ledger, &orders[i], ctx.screening(i));
            ledger.apply(&orders[i], &d);
            out[i] = Some(d);
        }
        let decisions = out
            .into_iter()
            .map(|d| d.expect("every order evaluated"))
            .collect();
        (decisions, ledger)
    }

    /// Decides one order against the ledger left by the orders before it.
    pub fn evaluate(
        &self,
        ctx: &BookContext,
        ledger: &Ledger,
        order: &Order,
        screening: Option<&Screening>,
    ) -> Decision {
        let facts = Facts::of(self, order);
        let mut f = Findings(Vec::with_capacity(12));
        facts.push_context(self, order, &mut f);
        let allocation_before = self
            .allocation_limit(ctx.scenario, order.destination)
            .map(|l| l.saturating_sub(ledger.allocation_drawn(order.destination)));
        let mut d = Decision::new(facts.dest_tier, allocation_before);
        d.screening = screening.map(Screening::status);
        let gate = screening_gate::gate(screening, order.parent.is_some(), &mut f);
        if gate.hold {
            let route = Route {
                engine: self,
                ctx,
                ledger,
                order,
                facts: &facts,
                barred: false,
            };
            hold(&route, &mut d, &mut f);
            d.findings = f.0;
            return d;
        }
        let forced = overrides::approved_for(ctx, order, &mut f);
        let route = Route {
            engine: self,
            ctx,
            ledger,
            order,
            facts: &facts,
            barred: gate.bars_exceptions || forced.is_some(),
        };
        route.decide(&mut d, &mut f);
        for floor in gate.floor.into_iter().chain(forced) {
            raise_to(&mut d, floor, allocation_before);
        }
        if !gate.denied_persons {
            licences::apply(&route, allocation_before, &mut d, &mut f);
        }
        d.findings = f.0;
        d
    }
}

/// One order on its way through the rules: what every route needs to read.
pub(super) struct Route<'a> {
    pub engine: &'a Engine,
    pub ctx: &'a BookContext<'a>,
    pub ledger: &'a Ledger,
    pub order: &'a Order,
    pub facts: &'a Facts,
    /// No licence exception or VEU: a confirmed restricted party or an approved override.
    pub barred: bool,
}

impl Route<'_> {
    /// Rules 3–8: the routes an item takes.
    fn decide(&self, d: &mut Decision, f: &mut Findings) {
        match &self.order.item {
            Item::ModelWeights {
                training_ops,
                open_weights,
            } => weights::decide(self, *training_ops, *open_weights, d, f),
            Item::Chip(id) => {
                // Validation guarantees a catalogue id; an unknown one is not controlled here.
                if let Some(chip) = self.engine.chips.get(id) {
                    self.chip(chip, d, f);
                }
            }
        }
    }
}

/// A possible match waits for a person: nothing is drawn, and the findings say what the rules
/// would give once it is cleared.
fn hold(route: &Route, d: &mut Decision, f: &mut Findings) {
    let mut would = d.clone();
    let mut scratch = Findings(Vec::new());
    route.decide(&mut would, &mut scratch);
    f.push(
        FindingCode::WouldBeOnceCleared {
            verdict: would.verdict,
            authority: would.authority,
        },
        Severity::Info,
    );
    f.push(FindingCode::ScreeningHold, Severity::Warning);
    d.verdict = Verdict::Hold;
    d.authority = Authority::None;
    d.eccn = would.eccn;
    d.tpp = would.tpp;
}

/// Raises a decision to a stricter verdict (a confirmed restricted party, an override). A
/// presumption of denial draws nothing, so what the order would have drawn is given back.
fn raise_to(d: &mut Decision, floor: Verdict, allocation_before: Option<u64>) {
    if floor.strictness() <= d.verdict.strictness() {
        return;
    }
    d.verdict = floor;
    d.authority = Authority::None;
    if floor == Verdict::PresumptionOfDenial {
        d.draw = None;
        d.allocation_draw = 0;
        d.allocation_remaining_tpp = allocation_before;
    }
}

/// The findings of one decision, in the order the engine reasoned.
pub(crate) struct Findings(Vec<Finding>);

impl Findings {
    fn push(&mut self, code: FindingCode, severity: Severity) {
        self.0.push(Finding { code, severity });
    }
}
