//! Headless commands on the same library as the GUI.

pub mod check;
pub mod deck;
pub mod ledger;
pub mod report;
pub mod screen;
pub mod screenshot;

use crate::rules::{Engine, LoadedRuleset};
use std::path::Path;

/// The engine for a command: the embedded ruleset, or the one named by `--ruleset`.
pub fn engine_for(ruleset: Option<&Path>) -> Result<Engine, String> {
    match ruleset {
        None => Ok(Engine::embedded()),
        Some(p) => {
            let loaded = LoadedRuleset::load(p).map_err(|e| e.to_string())?;
            Engine::with_ruleset(loaded).map_err(|e| e.to_string())
        }
    }
}
