//! Rules 1–2: the tier of the destination and of both headquarters, never collapsed into one.

use super::{Engine, Findings};
use crate::rules::countries::{Tier, TierReason};
use crate::rules::decision::Severity;
use crate::rules::finding::FindingCode;
use crate::rules::ruleset::UveuEligibility;
use crate::rules::screening::PartyRole;
use crate::rules::{CountryCode, Order};

/// A party whose headquarters stops a route: who, where, and that place's tier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Blocker {
    pub role: PartyRole,
    pub hq: CountryCode,
    pub tier: Tier,
}

/// What the order's places say, before any route is tried.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts {
    pub dest_tier: Tier,
    pub consignee_tier: Tier,
    /// The ultimate parent's headquarters and its tier, when the order names one.
    pub parent: Option<(CountryCode, Tier)>,
    /// Either headquarters in Tier 3: no exception and no VEU anywhere (§740.2(a)(9)(ii)(B)).
    pub tier3_link: Option<Blocker>,
    /// The first party headquartered outside Tier 1; `None` for an all-Tier-1 entity (AIA).
    pub not_all_tier1: Option<Blocker>,
    /// The party that makes the entity ineligible for UVEU under the ruleset's reading.
    pub uveu_blocker: Option<Blocker>,
}

impl Facts {
    pub fn of(engine: &Engine, order: &Order) -> Self {
        let countries = engine.countries();
        // Unknown codes cannot pass validation; Tier 2 is the residual tier.
        let tier = |c: CountryCode| countries.tier(c).unwrap_or(Tier::Two);
        let consignee = Blocker {
            role: PartyRole::Consignee,
            hq: order.consignee_hq,
            tier: tier(order.consignee_hq),
        };
        let parent = order.parent_hq.map(|hq| Blocker {
            role: PartyRole::Parent,
            hq,
            tier: tier(hq),
        });
        let parties = || std::iter::once(consignee).chain(parent);
        let tier3_link = parties().find(|p| p.tier == Tier::Three);
        let not_all_tier1 = parties().find(|p| p.tier != Tier::One);
        let uveu_blocker = match engine.ruleset().uveu_eligibility.value {
            UveuEligibility::UltimateParentInTier1 => tier3_link.or_else(|| {
                let decider = parent.unwrap_or(consignee);
                (decider.tier != Tier::One).then_some(decider)
            }),
            UveuEligibility::EntityAndParentInTier1 => not_all_tier1,
        };
        Self {
            dest_tier: tier(order.destination),
            consignee_tier: consignee.tier,
            parent: parent.map(|p| (p.hq, p.tier)),
            tier3_link,
            not_all_tier1,
            uveu_blocker,
        }
    }

    /// The findings every decision starts with: where the order goes, where its parties are
    /// headquartered, the Tier-3 link if any, and the notes its date calls for.
    pub fn push_context(&self, engine: &Engine, order: &Order, f: &mut Findings) {
        let reason = engine
            .countries()
            .tier_reason(order.destination)
            .unwrap_or(TierReason::Residual);
        f.push(
            FindingCode::DestinationTier {
                country: order.destination,
                tier: self.dest_tier,
                reason: reason.into(),
            },
            Severity::Info,
        );
        f.push(
            FindingCode::ConsigneeHq {
                hq: order.consignee_hq,
                tier: self.consignee_tier,
            },
            Severity::Info,
        );
        if let Some((hq, tier)) = self.parent {
            f.push(FindingCode::ParentHq { hq, tier }, Severity::Info);
        }
        if let Some(b) = self.tier3_link {
            f.push(
                FindingCode::Tier3Link {
                    role: b.role,
                    hq: b.hq,
                },
                Severity::Warning,
            );
        }
        let dates = &engine.ruleset().dates;
        if order.date < dates.compliance.value {
            f.push(FindingCode::BeforeComplianceDate, Severity::Info);
        }
        if order.date >= dates.non_enforcement_announced.value {
            f.push(FindingCode::NonEnforcement, Severity::Info);
        }
    }
}
