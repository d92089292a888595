//! The embedded demo session the app opens with when no file is given.

use super::Workspace;
use super::file::parse_session;
use super::model::RulesetRef;
use crate::rules::Engine;
use std::sync::Arc;

pub const PRESENTER_DEMO_RON: &str = include_str!("../../saved_sessions/presenter-demo.ron");

pub fn demo_workspace(engine: Arc<Engine>) -> Workspace {
    let mut session = parse_session(
        "saved_sessions/presenter-demo.ron",
        PRESENTER_DEMO_RON,
        &engine,
    )
    .expect("the embedded demo session is checked by tests");
    session.ruleset = RulesetRef::of(engine.loaded());
    Workspace::new(engine, session)
}
