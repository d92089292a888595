//! Licences: what an officer applies for when an order needs one, and what BIS decides.
//!
//! An application is attached to the order that needed it. Once approved, that order and any
//! later order that names the licence ship under it (authority `LICENSE`) and draw on its approved
//! amount until it is used up or expires. In a Tier 2 destination the approved amount draws the
//! country allocation once, through the applying order; a denied application releases what the
//! applying order held of the allocation.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// What BIS approved: a number of units of the order's item, or an amount of TPP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LicenceAmount {
    Units(u64),
    Tpp(u64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LicenceOutcome {
    /// Applied for, no decision yet.
    Pending,
    Approved {
        /// The licence number BIS issued, e.g. "D123456".
        number: String,
        decided: Date,
        approved: LicenceAmount,
        /// Last day shipments may go under it.
        valid_until: Date,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        conditions: String,
    },
    Denied {
        decided: Date,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    /// The application number (unique in a session), e.g. "Z1234567".
    pub application: String,
    /// The order the application was made for.
    pub order_id: String,
    pub applied: Date,
    pub outcome: LicenceOutcome,
}

/// Where a licence stands, for lists and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LicenceState {
    Applied,
    Approved,
    Denied,
}

impl LicenceState {
    pub fn label(self) -> &'static str {
        match self {
            LicenceState::Applied => "applied",
            LicenceState::Approved => "approved",
            LicenceState::Denied => "denied",
        }
    }
}

impl Licence {
    /// The licence number when approved, else the application number: what orders refer to.
    pub fn reference(&self) -> &str {
        match &self.outcome {
            LicenceOutcome::Approved { number, .. } => number,
            _ => &self.application,
        }
    }

    /// Whether `reference` names this licence (its number or its application number).
    pub fn is_named(&self, reference: &str) -> bool {
        let r = reference.trim();
        r.eq_ignore_ascii_case(&self.application)
            || matches!(&self.outcome, LicenceOutcome::Approved { number, .. } if r.eq_ignore_ascii_case(number))
    }

    pub fn state(&self) -> LicenceState {
        match self.outcome {
            LicenceOutcome::Pending => LicenceState::Applied,
            LicenceOutcome::Approved { .. } => LicenceState::Approved,
            LicenceOutcome::Denied { .. } => LicenceState::Denied,
        }
    }

    /// Checks a licence as entered: dates in order, a positive approved amount.
    pub fn check(&self) -> Result<(), String> {
        if self.application.trim().is_empty() {
            return Err("application number: is empty".into());
        }
        if self.order_id.trim().is_empty() {
            return Err("order: is empty".into());
        }
        match &self.outcome {
            LicenceOutcome::Pending => Ok(()),
            LicenceOutcome::Approved {
                number,
                decided,
                approved,
                valid_until,
                ..
            } => {
                if number.trim().is_empty() {
                    return Err("licence number: is empty".into());
                }
                if decided < &self.applied {
                    return Err(format!(
                        "approved on {decided}, before the application of {}",
                        self.applied
                    ));
                }
                if valid_until < decided {
                    return Err(format!(
                        "valid until {valid_until}, before its approval on {decided}"
                    ));
                }
                match approved {
                    LicenceAmount::Units(0) | LicenceAmount::Tpp(0) => {
                        Err("approved amount: must be positive".into())
                    }
                    _ => Ok(()),
                }
            }
            LicenceOutcome::Denied { decided, .. } => {
                if decided < &self.applied {
                    Err(format!(
                        "denied on {decided}, before the application of {}",
                        self.applied
                    ))
                } else {
                    Ok(())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn approved() -> Licence {
        Licence {
            application: "Z1".into(),
            order_id: "Q3-004".into(),
            applied: date(2025, 7, 1),
            outcome: LicenceOutcome::Approved {
                number: "D123456".into(),
                decided: date(2025, 7, 20),
                approved: LicenceAmount::Tpp(1_600_000_000),
                valid_until: date(2027, 7, 20),
                conditions: String::new(),
            },
        }
    }

    #[test]
    fn named_by_number_or_application() {
        let l = approved();
        assert!(l.is_named("d123456"));
        assert!(l.is_named(" Z1 "));
        assert!(!l.is_named("D9"));
        assert_eq!(l.reference(), "D123456");
        assert_eq!(l.state(), LicenceState::Approved);
    }

    #[test]
    fn checks_dates_and_amounts() {
        assert!(approved().check().is_ok());
        let mut l = approved();
        if let LicenceOutcome::Approved { valid_until, .. } = &mut l.outcome {
            *valid_until = date(2025, 7, 1);
        }
        assert!(l.check().unwrap_err().contains("valid until"));
        let mut l = approved();
        if let LicenceOutcome::Approved { approved, .. } = &mut l.outcome {
            *approved = LicenceAmount::Units(0);
        }
        assert!(l.check().is_err());
    }
}
