//! Sessions: the model of what a user made, and its files.

pub mod audit;
pub mod autosave;
pub mod book;
pub(crate) mod claim;
pub mod commit;
pub mod csv_io;
pub mod deck;
pub mod demo;
pub mod event_text;
pub mod file;
mod format_v1;
pub mod history_query;
pub mod licence_book;
pub mod live_book;
pub mod model;
pub mod preferences;
pub mod query;
pub mod recent;
pub mod scenario_edit;
pub mod screening_link;
pub mod store;
pub mod synthetic;
pub mod timeline;
pub mod what_if_diff;
pub mod what_if_edit;
pub mod what_if_eval;
pub mod what_if_presets;
pub mod workspace;

pub use book::BookSummary;
pub use live_book::LiveBook;
pub use model::*;
pub use workspace::Workspace;
