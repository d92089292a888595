//! A what-if evaluated on the session's order book: its engine, its scenario, the decisions of
//! every order under it, the per-country summary, and the diff against the rule as written.
//! Building one means re-reading the ruleset and re-evaluating the whole book (caps are
//! cumulative), so [`WhatIfCache`] builds it once per what-if, ruleset and book revision and the
//! views share the result. Pure domain, no egui.

use super::Workspace;
use super::book::BookSummary;
use super::what_if_diff::WhatIfDiff;
use crate::rules::{CountryCode, Decision, Engine, Scenario, Tier, WhatIf};
use std::sync::Arc;

/// The label every view puts on a what-if: it is never a reading of the rule.
pub fn banner(name: &str) -> String {
    format!("What-if: {name} — not the rule as written")
}

/// A what-if applied to the session's order book.
#[derive(Debug)]
pub struct WhatIfBook {
    pub what_if: WhatIf,
    /// The ruleset with the what-if's changes (it names itself as a what-if).
    pub engine: Arc<Engine>,
    /// The session's scenario with the what-if's g2g set, if it has one.
    pub scenario: Scenario,
    /// Aligned with the session's orders.
    pub decisions: Vec<Decision>,
    pub summary: BookSummary,
    pub diff: WhatIfDiff,
    /// Countries whose tier the what-if changes: (country, tier as written, tier under the what-if).
    pub tier_changes: Vec<(CountryCode, Tier, Tier)>,
    /// One line per change, for labels and slides.
    pub description: Vec<String>,
}

impl WhatIfBook {
    /// Evaluates `what_if` on the workspace's book, with its licences, overrides and screenings.
    pub fn evaluate(ws: &Workspace, what_if: &WhatIf) -> Result<Self, String> {
        let engine = Arc::new(what_if.engine(&ws.engine)?);
        let scenario = what_if.scenario(&ws.session.scenario);
        let screenings = ws.screenings();
        let mut ctx = ws.book_context(screenings);
        ctx.scenario = &scenario;
        let decisions = engine.evaluate_book_in(&ctx, ws.orders());
        let summary = BookSummary::new(&engine, &scenario, ws.orders(), &decisions);
        let diff = WhatIfDiff::new(ws.orders(), ws.decisions(), &decisions);
        Ok(Self {
            tier_changes: what_if.tier_changes(&ws.engine),
            description: what_if.describe(&ws.engine),
            what_if: what_if.clone(),
            engine,
            scenario,
            decisions,
            summary,
            diff,
        })
    }

    pub fn name(&self) -> &str {
        &self.what_if.name
    }

    /// "What-if: Poland in Tier 1 — not the rule as written".
    pub fn banner(&self) -> String {
        banner(&self.what_if.name)
    }

    /// The tier of `country` under the what-if.
    pub fn tier(&self, country: CountryCode) -> Option<Tier> {
        self.engine.countries().tier(country)
    }
}

/// What a cached evaluation was made from.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    what_if: WhatIf,
    ruleset_sha256: String,
    revision: u64,
}

/// The evaluation of one what-if, rebuilt only when the what-if, the ruleset or the book
/// (`Workspace::revision`) changes.
#[derive(Debug, Default)]
pub struct WhatIfCache {
    key: Option<Key>,
    value: Option<Result<Arc<WhatIfBook>, String>>,
    builds: u64,
}

impl WhatIfCache {
    /// The session's chosen what-if (`view.what_if`) evaluated: `None` when none is chosen or the
    /// chosen one is no longer in the session, `Err` when its values make no sense.
    pub fn active(&mut self, ws: &Workspace) -> Option<Result<Arc<WhatIfBook>, String>> {
        let name = ws.session.view.what_if.clone()?;
        self.get(ws, &name)
    }

    /// The what-if called `name` evaluated; `None` when the session has no such what-if.
    pub fn get(&mut self, ws: &Workspace, name: &str) -> Option<Result<Arc<WhatIfBook>, String>> {
        let what_if = ws.session.what_if(name)?;
        let fresh = self.key.as_ref().is_some_and(|k| {
            k.revision == ws.revision()
                && k.what_if == *what_if
                && k.ruleset_sha256 == ws.engine.loaded().sha256
        });
        if !fresh {
            self.value = Some(WhatIfBook::evaluate(ws, what_if).map(Arc::new));
            self.key = Some(Key {
                what_if: what_if.clone(),
                ruleset_sha256: ws.engine.loaded().sha256.clone(),
                revision: ws.revision(),
            });
            self.builds += 1;
        }
        self.value.clone()
    }

    /// How many times an evaluation was built (tests check nothing is rebuilt per frame).
    pub fn builds(&self) -> u64 {
        self.builds
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Engine;
    use crate::session::demo::demo_workspace;

    #[test]
    fn built_once_per_what_if_and_revision() {
        let mut ws = demo_workspace(Arc::new(Engine::embedded()));
        let mut w = WhatIf::new("Less LPP");
        w.changes.lpp_room_tpp_per_year = Some(0);
        ws.save_what_if(None, w.clone()).unwrap();
        let mut cache = WhatIfCache::default();
        assert!(cache.active(&ws).is_none(), "none chosen");
        ws.session.view.what_if = Some("Less LPP".into());
        let a = cache.active(&ws).unwrap().unwrap();
        let b = cache.active(&ws).unwrap().unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(cache.builds(), 1);
        assert_eq!(a.banner(), "What-if: Less LPP — not the rule as written");
        assert_eq!(a.decisions.len(), ws.orders().len());
        assert!(a.engine.ruleset().name.starts_with("What-if"));

        // Editing the what-if (an audited change) rebuilds it.
        w.changes.lpp_room_tpp_per_year = Some(1_000_000);
        ws.save_what_if(Some("Less LPP"), w).unwrap();
        let c = cache.active(&ws).unwrap().unwrap();
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(cache.builds(), 2);

        ws.session.view.what_if = Some("Gone".into());
        assert!(cache.active(&ws).is_none());
    }
}
