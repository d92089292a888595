//! Pure domain: the rule as data, countries and tiers, chips, orders, the engine and its ledgers,
//! and what the engine takes from outside it (screening results, licences, overrides, what-ifs).
//! Nothing here knows about egui.

pub mod chips;
pub mod countries;
pub mod country_code;
pub mod data_file;
pub mod decision;
pub mod engine;
pub mod finding;
pub mod ledger;
pub mod licence;
pub mod order;
pub mod override_request;
pub mod provenance;
pub mod ruleset;
pub mod scenario;
pub mod screening;
pub mod what_if;

pub use chips::{Chip, ChipCatalogue, ChipClass};
pub use countries::{Countries, Country, Tier};
pub use country_code::CountryCode;
pub use data_file::DataError;
pub use decision::{Authority, Decision, Draw, Eccn, LedgerKind, Severity, Verdict};
pub use engine::{BookContext, BookDecisions, Engine, Redecided};
pub use finding::{Finding, FindingCode, FindingContext};
pub use ledger::Ledger;
pub use licence::{Licence, LicenceAmount, LicenceOutcome, LicenceState};
pub use order::{Field, FieldError, FieldErrorKind, Item, Order, RawOrder, VeuStatus};
pub use override_request::{Approval, DecisionOverride, OverrideVerdict};
pub use provenance::{Confidence, Param, Provenance};
pub use ruleset::{LoadedRuleset, Ruleset};
pub use scenario::Scenario;
pub use screening::{Hit, HitState, ListEffect, ListRef, PartyRole, Screening, ScreeningStatus};
pub use what_if::{RuleChanges, WhatIf};
