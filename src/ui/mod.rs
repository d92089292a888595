//! The egui application: views render the workspace and turn input into domain calls.
//! No rule logic lives here.

pub mod app;
pub mod dialogs;
pub mod map_view;
pub mod orders_view;
pub mod plots_view;
pub mod session_ui;
pub mod theme;

pub use app::{AppAction, DeskApp};
