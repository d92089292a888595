//! Rule 9: what the order's restricted-party matches do before any route is tried.

use super::Findings;
use crate::rules::decision::{Severity, Verdict};
use crate::rules::finding::FindingCode;
use crate::rules::screening::{HitState, ListEffect, Screening};

/// The outcome of screening for the rest of the evaluation.
#[derive(Debug, Default)]
pub(super) struct Gate {
    /// A possible match (or a confirmed sanctions-list match) waits for a person.
    pub hold: bool,
    /// A confirmed BIS-list match: no licence exception and no VEU.
    pub bars_exceptions: bool,
    /// The least the verdict can be, from the confirmed lists' policies.
    pub floor: Option<Verdict>,
    /// A confirmed Denied Persons match: no transaction, so no licence either.
    pub denied_persons: bool,
}

pub(super) fn gate(screening: Option<&Screening>, with_parent: bool, f: &mut Findings) -> Gate {
    let mut g = Gate::default();
    let Some(s) = screening else { return g };
    if s.hits.is_empty() {
        f.push(FindingCode::ScreeningClear { with_parent }, Severity::Info);
        return g;
    }
    // Waiting for a person: an open match, or a confirmed sanctions-list match.
    let mut waiting = false;
    for (i, h) in s.hits.iter().enumerate() {
        let hit = u16::try_from(i).unwrap_or(u16::MAX);
        let severity = match h.state {
            HitState::Open => Severity::Warning,
            HitState::Cleared { .. } => Severity::Info,
            HitState::Confirmed { .. } => Severity::Deny,
        };
        f.push(FindingCode::ScreeningMatch { hit }, severity);
        match h.state {
            HitState::Open => waiting = true,
            HitState::Cleared { .. } => {}
            HitState::Confirmed { .. } => waiting |= confirmed(&mut g, &h.list.effect, hit, f),
        }
    }
    // A confirmed BIS-list match decides the verdict whatever else is still open.
    g.hold = waiting && !g.bars_exceptions;
    g
}

/// Records a confirmed match's effect; returns whether it keeps the order waiting (sanctions
/// lists give a finding and a hold, not an EAR verdict).
fn confirmed(g: &mut Gate, effect: &ListEffect, hit: u16, f: &mut Findings) -> bool {
    let verdict = match effect {
        ListEffect::NonEar => {
            f.push(FindingCode::ScreeningNonEar { hit }, Severity::Warning);
            return true;
        }
        ListEffect::DeniedPersons => {
            g.denied_persons = true;
            Verdict::PresumptionOfDenial
        }
        ListEffect::EntityList {
            denial_policy: true,
        } => Verdict::PresumptionOfDenial,
        ListEffect::EntityList {
            denial_policy: false,
        }
        | ListEffect::Unverified
        | ListEffect::MilitaryEndUser => Verdict::LicenseRequired,
    };
    g.bars_exceptions = true;
    f.push(
        FindingCode::ScreeningListVerdict { hit, verdict },
        Severity::Deny,
    );
    if g.floor
        .is_none_or(|v| verdict.strictness() > v.strictness())
    {
        g.floor = Some(verdict);
    }
    false
}
