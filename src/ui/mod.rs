//! The egui application: views render the workspace and turn input into domain calls.
//! No rule logic lives here.

pub mod app;
pub mod calculator_view;
pub mod comparison_view;
pub mod decision_panel;
pub mod dialogs;
pub mod history_view;
pub mod ledger_ui;
pub mod licence_dialog;
pub mod licences_view;
pub mod map_view;
pub mod order_book;
pub mod order_form;
pub mod order_record;
pub mod orders_view;
pub mod plots_view;
pub mod presenter;
pub mod provenance_window;
pub mod reason_prompt;
pub mod record_windows;
pub mod report_window;
pub mod screening_loader;
pub mod screening_window;
pub mod session_ui;
pub mod settings_window;
pub mod theme;
pub mod view;
pub mod voided_orders;
pub mod what_if;

pub use app::{AppAction, DeskApp};
