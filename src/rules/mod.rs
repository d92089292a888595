//! Pure domain: the rule as data, countries and tiers, chips, orders, the engine and its ledgers.
//! Nothing here knows about egui.

pub mod chips;
pub mod countries;
pub mod country_code;
pub mod data_file;
pub mod decision;
pub mod engine;
pub mod ledger;
pub mod order;
pub mod provenance;
pub mod ruleset;
pub mod scenario;

pub use chips::{Chip, ChipCatalogue, ChipClass};
pub use countries::{Countries, Country, Tier};
pub use country_code::CountryCode;
pub use data_file::DataError;
pub use decision::{Authority, Decision, Draw, Eccn, Finding, LedgerKind, Severity, Verdict};
pub use engine::Engine;
pub use ledger::Ledger;
pub use order::{Field, FieldError, Item, Order, RawOrder, VeuStatus};
pub use provenance::{Confidence, Param, Provenance};
pub use ruleset::{LoadedRuleset, Ruleset};
pub use scenario::Scenario;
