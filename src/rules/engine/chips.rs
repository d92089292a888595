//! Rules 3–7 for chips: classification, then AIA, VEU, LPP and the country allocation, in the
//! order the rule tries them for each destination tier.

use super::{Findings, Route};
use crate::rules::VeuStatus;
use crate::rules::chips::{Chip, ChipClass};
use crate::rules::countries::Tier;
use crate::rules::decision::{Authority, Decision, Draw, Eccn, LedgerKind, Severity, Verdict};
use crate::rules::finding::{FindingCode, UveuLimit};

impl Route<'_> {
    /// Rule 3: classify the chip, then send 3A090.a parts down the advanced-chip routes.
    pub(super) fn chip(&self, chip: &Chip, d: &mut Decision, f: &mut Findings) {
        let per_unit = chip.tpp();
        d.tpp = per_unit.saturating_mul(self.order.quantity);
        let class = chip.classify(&self.engine.ruleset().chip_thresholds);
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
            ChipClass::AcaNonDatacenter => self.aca(d, f),
            ChipClass::A090a | ChipClass::A090aByDensity | ChipClass::A090aDensityUnknown => {
                if class == ChipClass::A090aDensityUnknown {
                    f.push(FindingCode::DensityUnknown, Severity::Warning);
                }
                d.eccn = Some(Eccn::A3A090a);
                f.push(FindingCode::WorldwideLicense, Severity::Info);
                self.advanced(d, f);
            }
        }
    }

    /// No exception applies to this order: a Tier-3 link, a restricted party or an override.
    fn no_exceptions(&self) -> bool {
        self.barred || self.facts.tier3_link.is_some()
    }

    /// Non-datacenter parts at or above the threshold go to License Exception ACA.
    fn aca(&self, d: &mut Decision, f: &mut Findings) {
        d.eccn = Some(Eccn::A3A090a);
        if self.facts.dest_tier == Tier::Three {
            f.push(FindingCode::Tier3Destination, Severity::Deny);
            d.verdict = Verdict::PresumptionOfDenial;
        } else if self.no_exceptions() {
            f.push(FindingCode::AcaBarred, Severity::Warning);
            d.verdict = Verdict::LicenseRequired;
        } else {
            f.push(FindingCode::AcaApplies, Severity::Pass);
            d.verdict = Verdict::Authorized;
            d.authority = Authority::Aca;
        }
    }

    /// Rules 4–6 for 3A090.a parts.
    fn advanced(&self, d: &mut Decision, f: &mut Findings) {
        match self.facts.dest_tier {
            Tier::Three => {
                f.push(FindingCode::Tier3Destination, Severity::Deny);
                d.verdict = Verdict::PresumptionOfDenial;
            }
            Tier::One => self.tier1(d, f),
            Tier::Two => self.tier2(d, f),
        }
    }

    /// Rule 5: AIA for an all-Tier-1 entity; otherwise NVEU, LPP, then a licence.
    fn tier1(&self, d: &mut Decision, f: &mut Findings) {
        if !self.no_exceptions() {
            match self.facts.not_all_tier1 {
                None => {
                    f.push(
                        FindingCode::AiaApplies {
                            with_parent: self.order.parent_hq.is_some(),
                            country: self.order.destination,
                        },
                        Severity::Pass,
                    );
                    d.verdict = Verdict::Authorized;
                    d.authority = Authority::Aia;
                    return;
                }
                Some(b) => f.push(
                    FindingCode::AiaBlocked {
                        role: b.role,
                        hq: b.hq,
                        tier: b.tier,
                    },
                    Severity::Warning,
                ),
            }
            if self.order.veu == VeuStatus::Nveu && self.try_nveu(d, f) {
                return;
            }
            if self.try_lpp(d, f) {
                return;
            }
        }
        f.push(FindingCode::Tier1NoAllocation, Severity::Info);
        d.verdict = Verdict::LicenseRequired;
    }

    /// Rule 6: UVEU, NVEU, LPP, then a licence against the country allocation.
    fn tier2(&self, d: &mut Decision, f: &mut Findings) {
        if !self.no_exceptions() {
            let veu_holds = match self.order.veu {
                VeuStatus::Uveu => self.try_uveu(d, f),
                VeuStatus::Nveu => self.try_nveu(d, f),
                VeuStatus::None => false,
            };
            if veu_holds || self.try_lpp(d, f) {
                return;
            }
        }
        self.try_allocation(d, f);
    }

    /// UVEU for an eligible entity while the distribution limits hold.
    fn try_uveu(&self, d: &mut Decision, f: &mut Findings) -> bool {
        if let Some(b) = self.facts.uveu_blocker {
            f.push(
                FindingCode::UveuIneligible {
                    role: b.role,
                    hq: b.hq,
                    tier: b.tier,
                },
                Severity::Warning,
            );
            return false;
        }
        if !self.uveu_shares_hold(d.tpp, f) {
            return false;
        }
        let dest = self.order.destination;
        f.push(FindingCode::UveuApplies, Severity::Pass);
        f.push(FindingCode::VeuNotCounted, Severity::Info);
        d.verdict = Verdict::Authorized;
        d.authority = Authority::Uveu;
        d.draw = Some(Draw {
            ledger: LedgerKind::Uveu { country: dest },
            limit: None,
            used_before: self.ledger.uveu_in(&self.order.consignee, dest),
            amount: d.tpp,
        });
        true
    }

    /// NVEU while the entity's cumulative TPP in the country stays within the schedule for the
    /// order's date (inclusive).
    fn try_nveu(&self, d: &mut Decision, f: &mut Findings) -> bool {
        let dest = self.order.destination;
        let limit = self.engine.ruleset().nveu_limit_on(self.order.date);
        let used = self.ledger.nveu_used(&self.order.consignee, dest);
        match used.checked_add(d.tpp) {
            Some(after) if after <= limit => {
                f.push(
                    FindingCode::NveuWithinSchedule {
                        country: dest,
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
                true
            }
            _ => {
                f.push(
                    FindingCode::NveuExceedsSchedule {
                        limit,
                        used_before: used,
                        needed: d.tpp,
                    },
                    Severity::Warning,
                );
                false
            }
        }
    }

    /// LPP if the whole order fits the consignee's room for the calendar year (inclusive).
    fn try_lpp(&self, d: &mut Decision, f: &mut Findings) -> bool {
        let rs = self.engine.ruleset();
        let countries = self.engine.countries();
        let dest = self.order.destination;
        let in_d1_d4 = countries.in_group(dest, "D:1") || countries.in_group(dest, "D:4");
        let in_a5_a6 = countries.in_group(dest, "A:5") || countries.in_group(dest, "A:6");
        if in_d1_d4 && !in_a5_a6 {
            if rs.lpp_barred_in_d1_d4.value {
                f.push(FindingCode::LppBarredD1D4, Severity::Warning);
                return false;
            }
            f.push(FindingCode::LppOpenQuestionD1D4, Severity::Warning);
        }
        let year = self.order.date.year();
        let limit = rs.lpp_room_tpp_per_year.value;
        let used = self.ledger.lpp_used(&self.order.consignee, year);
        let room = limit.saturating_sub(used);
        if d.tpp > room {
            f.push(
                FindingCode::LppNoRoom {
                    year,
                    remaining: room,
                    needed: d.tpp,
                },
                Severity::Warning,
            );
            return false;
        }
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
    }

    /// A licence: `license_required` while the order fits the country's remaining allocation
    /// (inclusive), which it then draws; `presumption_of_denial` beyond it, drawing nothing.
    fn try_allocation(&self, d: &mut Decision, f: &mut Findings) {
        let dest = self.order.destination;
        let limit = self
            .engine
            .allocation_limit(self.ctx.scenario, dest)
            .unwrap_or(0);
        let drawn = self.ledger.allocation_drawn(dest);
        let remaining = limit.saturating_sub(drawn);
        if self.ctx.scenario.g2g.contains(&dest) {
            f.push(FindingCode::G2gDoubled { country: dest }, Severity::Info);
        }
        if d.tpp > remaining {
            f.push(
                FindingCode::AllocationExceeded {
                    country: dest,
                    remaining,
                    needed: d.tpp,
                },
                Severity::Deny,
            );
            d.verdict = Verdict::PresumptionOfDenial;
            return;
        }
        f.push(
            FindingCode::AllocationFits {
                country: dest,
                limit,
                remaining_before: remaining,
                remaining_after: remaining - d.tpp,
            },
            Severity::Info,
        );
        f.push(FindingCode::Tier2ReviewPolicyUnconfirmed, Severity::Info);
        d.verdict = Verdict::LicenseRequired;
        d.allocation_draw = d.tpp;
        d.allocation_remaining_tpp = Some(remaining - d.tpp);
        d.draw = Some(Draw {
            ledger: LedgerKind::CountryAllocation { country: dest },
            limit: Some(limit),
            used_before: drawn,
            amount: d.tpp,
        });
    }

    /// The UVEU distribution limits, checked when the scenario knows the entity's installed base.
    fn uveu_shares_hold(&self, tpp: u64, f: &mut Findings) -> bool {
        let order = self.order;
        let Some(base) = self.ctx.scenario.installed_base.get(&order.consignee) else {
            f.push(FindingCode::UveuInstalledBaseUnknown, Severity::Warning);
            return true;
        };
        let rs = self.engine.ruleset();
        let countries = self.engine.countries();
        let (us, dest) = (rs.us, order.destination);
        let (mut total, mut tier1, mut in_dest, mut in_us) = (0u128, 0u128, 0u128, 0u128);
        let entries = base
            .iter()
            .map(|(c, v)| (*c, *v))
            .chain(self.ledger.uveu_shipped(&order.consignee).iter().copied())
            .chain(std::iter::once((dest, tpp)));
        for (country, amount) in entries {
            let amount = u128::from(amount);
            total += amount;
            if countries.tier(country) == Some(Tier::One) {
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
        let u = &rs.uveu;
        let us_hq = self.facts.parent.map_or(order.consignee_hq, |(hq, _)| hq) == us;
        let breaches = [
            (tier1_share < u.min_tier1_share.value).then_some((UveuLimit::Tier1Share, tier1_share)),
            (dest_share > u.max_share_per_tier2_country.value)
                .then_some((UveuLimit::Tier2CountryShare, dest_share)),
            (us_hq && us_share < u.min_us_share_for_us_hq.value)
                .then_some((UveuLimit::UsShare, us_share)),
        ];
        let mut ok = true;
        for (limit, share) in breaches.into_iter().flatten() {
            f.push(
                FindingCode::UveuShareBreached { limit, share },
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
