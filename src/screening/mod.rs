//! Restricted-party screening (v2): the U.S. Consolidated Screening List, its import, a name
//! index and matching a compliance officer can defend. Pure: the engine takes a screening result
//! as an input to a decision; nothing here knows about orders or egui.
//!
//! ```no_run
//! use diffusion_desk::screening::{DEFAULT_THRESHOLD, ScreeningIndex, ScreeningList};
//! use std::sync::Arc;
//! let index = ScreeningIndex::build(Arc::new(ScreeningList::embedded()));
//! for m in index.screen("Inspur Group", None, DEFAULT_THRESHOLD) {
//!     println!("{:.2} {} {}: {}", m.score, m.list.short(), m.entry_name, m.why);
//! }
//! ```

pub mod adapter;
pub mod cache;
pub mod import;
pub mod index;
pub mod list;
pub mod matching;
pub mod normalize;
pub mod stored_index;

pub use adapter::IndexScreener;
pub use cache::ScreeningCache;
pub use import::{ImportError, import_file, import_json};
pub use index::ScreeningIndex;
pub use list::{Entry, ListEffect, ListKind, ListPolicy, ScreeningList};
pub use matching::{DEFAULT_THRESHOLD, MAX_MATCHES, Match, MatchStrength};
pub use normalize::normalize;
pub use stored_index::shipped_index;
