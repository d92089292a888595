//! Rule 8: model weights (ECCN 4E091).

use super::{Findings, Route};
use crate::rules::countries::Tier;
use crate::rules::decision::{Authority, Decision, Eccn, Severity, Verdict};
use crate::rules::finding::FindingCode;

/// Closed weights trained with at least the threshold are 4E091. An all-Tier-1 entity located
/// outside Tier 3 may receive them under AIA (with storage-security conditions); otherwise a
/// Tier 1 destination needs a licence and any other destination meets a presumption of denial.
pub(super) fn decide(route: &Route, ops: f64, open: bool, d: &mut Decision, f: &mut Findings) {
    if open {
        f.push(FindingCode::WeightsOpen, Severity::Info);
        return;
    }
    if ops < route.engine.ruleset().model_weights_threshold_ops.value {
        f.push(FindingCode::WeightsBelowThreshold { ops }, Severity::Info);
        return;
    }
    d.eccn = Some(Eccn::E4E091);
    f.push(FindingCode::WeightsControlled { ops }, Severity::Info);
    let dest_tier = route.facts.dest_tier;
    let blocker = route.facts.not_all_tier1;
    if !route.barred && blocker.is_none() && dest_tier != Tier::Three {
        f.push(FindingCode::WeightsAia, Severity::Pass);
        d.verdict = Verdict::Authorized;
        d.authority = Authority::Aia;
        return;
    }
    if let Some(b) = blocker {
        f.push(
            FindingCode::AiaBlocked {
                role: b.role,
                hq: b.hq,
                tier: b.tier,
            },
            Severity::Warning,
        );
    }
    match dest_tier {
        Tier::One => {
            f.push(FindingCode::WeightsLicenseInTier1, Severity::Warning);
            d.verdict = Verdict::LicenseRequired;
        }
        Tier::Two | Tier::Three => {
            if dest_tier == Tier::Three {
                f.push(FindingCode::Tier3Destination, Severity::Deny);
            }
            f.push(FindingCode::WeightsDenial { dest_tier }, Severity::Deny);
            d.verdict = Verdict::PresumptionOfDenial;
        }
    }
}
