//! The egui application: views render the workspace and turn input into domain calls.
//! No rule logic lives here.

pub mod app;
pub mod calculator_view;
pub mod decision_panel;
pub mod dialogs;
pub mod ledger_ui;
pub mod map_view;
pub mod order_book;
pub mod order_form;
pub mod orders_view;
pub mod plots_view;
pub mod provenance_window;
pub mod reason_prompt;
pub mod session_ui;
pub mod theme;
pub mod view;

pub use app::{AppAction, DeskApp};
