//! Diffusion Desk: decision support for the US "Framework for Artificial Intelligence Diffusion"
//! export rule (90 FR 4544). Not legal advice.

pub mod cli;
pub mod fleets;
pub mod format;
pub mod geo;
pub mod report;
pub mod rules;
pub mod screening;
pub mod session;
pub mod store;
pub mod ui;
