//! The rules engine: an order plus the ledger left by earlier orders gives a decision.
//!
//! Follows "Engine semantics" in `shared/reference/product.md`. Every number comes from the
//! ruleset; this file only encodes the order in which the rule's routes are tried.

use super::chips::ChipClass;
use super::countries::{CountryTable, Tier};
use super::data_file::{DataError, parse_ron};
use super::decision::{
    Authority, Decision, Draw, Eccn, Finding, FindingCode, LedgerKind, Severity, UveuLimit, Verdict,
};
use super::order::{Item, Order, Validator};
use super::{ChipCatalogue, Countries, Ledger, LoadedRuleset, Ruleset, Scenario};
use jiff::civil::Date;

/// The ruleset with the country table and chip catalogue it is read against.
#[derive(Debug, Clone)]
pub struct Engine {
    loaded: LoadedRuleset,
    countries: Countries,
    chips: ChipCatalogue,
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

    /// A destination's 2025–2027 allocation under a scenario; `None` outside Tier 2.
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

    /// Re-evaluates a whole order book: a pure function of (ruleset, scenario, orders).
    /// Decisions come back in input order.
    pub fn evaluate_book(&self, scenario: &Scenario, orders: &[Order]) -> Vec<Decision> {
        self.evaluate_book_with_ledger(scenario, orders).0
    }

    /// As [`Self::evaluate_book`], also returning the final ledger.
    pub fn evaluate_book_with_ledger(
        &self,
        scenario: &Scenario,
        orders: &[Order],
    ) -> (Vec<Decision>, Ledger) {
        let mut ledger = Ledger::new();
        let mut out: Vec<Option<Decision>> = vec![None; orders.len()];
        for i in Self::evaluation_order(orders) {
            let d = self.evaluate(scenario, &ledger, &orders[i]);
            ledger.apply(&orders[i].consignee, &d);
            out[i] = Some(d);
        }
        (
            out.into_iter()
                .map(|d| d.expect("every order evaluated"))
                .collect(),
            ledger,
        )
    }

    /// Decides one order against the ledger left by the orders before it.
    pub fn evaluate(&self, scenario: &Scenario, ledger: &Ledger, order: &Order) -> Decision {
        let rs = self.ruleset();
        let dest = order.destination;
        let dest_tier = self.countries.tier(dest).unwrap_or(Tier::Two);
        let hq = order.effective_hq();
        let hq_tier = self.countries.tier(hq).unwrap_or(Tier::Two);
        let mut f = Findings(Vec::with_capacity(10));
        f.push(
            FindingCode::DestinationTier {
                country: dest,
                tier: dest_tier,
                reason: self
                    .countries
                    .tier_reason(dest)
                    .unwrap_or(super::countries::TierReason::Residual)
                    .into(),
            },
            Severity::Info,
        );
        f.push(
            FindingCode::EntityHeadquarters {
                hq,
                tier: hq_tier,
                via_parent: order.parent_hq.is_some_and(|p| p != order.consignee_hq),
            },
            Severity::Info,
        );
        self.date_notes(order.date, &mut f);
        let alloc_limit = self.allocation_limit(scenario, dest);
        let alloc_remaining = alloc_limit.map(|l| l.saturating_sub(ledger.allocation_drawn(dest)));
        let mut d = Decision {
            tier: dest_tier,
            verdict: Verdict::NotControlled,
            authority: Authority::None,
            eccn: None,
            tpp: 0,
            draw: None,
            counts_against_allocation: false,
            allocation_remaining_tpp: alloc_remaining,
            findings: Vec::new(),
        };
        match &order.item {
            Item::ModelWeights {
                training_ops,
                open_weights,
            } => self.decide_weights(
                *training_ops,
                *open_weights,
                dest_tier,
                hq,
                hq_tier,
                &mut d,
                &mut f,
            ),
            Item::Chip(id) => {
                let Some(chip) = self.chips.get(id) else {
                    // Validation guarantees a catalogue id; an unknown one is not controlled by this rule.
                    d.findings = f.0;
                    return d;
                };
                let per_unit = chip.tpp();
                d.tpp = per_unit.saturating_mul(order.quantity);
                let class = chip.classify(&rs.chip_thresholds);
                f.push(
                    FindingCode::ChipClassified {
                        class,
                        tpp_per_unit: per_unit,
                    },
                    Severity::Info,
                );
                match class {
                    ChipClass::NotControlled | ChipClass::A090b => {
                        if class == ChipClass::A090b {
                            d.eccn = Some(Eccn::A3A090b);
                        }
                        f.push(FindingCode::ChipOutsideRule { class }, Severity::Info);
                    }
                    ChipClass::AcaNonDatacenter => {
                        d.eccn = Some(Eccn::A3A090a);
                        if dest_tier == Tier::Three {
                            f.push(FindingCode::Tier3Destination, Severity::Deny);
                            d.verdict = Verdict::PresumptionOfDenial;
                        } else {
                            f.push(FindingCode::AcaApplies, Severity::Pass);
                            d.verdict = Verdict::Authorized;
                            d.authority = Authority::Aca;
                        }
                    }
                    ChipClass::A090a | ChipClass::A090aDensityUnknown => {
                        if class == ChipClass::A090aDensityUnknown {
                            f.push(FindingCode::DensityUnknown, Severity::Warning);
                        }
                        d.eccn = Some(Eccn::A3A090a);
                        f.push(FindingCode::WorldwideLicense, Severity::Info);
                        self.decide_advanced_chips(
                            scenario, ledger, order, dest_tier, hq, hq_tier, &mut d, &mut f,
                        );
                    }
                }
            }
        }
        d.findings = f.0;
        d
    }

    fn date_notes(&self, date: Date, f: &mut Findings) {
        let dates = &self.ruleset().dates;
        if date < dates.compliance.value {
            f.push(FindingCode::BeforeComplianceDate, Severity::Info);
        }
        if date >= dates.non_enforcement_announced.value {
            f.push(FindingCode::NonEnforcement, Severity::Info);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn decide_weights(
        &self,
        ops: f64,
        open: bool,
        dest_tier: Tier,
        hq: super::CountryCode,
        hq_tier: Tier,
        d: &mut Decision,
        f: &mut Findings,
    ) {
        if open {
            f.push(FindingCode::WeightsOpen, Severity::Info);
            return;
        }
        if ops < self.ruleset().model_weights_threshold_ops.value {
            f.push(FindingCode::WeightsBelowThreshold { ops }, Severity::Info);
            return;
        }
        d.eccn = Some(Eccn::E4E091);
        f.push(FindingCode::WeightsControlled { ops }, Severity::Info);
        match (dest_tier, hq_tier) {
            (Tier::One, Tier::One) => {
                f.push(FindingCode::WeightsAia, Severity::Pass);
                d.verdict = Verdict::Authorized;
                d.authority = Authority::Aia;
            }
            (Tier::One, _) => {
                if hq_tier == Tier::Three {
                    f.push(FindingCode::Tier3Headquarters { hq }, Severity::Warning);
                }
                f.push(FindingCode::WeightsLicenseInTier1, Severity::Warning);
                d.verdict = Verdict::LicenseRequired;
            }
            (tier, _) => {
                if tier == Tier::Three {
                    f.push(FindingCode::Tier3Destination, Severity::Deny);
                }
                f.push(FindingCode::WeightsDenial, Severity::Deny);
                d.verdict = Verdict::PresumptionOfDenial;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn decide_advanced_chips(
        &self,
        scenario: &Scenario,
        ledger: &Ledger,
        order: &Order,
        dest_tier: Tier,
        hq: super::CountryCode,
        hq_tier: Tier,
        d: &mut Decision,
        f: &mut Findings,
    ) {
        let rs = self.ruleset();
        let dest = order.destination;
        if dest_tier == Tier::Three {
            if hq_tier == Tier::Three {
                f.push(FindingCode::Tier3Headquarters { hq }, Severity::Warning);
            }
            f.push(FindingCode::Tier3Destination, Severity::Deny);
            d.verdict = Verdict::PresumptionOfDenial;
            return;
        }
        let exceptions_barred = hq_tier == Tier::Three;
        if exceptions_barred {
            f.push(FindingCode::Tier3Headquarters { hq }, Severity::Warning);
        }
        if dest_tier == Tier::One {
            if exceptions_barred {
                // no AIA, no LPP: straight to a licence
            } else if hq_tier == Tier::One {
                f.push(FindingCode::AiaApplies, Severity::Pass);
                d.verdict = Verdict::Authorized;
                d.authority = Authority::Aia;
                return;
            } else {
                f.push(
                    FindingCode::AiaHeadquartersOutsideTier1 { hq },
                    Severity::Warning,
                );
                if self.try_lpp(ledger, order, d, f) {
                    return;
                }
            }
            f.push(FindingCode::Tier1NoAllocation, Severity::Info);
            d.verdict = Verdict::LicenseRequired;
            return;
        }
        // Tier 2 destination.
        if !exceptions_barred {
            match order.veu {
                super::VeuStatus::Uveu => {
                    if hq_tier != Tier::One {
                        f.push(
                            FindingCode::UveuHeadquartersNotTier1 { hq },
                            Severity::Warning,
                        );
                    } else if self.uveu_shares_hold(scenario, ledger, order, hq, d.tpp, f) {
                        f.push(FindingCode::UveuApplies, Severity::Pass);
                        f.push(FindingCode::VeuNotCounted, Severity::Info);
                        d.verdict = Verdict::Authorized;
                        d.authority = Authority::Uveu;
                        d.draw = Some(Draw {
                            ledger: LedgerKind::Uveu { country: dest },
                            limit: None,
                            used_before: ledger
                                .uveu_shipped(&order.consignee)
                                .iter()
                                .find(|(c, _)| *c == dest)
                                .map_or(0, |(_, v)| *v),
                            amount: d.tpp,
                        });
                        return;
                    }
                }
                super::VeuStatus::Nveu => {
                    let limit = rs.nveu_limit_on(order.date);
                    let used = ledger.nveu_used(&order.consignee, dest);
                    match used.checked_add(d.tpp) {
                        Some(after) if after <= limit => {
                            f.push(
                                FindingCode::NveuWithinSchedule {
                                    limit,
                                    used_after: after,
                                },
                                Severity::Pass,
                            );
                            f.push(FindingCode::VeuNotCounted, Severity::Info);
                            d.verdict = Verdict::Authorized;
                            d.authority = Authority::Nveu;
                            d.draw = Some(Draw {
                                ledger: LedgerKind::Nveu { country: dest },
                                limit: Some(limit),
                                used_before: used,
                                amount: d.tpp,
                            });
                            return;
                        }
                        _ => f.push(
                            FindingCode::NveuExceedsSchedule {
                                limit,
                                used_before: used,
                                needed: d.tpp,
                            },
                            Severity::Warning,
                        ),
                    }
                }
                super::VeuStatus::None => {}
            }
            if self.try_lpp(ledger, order, d, f) {
                return;
            }
        }
        // A licence against the country allocation.
        let limit = self.allocation_limit(scenario, dest).unwrap_or(0);
        let drawn = ledger.allocation_drawn(dest);
        let remaining = limit.saturating_sub(drawn);
        if scenario.g2g.contains(&dest) {
            f.push(FindingCode::G2gDoubled, Severity::Info);
        }
        if d.tpp <= remaining {
            f.push(
                FindingCode::AllocationFits {
                    limit,
                    remaining_before: remaining,
                    remaining_after: remaining - d.tpp,
                },
                Severity::Info,
            );
            f.push(FindingCode::Tier2ReviewPolicyUnconfirmed, Severity::Info);
            d.verdict = Verdict::LicenseRequired;
            d.counts_against_allocation = true;
            d.allocation_remaining_tpp = Some(remaining - d.tpp);
            d.draw = Some(Draw {
                ledger: LedgerKind::CountryAllocation { country: dest },
                limit: Some(limit),
                used_before: drawn,
                amount: d.tpp,
            });
        } else {
            f.push(
                FindingCode::AllocationExceeded {
                    remaining,
                    needed: d.tpp,
                },
                Severity::Deny,
            );
            d.verdict = Verdict::PresumptionOfDenial;
        }
    }

    /// LPP if the whole order fits the consignee's room for the calendar year.
    fn try_lpp(&self, ledger: &Ledger, order: &Order, d: &mut Decision, f: &mut Findings) -> bool {
        let rs = self.ruleset();
        let dest = order.destination;
        let in_d1_d4 = self.countries.in_group(dest, "D:1") || self.countries.in_group(dest, "D:4");
        let in_a5_a6 = self.countries.in_group(dest, "A:5") || self.countries.in_group(dest, "A:6");
        if in_d1_d4 && !in_a5_a6 {
            if rs.lpp_barred_in_d1_d4.value {
                f.push(FindingCode::LppBarredD1D4, Severity::Warning);
                return false;
            }
            f.push(FindingCode::LppOpenQuestionD1D4, Severity::Warning);
        }
        let year = order.date.year();
        let limit = rs.lpp_room_tpp_per_year.value;
        let used = ledger.lpp_used(&order.consignee, year);
        let room = limit.saturating_sub(used);
        if d.tpp <= room {
            f.push(
                FindingCode::LppFits {
                    year,
                    remaining_before: room,
                    remaining_after: room - d.tpp,
                },
                Severity::Pass,
            );
            f.push(FindingCode::LppNotCounted, Severity::Info);
            d.verdict = Verdict::Authorized;
            d.authority = Authority::Lpp;
            d.draw = Some(Draw {
                ledger: LedgerKind::Lpp { year },
                limit: Some(limit),
                used_before: used,
                amount: d.tpp,
            });
            true
        } else {
            f.push(
                FindingCode::LppNoRoom {
                    year,
                    remaining: room,
                    needed: d.tpp,
                },
                Severity::Warning,
            );
            false
        }
    }

    /// The UVEU distribution limits, checked when the scenario knows the entity's installed base.
    fn uveu_shares_hold(
        &self,
        scenario: &Scenario,
        ledger: &Ledger,
        order: &Order,
        hq: super::CountryCode,
        tpp: u64,
        f: &mut Findings,
    ) -> bool {
        let Some(base) = scenario.installed_base.get(&order.consignee) else {
            f.push(FindingCode::UveuInstalledBaseUnknown, Severity::Warning);
            return true;
        };
        let rs = self.ruleset();
        let us = rs.us;
        let dest = order.destination;
        let mut total = 0u128;
        let mut tier1 = 0u128;
        let mut in_dest = 0u128;
        let mut in_us = 0u128;
        let shipped = ledger.uveu_shipped(&order.consignee);
        let entries = base
            .iter()
            .map(|(c, v)| (*c, *v))
            .chain(shipped.iter().copied())
            .chain(std::iter::once((dest, tpp)));
        for (country, amount) in entries {
            let amount = u128::from(amount);
            total += amount;
            if self.countries.tier(country) == Some(Tier::One) {
                tier1 += amount;
            }
            if country == dest {
                in_dest += amount;
            }
            if country == us {
                in_us += amount;
            }
        }
        let share = |part: u128| {
            if total == 0 {
                0.0
            } else {
                part as f64 / total as f64
            }
        };
        let (tier1_share, dest_share, us_share) = (share(tier1), share(in_dest), share(in_us));
        let mut ok = true;
        if tier1_share < rs.uveu.min_tier1_share.value {
            f.push(
                FindingCode::UveuShareBreached {
                    limit: UveuLimit::Tier1Share,
                    share: tier1_share,
                },
                Severity::Warning,
            );
            ok = false;
        }
        if dest_share > rs.uveu.max_share_per_tier2_country.value {
            f.push(
                FindingCode::UveuShareBreached {
                    limit: UveuLimit::Tier2CountryShare,
                    share: dest_share,
                },
                Severity::Warning,
            );
            ok = false;
        }
        if hq == us && us_share < rs.uveu.min_us_share_for_us_hq.value {
            f.push(
                FindingCode::UveuShareBreached {
                    limit: UveuLimit::UsShare,
                    share: us_share,
                },
                Severity::Warning,
            );
            ok = false;
        }
        if ok {
            f.push(
                FindingCode::UveuSharesHold {
                    tier1_share,
                    country_share: dest_share,
                },
                Severity::Pass,
            );
        }
        ok
    }
}

struct Findings(Vec<Finding>);

impl Findings {
    fn push(&mut self, code: FindingCode, severity: Severity) {
        self.0.push(Finding { code, severity });
    }
}
