//! What the engine needs to know about an order's restricted-party screening (engine v2 rule 9).
//!
//! The engine does not screen: the `screening` module matches names against the lists, the
//! session records what a person decided about each match, and the result arrives here as plain
//! data. Rule 9 then decides what the matches do to the order.

use serde::{Deserialize, Serialize};

/// Which party of an order a name or headquarters belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PartyRole {
    /// The ultimate consignee.
    Consignee,
    /// The consignee's ultimate parent.
    Parent,
}

impl PartyRole {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyRole::Consignee => "consignee",
            PartyRole::Parent => "parent",
        }
    }
}

/// What a confirmed match on a list does under rule 9.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListEffect {
    /// Denied Persons List: the party may not take part in the transaction.
    DeniedPersons,
    /// Entity List: no licence exceptions; licence policy from the entry.
    EntityList {
        /// The entry's licence policy reads as a presumption or policy of denial.
        denial_policy: bool,
    },
    /// Unverified List: no licence exceptions.
    Unverified,
    /// Military End-User List: no licence exceptions.
    MilitaryEndUser,
    /// Treasury and State lists: a finding and a hold, not an EAR verdict by itself.
    NonEar,
}

impl ListEffect {
    /// Whether a confirmed match blocks every licence exception and VEU (the BIS lists).
    pub fn blocks_exceptions(&self) -> bool {
        !matches!(self, ListEffect::NonEar)
    }
}

/// The list an entry is on, as findings cite it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListRef {
    /// Short name, e.g. "EL", "DPL", "SDN".
    pub short: String,
    /// Full name, e.g. "Entity List (EL) - Bureau of Industry and Security".
    pub label: String,
    /// The legal authority a finding cites, e.g. "15 CFR 744.11; Supp. No. 4 to Part 744".
    pub authority: String,
    pub effect: ListEffect,
}

/// What a person decided about a possible match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HitState {
    /// Nobody has looked at it yet: the order is on hold.
    Open,
    /// A person decided the party is not the listed entry.
    Cleared { by: String, reason: String },
    /// A person decided the party is the listed entry.
    Confirmed { by: String, reason: String },
}

/// One match of an order's party against a list entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub role: PartyRole,
    /// The party's name as the order gives it.
    pub party: String,
    pub list: ListRef,
    /// The entry's primary name.
    pub entry_name: String,
    /// The name or alternative name that matched.
    pub matched_name: String,
    pub entity_number: Option<String>,
    /// Similarity, 0..=1.
    pub score: f64,
    /// Normalised names are equal (a confirmed-match candidate; a person still confirms).
    pub exact: bool,
    /// Why the names match, in words a person can check.
    pub why: String,
    /// The entry's licence policy as written, when it has one.
    pub policy_text: Option<String>,
    pub state: HitState,
}

/// The screening status of an order, as the decision JSON reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScreeningStatus {
    /// No match above the threshold.
    Clear,
    /// A match nobody has decided on yet: the order is a hold.
    PossibleMatch,
    /// A person confirmed a match.
    ConfirmedMatch,
    /// Every match was cleared by a person.
    Cleared,
}

impl ScreeningStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ScreeningStatus::Clear => "clear",
            ScreeningStatus::PossibleMatch => "possible_match",
            ScreeningStatus::ConfirmedMatch => "confirmed_match",
            ScreeningStatus::Cleared => "cleared",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ScreeningStatus::Clear => "clear",
            ScreeningStatus::PossibleMatch => "possible match",
            ScreeningStatus::ConfirmedMatch => "confirmed match",
            ScreeningStatus::Cleared => "cleared",
        }
    }
}

/// The screening of one order's parties against one vintage of the lists.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Screening {
    /// The list vintage that screened the order, e.g. "2026-07-31".
    pub list_vintage: String,
    pub hits: Vec<Hit>,
}

impl Screening {
    /// A screening that found nothing.
    pub fn clear(list_vintage: impl Into<String>) -> Self {
        Self {
            list_vintage: list_vintage.into(),
            hits: Vec::new(),
        }
    }

    /// Confirmed beats open beats cleared beats clear.
    pub fn status(&self) -> ScreeningStatus {
        let states = || self.hits.iter().map(|h| &h.state);
        if states().any(|s| matches!(s, HitState::Confirmed { .. })) {
            ScreeningStatus::ConfirmedMatch
        } else if states().any(|s| matches!(s, HitState::Open)) {
            ScreeningStatus::PossibleMatch
        } else if self.hits.is_empty() {
            ScreeningStatus::Clear
        } else {
            ScreeningStatus::Cleared
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(state: HitState) -> Hit {
        Hit {
            role: PartyRole::Consignee,
            party: "X".into(),
            list: ListRef {
                short: "EL".into(),
                label: "Entity List".into(),
                authority: "15 CFR 744.11".into(),
                effect: ListEffect::EntityList {
                    denial_policy: true,
                },
            },
            entry_name: "X".into(),
            matched_name: "X".into(),
            entity_number: None,
            score: 1.0,
            exact: true,
            why: String::new(),
            policy_text: None,
            state,
        }
    }

    #[test]
    fn status_orders_confirmed_open_cleared_clear() {
        let cleared = HitState::Cleared {
            by: "a".into(),
            reason: "r".into(),
        };
        let confirmed = HitState::Confirmed {
            by: "a".into(),
            reason: "r".into(),
        };
        let mut s = Screening::clear("2026-07-31");
        assert_eq!(s.status(), ScreeningStatus::Clear);
        s.hits.push(hit(cleared));
        assert_eq!(s.status(), ScreeningStatus::Cleared);
        s.hits.push(hit(HitState::Open));
        assert_eq!(s.status(), ScreeningStatus::PossibleMatch);
        s.hits.push(hit(confirmed));
        assert_eq!(s.status(), ScreeningStatus::ConfirmedMatch);
    }
}
