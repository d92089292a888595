//! Everything about session files in the app: the File and Session menus, keyboard shortcuts,
//! the unsaved-changes prompt, the typed-path fallback, drag-and-drop, CSV import and export,
//! the recent-files list, autosave and the recovery offer.
//!
//! File work goes through `session::file`, `session::csv_io`, `session::recent` and
//! `session::autosave`; this module only decides what to ask the user and shows the outcome.
//!
//! `SessionUi` is split by what its parts do: this file holds the state, the menus and input
//! handling; `actions` the file work, `modals` the modal dialogs, `windows` the typed-path,
//! details and scenario windows, `drops` drag-and-drop and `paths` the path helpers.

mod actions;
mod conflict;
mod drops;
mod modals;
mod paths;
mod recovery;
mod windows;

use super::dialogs::FileDialogs;
use crate::format;
use crate::session::Workspace;
use crate::session::autosave::{self, Autosaver, Recovery};
use crate::session::csv_io::CsvImport;
use crate::session::recent::RecentFiles;
use conflict::ConflictPrompt;
use egui::{Key, KeyboardShortcut, Modifiers};
use modals::ErrorNote;
use paths::display_name;
use std::path::PathBuf;
use windows::{PathPrompt, PathPurpose, ScenarioEditor};

pub const NEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const SAVE_AS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
pub const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);

/// Something that replaces the open session; asks about unsaved changes first.
#[derive(Debug, Clone, PartialEq)]
pub enum Intent {
    New,
    /// Open through the file dialog.
    Open,
    OpenPath(PathBuf),
    Quit,
}

/// What the shell must do after this frame's file work.
#[derive(Debug, Default)]
pub struct Effects {
    /// A different session was loaded: views rebuild their state from it.
    pub replaced: bool,
    /// A message for the status bar.
    pub notice: Option<String>,
    /// A screening list file to import (File ▸ Import screening list…).
    pub screening_list: Option<PathBuf>,
    /// File ▸ Export period report… was chosen.
    pub period_report: bool,
    /// File ▸ Connect to team ledger… was chosen.
    pub connect_ledger: bool,
}

pub struct SessionUi {
    dialogs: Box<dyn FileDialogs>,
    /// The app data folder (recent files, autosave); `None` keeps nothing between runs.
    data_dir: Option<PathBuf>,
    recent: RecentFiles,
    autosave: Option<Autosaver>,
    /// Autosaves of gone windows, offered at start (locked by this window while offered).
    recovery: Vec<Recovery>,
    confirm: Option<Intent>,
    /// The intent to carry out once the save started from the prompt succeeds.
    after_save: Option<Intent>,
    /// The file the session was loaded from or last saved to, with the SHA-256 of its bytes
    /// then: a save first checks the file still has them (another window may have saved it).
    disk: Option<(PathBuf, String)>,
    /// A save found the file changed on disk: overwrite, reload or save as?
    conflict: Option<ConflictPrompt>,
    error: Option<ErrorNote>,
    import: Option<CsvImport>,
    path_prompt: Option<PathPrompt>,
    details_open: bool,
    scenario: Option<ScenarioEditor>,
    /// Set once the user agreed to close; the next close request goes through.
    allow_close: bool,
    effects: Effects,
}

impl SessionUi {
    pub fn new(dialogs: Box<dyn FileDialogs>) -> Self {
        Self {
            dialogs,
            data_dir: None,
            recent: RecentFiles::default(),
            autosave: None,
            recovery: Vec::new(),
            confirm: None,
            after_save: None,
            disk: None,
            conflict: None,
            error: None,
            import: None,
            path_prompt: None,
            details_open: false,
            scenario: None,
            allow_close: false,
            effects: Effects::default(),
        }
    }

    /// Keeps recent files and autosaves in `dir`, and offers to restore the autosaves left there
    /// by windows that are gone (never those of windows still running).
    pub fn set_data_dir(&mut self, dir: Option<PathBuf>, ws: &Workspace) {
        self.recent = dir.as_deref().map(RecentFiles::load).unwrap_or_default();
        self.autosave = dir.as_deref().map(Autosaver::new);
        self.recovery.clear();
        if let Some(d) = &dir {
            let scan = autosave::find_recoveries(d, &ws.engine);
            self.recovery = scan.found;
            if let Some((aside, e)) = scan.unreadable.first() {
                self.notice(format!(
                    "An autosave could not be read and was kept as {}: {e}",
                    aside.display()
                ));
            }
        }
        self.data_dir = dir;
    }

    /// Replaces the autosave interval (tests).
    pub fn set_autosave_interval(&mut self, seconds: f64) {
        if let Some(dir) = &self.data_dir {
            self.autosave = Some(Autosaver::with_interval(dir, seconds));
        }
    }

    /// This window's autosave file (tests; it exists only while there is unsaved work).
    pub fn autosave_file(&self) -> Option<PathBuf> {
        self.autosave.as_ref().map(Autosaver::file)
    }

    pub fn recent(&self) -> &RecentFiles {
        &self.recent
    }

    /// The file dialogs, for other file work (deck export).
    pub fn dialogs(&mut self) -> &mut dyn FileDialogs {
        self.dialogs.as_mut()
    }

    pub fn take_effects(&mut self) -> Effects {
        std::mem::take(&mut self.effects)
    }

    /// Whether a modal dialog is up (the rest of the app then ignores shortcuts and drops).
    pub fn modal_open(&self) -> bool {
        !self.recovery.is_empty()
            || self.conflict.is_some()
            || self.error.is_some()
            || self.confirm.is_some()
            || self.import.is_some()
    }

    fn notice(&mut self, text: impl Into<String>) {
        self.effects.notice = Some(text.into());
    }

    /// Shows an error in the app's error dialog (for failures the shell finds, e.g. an import
    /// that finished on a worker thread).
    pub fn show_error(&mut self, title: &str, message: impl Into<String>) {
        self.fail(title, message);
    }

    fn fail(&mut self, title: &str, message: impl Into<String>) {
        self.error = Some(ErrorNote {
            title: title.to_string(),
            message: message.into(),
        });
    }

    // ---- menus -----------------------------------------------------------------------------

    /// The contents of the File menu.
    pub fn file_menu(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        let item = |ui: &mut egui::Ui, text: &str, sc: Option<&KeyboardShortcut>| {
            let mut b = egui::Button::new(text);
            if let Some(sc) = sc {
                b = b.shortcut_text(ui.format_shortcut(sc));
            }
            ui.add(b).clicked()
        };
        if item(ui, "New session", Some(&NEW)) {
            self.request(ui, ws, Intent::New);
        }
        if item(ui, "Open…", Some(&OPEN)) {
            self.request(ui, ws, Intent::Open);
        }
        if item(ui, "Open by path…", None) {
            self.prompt_path(PathPurpose::OpenSession, None, ws);
        }
        ui.menu_button("Open recent", |ui| self.recent_menu(ui, ws));
        ui.separator();
        if item(ui, "Save", Some(&SAVE)) {
            self.save(ws);
        }
        if item(ui, "Save as…", Some(&SAVE_AS)) {
            self.save_as(ws);
        }
        ui.separator();
        if item(ui, "Import orders CSV…", None) {
            self.import_dialog(ws);
        }
        if item(ui, "Export orders CSV…", None) {
            self.export_dialog(ws);
        }
        if item(ui, "Import screening list…", None) {
            self.screening_list_dialog(ws);
        }
        if item(ui, "Export period report…", None) {
            self.effects.period_report = true;
        }
        ui.separator();
        if item(ui, "Connect to team ledger…", None) {
            self.effects.connect_ledger = true;
        }
        ui.separator();
        if item(ui, "Quit", Some(&QUIT)) {
            ui.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn recent_menu(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        if self.recent.is_empty() {
            ui.add_enabled(false, egui::Button::new("No recent sessions"));
            return;
        }
        let mut chosen = None;
        for p in self.recent.paths() {
            if ui
                .button(display_name(p))
                .on_hover_text(p.display().to_string())
                .clicked()
            {
                chosen = Some(p.clone());
            }
        }
        ui.separator();
        if ui.button("Clear recent sessions").clicked() {
            self.recent.clear();
            self.store_recent();
        }
        if let Some(p) = chosen {
            self.request(ui, ws, Intent::OpenPath(p));
        }
    }

    /// The contents of the Session menu.
    pub fn session_menu(&mut self, ui: &mut egui::Ui) {
        if ui.button("Details…").clicked() {
            self.details_open = true;
        }
        if ui.button("Scenario…").clicked() && self.scenario.is_none() {
            self.scenario = Some(ScenarioEditor::default());
        }
    }

    /// Opens the session details window (title, notes, ruleset).
    pub fn show_details(&mut self) {
        self.details_open = true;
    }

    /// Opens the scenario window (g2g arrangements, UVEU installed bases).
    pub fn show_scenario(&mut self) {
        self.scenario.get_or_insert_with(ScenarioEditor::default);
    }

    // ---- input: shortcuts, close requests --------------------------------------------------

    /// File shortcuts, the window's close button and dropped files. Call before the panels.
    pub fn handle_input(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        self.close_request(ui, ws);
        if self.modal_open() {
            if ui.input(|i| !i.raw.dropped_files.is_empty()) {
                self.notice("Finish the open dialog first, then drop the file again");
            }
            return;
        }
        // Save As first: Ctrl+S would also match Ctrl+Shift+S.
        if ui.input_mut(|i| i.consume_shortcut(&SAVE_AS)) {
            self.save_as(ws);
        } else if ui.input_mut(|i| i.consume_shortcut(&SAVE)) {
            self.save(ws);
        } else if ui.input_mut(|i| i.consume_shortcut(&OPEN)) {
            self.request(ui, ws, Intent::Open);
        } else if ui.input_mut(|i| i.consume_shortcut(&NEW)) {
            self.request(ui, ws, Intent::New);
        } else if ui.input_mut(|i| i.consume_shortcut(&QUIT)) {
            ui.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        self.drops(ui, ws);
    }

    fn close_request(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        if !ui.input(|i| i.viewport().close_requested()) || self.allow_close {
            return;
        }
        if ws.dirty {
            ui.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.confirm.is_none() {
                self.confirm = Some(Intent::Quit);
            }
        }
    }

    // ---- windows and modals --------------------------------------------------------------------

    /// Modals, windows and the drop overlay. Call after the panels.
    pub fn windows(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        let ctx = ui.ctx().clone();
        // One modal at a time, most important first.
        if !self.recovery.is_empty() {
            self.recovery_modal(&ctx, ws);
        } else if self.conflict.is_some() {
            self.conflict_modal(&ctx, ws);
        } else if self.error.is_some() {
            self.error_modal(&ctx);
        } else if self.confirm.is_some() {
            self.confirm_modal(&ctx, ws);
        } else if self.import.is_some() {
            self.import_modal(&ctx, ws);
        }
        if self.path_prompt.is_some() {
            self.path_window(&ctx, ws);
        }
        if self.details_open {
            self.details_window(&ctx, ws);
        }
        if self.scenario.is_some() {
            self.scenario_window(&ctx, ws);
        }
        self.drop_overlay(&ctx);
    }
}

/// "1 order", "12,000 orders".
fn count(n: usize, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", format::thousands(n as u64))
}
