//! Who may record what on a team ledger. The database enforces it (`ledger.required_role` in the
//! migrations, checked by `ledger.append`); this copy lets the app refuse at once, with a
//! helpful message, what the server would refuse after a round trip. A test checks both agree.

use crate::rules::LicenceOutcome;
use crate::session::audit::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Enters orders, parties, override requests and licence applications.
    Officer,
    /// Clears or confirms holds, approves overrides, records licence decisions and the scenario.
    Reviewer,
    /// Reads everything, changes nothing.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Officer, Role::Reviewer, Role::Auditor];

    /// The database role to grant.
    pub fn db_name(self) -> &'static str {
        match self {
            Role::Officer => "ledger_officer",
            Role::Reviewer => "ledger_reviewer",
            Role::Auditor => "ledger_auditor",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Reviewer => "reviewer",
            Role::Auditor => "auditor",
        }
    }
}

/// The role that may record `action`; `None` for what only an import records.
pub fn required_role(action: &Action) -> Option<Role> {
    use Action as A;
    let pending = |o: &LicenceOutcome| *o == LicenceOutcome::Pending;
    Some(match action {
        A::Created | A::Imported { .. } => return None,
        A::OrderAdded { .. }
        | A::OrderEdited { .. }
        | A::OrderVoided { .. }
        | A::OrdersVoided { .. }
        | A::OrderRestored { .. }
        | A::OrdersImported { .. }
        | A::PartySaved { .. }
        | A::PartyRemoved { .. }
        | A::OverrideRequested { .. }
        | A::OverrideWithdrawn { .. }
        | A::WhatIfSaved { .. }
        | A::WhatIfRemoved { .. } => Role::Officer,
        A::ScreeningDecided { .. }
        | A::ScreeningReopened { .. }
        | A::OverrideApproved { .. }
        | A::ScreeningThresholdChanged { .. }
        | A::ScenarioChanged { .. } => Role::Reviewer,
        A::LicenceSaved { before, after } => {
            if pending(&after.outcome) && before.as_ref().is_none_or(|b| pending(&b.outcome)) {
                Role::Officer
            } else {
                Role::Reviewer
            }
        }
        A::LicenceRemoved { licence } => {
            if pending(&licence.outcome) {
                Role::Officer
            } else {
                Role::Reviewer
            }
        }
    })
}

/// Why a user holding `roles` may not record `action`, if they may not.
pub fn refusal(user: &str, roles: &[Role], action: &Action) -> Option<String> {
    match required_role(action) {
        None => Some(format!(
            "\"{}\" is recorded only by importing a session into the ledger",
            action.kind()
        )),
        Some(r) if roles.contains(&r) => None,
        Some(r) => Some(format!(
            "{user} may not record \"{}\": that takes the {} role (an administrator can grant it: GRANT {} TO {user})",
            action.kind(),
            r.label(),
            r.db_name()
        )),
    }
}
