//! Everything about session files in the app: the File and Session menus, keyboard shortcuts,
//! the unsaved-changes prompt, the typed-path fallback, drag-and-drop, CSV import and export,
//! the recent-files list, autosave and the recovery offer.
//!
//! File work goes through `session::file`, `session::csv_io`, `session::recent` and
//! `session::autosave`; this module only decides what to ask the user and shows the outcome.

use super::dialogs::{FileDialogs, FileKind, Picked};
use super::theme;
use crate::rules::decision::{fmt_tpp, group_thousands};
use crate::session::autosave::{self, Autosaver, Recovery};
use crate::session::csv_io::{self, CsvImport};
use crate::session::file::{self, SessionError};
use crate::session::recent::RecentFiles;
use crate::session::{RulesetRef, Session, Workspace, scenario_edit};
use egui::{Key, KeyboardShortcut, Modifiers};
use std::path::{Path, PathBuf};

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathPurpose {
    OpenSession,
    SaveSession,
    ImportCsv,
    ExportCsv,
}

impl PathPurpose {
    fn title(self) -> &'static str {
        match self {
            PathPurpose::OpenSession => "Open session by path",
            PathPurpose::SaveSession => "Save session to path",
            PathPurpose::ImportCsv => "Import orders CSV by path",
            PathPurpose::ExportCsv => "Export orders CSV to path",
        }
    }

    fn action(self) -> &'static str {
        match self {
            PathPurpose::OpenSession => "Open",
            PathPurpose::SaveSession => "Save",
            PathPurpose::ImportCsv => "Import",
            PathPurpose::ExportCsv => "Export",
        }
    }
}

/// The typed-path window: used when no file dialog can be shown, and from "Open by path…".
#[derive(Debug)]
struct PathPrompt {
    purpose: PathPurpose,
    text: String,
    /// Why the dialog was not used, when it failed.
    reason: Option<String>,
    /// The field has been given keyboard focus once (so typing can start at once).
    focused: bool,
}

#[derive(Debug)]
struct ErrorNote {
    title: String,
    message: String,
}

#[derive(Debug, Default)]
struct ScenarioEditor {
    add_text: String,
    error: Option<String>,
}

pub struct SessionUi {
    dialogs: Box<dyn FileDialogs>,
    /// The app data folder (recent files, autosave); `None` keeps nothing between runs.
    data_dir: Option<PathBuf>,
    recent: RecentFiles,
    autosave: Option<Autosaver>,
    recovery: Option<Recovery>,
    confirm: Option<Intent>,
    /// The intent to carry out once the save started from the prompt succeeds.
    after_save: Option<Intent>,
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
            recovery: None,
            confirm: None,
            after_save: None,
            error: None,
            import: None,
            path_prompt: None,
            details_open: false,
            scenario: None,
            allow_close: false,
            effects: Effects::default(),
        }
    }

    /// Keeps recent files and autosaves in `dir`, and offers to restore an autosave left there by
    /// a run that did not exit cleanly.
    pub fn set_data_dir(&mut self, dir: Option<PathBuf>, ws: &Workspace) {
        self.recent = dir.as_deref().map(RecentFiles::load).unwrap_or_default();
        self.autosave = dir.clone().map(Autosaver::new);
        self.recovery = None;
        if let Some(d) = &dir {
            match autosave::find_recovery(d, &ws.engine) {
                None => {}
                Some(Ok(r)) => self.recovery = Some(r),
                Some(Err(e)) => {
                    self.effects.notice = Some(format!(
                        "An autosave from the last run could not be read and was kept as {}: {e}",
                        d.join(autosave::UNREADABLE_AUTOSAVE_FILE).display()
                    ))
                }
            }
        }
        self.data_dir = dir;
    }

    /// Replaces the autosave interval (tests).
    pub fn set_autosave_interval(&mut self, seconds: f64) {
        if let Some(dir) = &self.data_dir {
            self.autosave = Some(Autosaver::with_interval(dir.clone(), seconds));
        }
    }

    pub fn recent(&self) -> &RecentFiles {
        &self.recent
    }

    pub fn take_effects(&mut self) -> Effects {
        std::mem::take(&mut self.effects)
    }

    /// Whether a modal dialog is up (the rest of the app then ignores shortcuts and drops).
    pub fn modal_open(&self) -> bool {
        self.recovery.is_some()
            || self.error.is_some()
            || self.confirm.is_some()
            || self.import.is_some()
    }

    fn notice(&mut self, text: impl Into<String>) {
        self.effects.notice = Some(text.into());
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
            let name = p
                .file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into());
            if ui
                .button(name)
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

    // ---- input: shortcuts, close requests, drops ----------------------------------------------

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

    fn drops(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        let Some(first) = dropped.first().cloned() else {
            return;
        };
        let extra = if dropped.len() > 1 {
            " (one file at a time: the others were ignored)"
        } else {
            ""
        };
        match extension(&first).as_deref() {
            Some("ron") => {
                self.request(ui, ws, Intent::OpenPath(first));
                if !extra.is_empty() {
                    self.notice(format!("Opening the first dropped file{extra}"));
                }
            }
            Some("csv") => {
                self.import_path(ws, &first);
                if !extra.is_empty() {
                    self.notice(format!("Importing the first dropped file{extra}"));
                }
            }
            _ => self.fail(
                "Cannot use the dropped file",
                format!(
                    "{}: drop a session (.ron) to open it, or an orders CSV (.csv) to import it.",
                    first.display()
                ),
            ),
        }
    }

    /// Dims the window and says what a drop will do while files hover over it.
    fn drop_overlay(&self, ctx: &egui::Context) {
        let hovered: Vec<Option<PathBuf>> =
            ctx.input(|i| i.raw.hovered_files.iter().map(|f| f.path.clone()).collect());
        let Some(first) = hovered.first() else {
            return;
        };
        let text = match first.as_deref().and_then(extension).as_deref() {
            Some("ron") => "Drop to open this session",
            Some("csv") => "Drop to import these orders",
            Some(_) => "Only sessions (.ron) and orders CSVs (.csv) can be dropped here",
            None => "Drop a session (.ron) to open it, or an orders CSV (.csv) to import it",
        };
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("drop_overlay"),
        ));
        let rect = ctx.content_rect();
        painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(170));
        painter.rect_stroke(
            rect.shrink(12.0),
            8.0,
            egui::Stroke::new(3.0, theme::TIER1_SKY),
            egui::StrokeKind::Inside,
        );
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            text,
            egui::FontId::proportional(24.0),
            egui::Color32::WHITE,
        );
    }

    // ---- actions ---------------------------------------------------------------------------

    /// Carries out `intent`, asking first when the session has unsaved changes.
    pub fn request(&mut self, ctx: &egui::Context, ws: &mut Workspace, intent: Intent) {
        if ws.dirty {
            self.confirm = Some(intent);
        } else {
            self.perform(ctx, ws, intent);
        }
    }

    fn perform(&mut self, ctx: &egui::Context, ws: &mut Workspace, intent: Intent) {
        match intent {
            Intent::New => {
                let r = RulesetRef::of(ws.engine.loaded());
                ws.replace_session(Session::new("Untitled session", r), None);
                self.effects.replaced = true;
                self.notice("New session");
            }
            Intent::Open => match self.dialogs.pick_open(
                FileKind::Session,
                "Open session",
                self.start_dir(ws).as_deref(),
            ) {
                Picked::Path(p) => {
                    self.open_path(ws, &p);
                }
                Picked::Cancelled => {}
                Picked::Unavailable(why) => {
                    self.prompt_path(PathPurpose::OpenSession, Some(why), ws)
                }
            },
            Intent::OpenPath(p) => {
                self.open_path(ws, &p);
            }
            Intent::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// Loads `path` into the workspace; on failure nothing changes and the error is shown.
    pub fn open_path(&mut self, ws: &mut Workspace, path: &Path) -> bool {
        match file::load_session(path, &ws.engine) {
            Ok(session) => {
                let n = session.orders.len();
                ws.replace_session(session, Some(path.to_path_buf()));
                self.effects.replaced = true;
                self.recent.add(path);
                self.store_recent();
                let mut msg = format!("Opened {}: {}", display_name(path), count(n, "order"));
                if ws.ruleset_differs() {
                    let r = &ws.session.ruleset;
                    let cur = ws.engine.ruleset();
                    msg.push_str(&format!(
                        " — ⚠ made with ruleset “{}” v{}, not the current “{}” v{}: decisions \
                         were re-derived with the current one",
                        r.name, r.version, cur.name, cur.version
                    ));
                }
                self.notice(msg);
                true
            }
            Err(e) => {
                if matches!(e, SessionError::Io { .. }) && !path.exists() {
                    self.recent.remove(path);
                    self.store_recent();
                }
                self.fail("Could not open the session", e.to_string());
                false
            }
        }
    }

    /// Ctrl+S: saves to the session's file, or asks where when it has none.
    pub fn save(&mut self, ws: &mut Workspace) -> bool {
        match ws.path.clone() {
            Some(p) => self.save_to(ws, &p),
            None => self.save_as(ws),
        }
    }

    pub fn save_as(&mut self, ws: &mut Workspace) -> bool {
        let name = ws
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file::suggested_file_name(&ws.session.title));
        match self.dialogs.pick_save(
            FileKind::Session,
            "Save session as",
            self.start_dir(ws).as_deref(),
            &name,
        ) {
            Picked::Path(p) => self.save_to(ws, &p),
            Picked::Cancelled => {
                self.after_save = None;
                false
            }
            Picked::Unavailable(why) => {
                self.prompt_path(PathPurpose::SaveSession, Some(why), ws);
                false
            }
        }
    }

    /// Writes the session to `path`; the workspace then refers to that file and is clean.
    pub fn save_to(&mut self, ws: &mut Workspace, path: &Path) -> bool {
        let path = with_default_extension(path, "ron");
        // The file records the ruleset its decisions were derived with: the current one.
        let previous =
            std::mem::replace(&mut ws.session.ruleset, RulesetRef::of(ws.engine.loaded()));
        match file::save_session(&path, &ws.session) {
            Ok(()) => {
                ws.path = Some(path.clone());
                ws.dirty = false;
                self.recent.add(&path);
                self.store_recent();
                self.notice(format!(
                    "Saved {} ({})",
                    display_name(&path),
                    count(ws.orders().len(), "order")
                ));
                true
            }
            Err(e) => {
                ws.session.ruleset = previous;
                self.after_save = None;
                self.fail("Could not save the session", e.to_string());
                false
            }
        }
    }

    pub fn import_dialog(&mut self, ws: &mut Workspace) {
        match self.dialogs.pick_open(
            FileKind::OrdersCsv,
            "Import orders CSV",
            self.start_dir(ws).as_deref(),
        ) {
            Picked::Path(p) => {
                self.import_path(ws, &p);
            }
            Picked::Cancelled => {}
            Picked::Unavailable(why) => self.prompt_path(PathPurpose::ImportCsv, Some(why), ws),
        }
    }

    /// Reads and checks a CSV and shows what importing it would do; nothing is applied yet.
    pub fn import_path(&mut self, ws: &mut Workspace, path: &Path) -> bool {
        let ids = ws.orders().iter().map(|o| o.id.as_str());
        match csv_io::plan_import_file(&ws.engine, path, csv_io::MAX_CSV_BYTES, ids) {
            Ok(plan) => {
                self.import = Some(plan);
                true
            }
            Err(e) => {
                self.fail("Could not import orders", e.to_string());
                false
            }
        }
    }

    pub fn export_dialog(&mut self, ws: &mut Workspace) {
        let stem = ws
            .path
            .as_ref()
            .and_then(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| {
                file::suggested_file_name(&ws.session.title)
                    .trim_end_matches(".ron")
                    .to_string()
            });
        match self.dialogs.pick_save(
            FileKind::OrdersCsv,
            "Export orders CSV",
            self.start_dir(ws).as_deref(),
            &format!("{stem}-orders.csv"),
        ) {
            Picked::Path(p) => {
                self.export_to(ws, &p);
            }
            Picked::Cancelled => {}
            Picked::Unavailable(why) => self.prompt_path(PathPurpose::ExportCsv, Some(why), ws),
        }
    }

    /// Writes the order book with its decisions as CSV.
    pub fn export_to(&mut self, ws: &mut Workspace, path: &Path) -> bool {
        let path = with_default_extension(path, "csv");
        match csv_io::export_orders_csv(&path, &ws.engine, ws.orders(), ws.decisions()) {
            Ok(()) => {
                self.notice(format!(
                    "Exported {} with decisions to {}",
                    count(ws.orders().len(), "order"),
                    display_name(&path)
                ));
                true
            }
            Err(e) => {
                self.fail("Could not export the orders", e.to_string());
                false
            }
        }
    }

    fn prompt_path(&mut self, purpose: PathPurpose, reason: Option<String>, ws: &Workspace) {
        let text = match purpose {
            PathPurpose::SaveSession => self
                .start_dir(ws)
                .map(|d| {
                    d.join(file::suggested_file_name(&ws.session.title))
                        .display()
                        .to_string()
                })
                .unwrap_or_default(),
            _ => String::new(),
        };
        self.path_prompt = Some(PathPrompt {
            purpose,
            text,
            reason,
            focused: false,
        });
    }

    /// Where dialogs start: the open file's folder, else the most recent file's.
    fn start_dir(&self, ws: &Workspace) -> Option<PathBuf> {
        ws.path
            .as_deref()
            .or_else(|| self.recent.paths().first().map(PathBuf::as_path))
            .and_then(Path::parent)
            .map(Path::to_path_buf)
    }

    fn store_recent(&mut self) {
        if let Some(dir) = &self.data_dir
            && let Err(e) = self.recent.save(dir)
        {
            // Not worth interrupting the user: the list is a convenience.
            self.effects.notice = Some(format!("Could not store the recent-files list: {e}"));
        }
    }

    // ---- autosave and exit -------------------------------------------------------------------

    /// Schedules autosaves of unsaved work. Call once per frame.
    pub fn autosave_tick(&mut self, ctx: &egui::Context, ws: &Workspace) {
        if self.recovery.is_some() {
            return;
        }
        let Some(a) = &mut self.autosave else {
            return;
        };
        let now = ctx.input(|i| i.time);
        if let Some(wait) = a.tick(now, &ws.session, ws.dirty, ws.path.as_deref()) {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(wait.max(0.05)));
        }
        if let Some(e) = a.take_error() {
            self.effects.notice = Some(format!("Autosave failed: {e}"));
        }
    }

    /// On exit: unsaved work is autosaved for the next start; a clean exit removes the autosave.
    pub fn shutdown(&mut self, ws: &Workspace) {
        if self.recovery.is_some() {
            // The user never answered the recovery offer: keep the autosave for next time.
            return;
        }
        let Some(a) = &mut self.autosave else {
            return;
        };
        if ws.dirty {
            if let Err(e) = a.write_now(&ws.session, ws.path.as_deref()) {
                eprintln!("error: autosave on exit: {e}");
            }
        } else {
            a.discard();
        }
    }

    // ---- windows and modals --------------------------------------------------------------------

    /// Modals, windows and the drop overlay. Call after the panels.
    pub fn windows(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        let ctx = ui.ctx().clone();
        // One modal at a time, most important first.
        if self.recovery.is_some() {
            self.recovery_modal(&ctx, ws);
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

    fn recovery_modal(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some(r) = &self.recovery else { return };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("recovery_modal")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading("Restore unsaved work?");
            ui.add_space(4.0);
            ui.label("Diffusion Desk did not close cleanly last time. An autosave exists:");
            ui.label(
                egui::RichText::new(format!(
                    "“{}”, {}, autosaved {}",
                    r.session.title,
                    count(r.session.orders.len(), "order"),
                    r.meta.written_text()
                ))
                .strong(),
            );
            if let Some(src) = &r.meta.source {
                ui.label(format!("Last saved as {}", src.display()));
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Restore").clicked() {
                    choice = Some(true);
                }
                if ui.button("Discard").clicked() {
                    choice = Some(false);
                }
            });
        });
        match choice {
            Some(true) => {
                let r = self.recovery.take().expect("shown above");
                let when = r.meta.written_text();
                if let Some(a) = &mut self.autosave {
                    a.adopt(&r.session);
                }
                ws.replace_session(r.session, r.meta.source);
                // Restored work is unsaved work.
                ws.dirty = true;
                self.effects.replaced = true;
                self.notice(format!("Restored unsaved work autosaved {when}"));
            }
            Some(false) => {
                self.recovery = None;
                if let Some(d) = &self.data_dir {
                    autosave::remove_autosave(d);
                }
                self.notice("Discarded the autosave");
            }
            None => {}
        }
    }

    fn error_modal(&mut self, ctx: &egui::Context) {
        let Some(e) = &self.error else { return };
        let mut close = false;
        let resp = egui::Modal::new(egui::Id::unique("error_modal")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading(&e.title);
            ui.add_space(4.0);
            ui.label(&e.message);
            ui.add_space(4.0);
            ui.label(egui::RichText::new("Nothing was changed.").small().weak());
            ui.add_space(8.0);
            if ui.button("OK").clicked() {
                close = true;
            }
        });
        if close || resp.should_close() {
            self.error = None;
        }
    }

    fn confirm_modal(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some(intent) = self.confirm.clone() else {
            return;
        };
        let what = match intent {
            Intent::New => "starting a new session",
            Intent::Open | Intent::OpenPath(_) => "opening another session",
            Intent::Quit => "quitting",
        };
        let name = ws
            .path
            .as_deref()
            .map(display_name)
            .unwrap_or_else(|| ws.session.title.clone());
        let mut choice = None;
        let resp = egui::Modal::new(egui::Id::unique("unsaved_modal")).show(ctx, |ui| {
            ui.set_max_width(440.0);
            ui.heading("Unsaved changes");
            ui.add_space(4.0);
            ui.label(format!(
                "“{name}” has changes that are not saved. Save them before {what}?"
            ));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    choice = Some(0);
                }
                if ui.button("Discard").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(2);
                }
            });
        });
        if choice.is_none() && resp.should_close() {
            choice = Some(2);
        }
        match choice {
            Some(0) => {
                self.confirm = None;
                self.after_save = Some(intent);
                if self.save(ws)
                    && let Some(next) = self.after_save.take()
                {
                    self.perform(ctx, ws, next);
                }
            }
            Some(1) => {
                self.confirm = None;
                if intent == Intent::Quit {
                    // Discarded on purpose: the exit is clean and leaves no autosave.
                    ws.dirty = false;
                }
                self.perform(ctx, ws, intent);
            }
            Some(_) => self.confirm = None,
            None => {}
        }
    }

    fn import_modal(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some(plan) = &self.import else { return };
        let n = plan.orders.len();
        let import_label = if n == 1 {
            "Import 1 valid row".to_string()
        } else {
            format!("Import {} valid rows", group_thousands(n as u64))
        };
        let mut choice = None;
        let resp = egui::Modal::new(egui::Id::unique("import_modal")).show(ctx, |ui| {
            ui.set_max_width(620.0);
            ui.heading(format!("Import orders from {}", display_name(Path::new(&plan.source))));
            ui.add_space(4.0);
            ui.label(format!(
                "{} rows read: {} valid, {} rejected.",
                group_thousands(plan.rows_read as u64),
                group_thousands(n as u64),
                group_thousands(plan.rejected.len() as u64)
            ));
            if !plan.rejected.is_empty() {
                ui.add_space(6.0);
                ui.label(egui::RichText::new("Rejected rows (not imported)").strong());
                egui::ScrollArea::vertical()
                    .id_salt("rejected_rows")
                    .max_height(180.0)
                    .show(ui, |ui| {
                        for r in &plan.rejected {
                            ui.colored_label(theme::TIER3_VERMILION, &r.message);
                        }
                    });
            }
            if !plan.renamed.is_empty() {
                ui.add_space(6.0);
                ui.label(egui::RichText::new("Ids already in use (renamed)").strong());
                egui::ScrollArea::vertical()
                    .id_salt("renamed_ids")
                    .max_height(100.0)
                    .show(ui, |ui| {
                        for r in &plan.renamed {
                            ui.label(format!("row {}: `{}` → `{}`", r.row, r.from, r.to));
                        }
                    });
            }
            ui.add_space(6.0);
            ui.label(
                egui::RichText::new(
                    "Imported orders are added to the end of the book as one step (Undo removes them).",
                )
                .small()
                .weak(),
            );
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(n > 0, egui::Button::new(&import_label))
                    .clicked()
                {
                    choice = Some(true);
                }
                if ui.button("Import none").clicked() {
                    choice = Some(false);
                }
            });
        });
        if choice.is_none() && resp.should_close() {
            choice = Some(false);
        }
        match choice {
            Some(true) => {
                let plan = self.import.take().expect("shown above");
                let skipped = plan.rejected.len();
                let source = display_name(Path::new(&plan.source));
                let orders = plan.orders;
                let imported = orders.len();
                ws.edit(None, move |book, _| book.extend(orders));
                let mut msg = format!("Imported {} from {source}", count(imported, "order"));
                if skipped > 0 {
                    msg.push_str(&format!(" ({} skipped)", count(skipped, "rejected row")));
                }
                self.notice(msg);
            }
            Some(false) => {
                self.import = None;
                self.notice("Import cancelled: nothing was added");
            }
            None => {}
        }
    }

    fn path_window(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some(p) = &mut self.path_prompt else {
            return;
        };
        let purpose = p.purpose;
        let mut open = true;
        let mut submit = false;
        let mut cancel = false;
        egui::Window::new(purpose.title())
            .id(egui::Id::unique("path_prompt"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0))
            .show(ctx, |ui| {
                if let Some(why) = &p.reason {
                    ui.label(
                        egui::RichText::new(format!(
                            "{}. Type the file's path instead.",
                            capitalised(why)
                        ))
                        .color(theme::TIER3_VERMILION),
                    );
                    ui.add_space(4.0);
                }
                let label = ui.label("File path");
                let hint = match purpose {
                    PathPurpose::OpenSession | PathPurpose::SaveSession => "~/sessions/quarter.ron",
                    PathPurpose::ImportCsv | PathPurpose::ExportCsv => "~/exports/orders.csv",
                };
                let resp = ui
                    .add(
                        egui::TextEdit::singleline(&mut p.text)
                            .hint_text(hint)
                            .desired_width(440.0),
                    )
                    .labelled_by(label.id);
                if !p.focused {
                    resp.request_focus();
                    p.focused = true;
                }
                if resp.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                    submit = true;
                }
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(
                            !p.text.trim().is_empty(),
                            egui::Button::new(purpose.action()),
                        )
                        .clicked()
                    {
                        submit = true;
                    }
                    if ui.button("Cancel").clicked() {
                        cancel = true;
                    }
                });
            });
        if !open || cancel {
            self.path_prompt = None;
            if purpose == PathPurpose::SaveSession {
                self.after_save = None;
            }
            return;
        }
        let text = p.text.trim().to_string();
        if !submit || text.is_empty() {
            return;
        }
        let path = expand_home(&text);
        let done = match purpose {
            PathPurpose::OpenSession => {
                self.path_prompt = None;
                self.request(ctx, ws, Intent::OpenPath(path));
                true
            }
            PathPurpose::SaveSession => {
                let ok = self.save_to(ws, &path);
                if ok && let Some(next) = self.after_save.take() {
                    self.path_prompt = None;
                    self.perform(ctx, ws, next);
                }
                ok
            }
            PathPurpose::ImportCsv => self.import_path(ws, &path),
            PathPurpose::ExportCsv => self.export_to(ws, &path),
        };
        // On failure the window stays, with the path, so a typo can be fixed.
        if done {
            self.path_prompt = None;
        }
    }

    fn details_window(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let mut open = self.details_open;
        egui::Window::new("Session details")
            .id(egui::Id::unique("session_details"))
            .open(&mut open)
            .default_width(500.0)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(below_menu_bar(ctx, -270.0))
            .show(ctx, |ui| {
                let l = ui.label("Title");
                if ui
                    .add(
                        egui::TextEdit::singleline(&mut ws.session.title)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(l.id)
                    .changed()
                {
                    ws.dirty = true;
                }
                ui.add_space(4.0);
                let l = ui.label("Notes");
                egui::ScrollArea::vertical()
                    .id_salt("session_notes")
                    .max_height(220.0)
                    .show(ui, |ui| {
                        if ui
                            .add(
                                egui::TextEdit::multiline(&mut ws.session.notes)
                                    .desired_rows(6)
                                    .desired_width(f32::INFINITY),
                            )
                            .labelled_by(l.id)
                            .changed()
                        {
                            ws.dirty = true;
                        }
                    });
                ui.add_space(6.0);
                let r = &ws.session.ruleset;
                let cur = ws.engine.ruleset();
                let facts = [
                    (
                        "Location",
                        ws.path
                            .as_ref()
                            .map_or("not saved yet".to_string(), |p| p.display().to_string()),
                        None,
                    ),
                    (
                        "Contents",
                        format!(
                            "{}, {} parties, format version {}",
                            count(ws.orders().len(), "order"),
                            ws.session.parties.len(),
                            ws.session.format_version
                        ),
                        None,
                    ),
                    (
                        "Made with",
                        if r.name.is_empty() {
                            "ruleset not recorded".to_string()
                        } else {
                            format!("{} v{}", r.name, r.version)
                        },
                        Some(format!("SHA-256 {}", r.sha256)),
                    ),
                    (
                        "Current ruleset",
                        format!("{} v{}", cur.name, cur.version),
                        Some(format!("SHA-256 {}", ws.engine.loaded().sha256)),
                    ),
                ];
                for (k, v, hover) in facts {
                    // Plain rows, not a Grid: a grid's first (sizing) frame wraps long values
                    // into a tall column, and the window would open pushed up over the menu bar.
                    ui.horizontal_wrapped(|ui| {
                        ui.label(egui::RichText::new(format!("{k}:")).weak());
                        let resp = ui.label(v);
                        if let Some(h) = hover {
                            resp.on_hover_text(h);
                        }
                    });
                }
                if ws.ruleset_differs() {
                    ui.colored_label(
                        theme::TIER3_VERMILION,
                        "⚠ The session was made with a different ruleset. Decisions shown are \
                         re-derived with the current one; saving records the current ruleset.",
                    );
                }
                ui.add_space(4.0);
                ui.label(
                    egui::RichText::new(
                        "Decisions are not stored in the file: they are re-derived from the \
                         ruleset, the scenario and the orders when it is opened.",
                    )
                    .small()
                    .weak(),
                );
            });
        self.details_open = open;
    }

    fn scenario_window(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some(ed) = &mut self.scenario else { return };
        let mut open = true;
        let mut remove = None;
        let mut add = false;
        let rs = ws.engine.ruleset();
        let mult = &rs.g2g_multiplier;
        egui::Window::new("Scenario")
            .id(egui::Id::unique("scenario_window"))
            .open(&mut open)
            .default_width(460.0)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(below_menu_bar(ctx, 250.0))
            .show(ctx, |ui| {
                ui.heading("Government-to-government arrangements");
                ui.horizontal_wrapped(|ui| {
                    ui.label(format!(
                        "A Tier 2 country with an arrangement has its 2025–2027 allocation \
                         multiplied by {} ({} → {} TPP).",
                        mult.value,
                        fmt_tpp(rs.country_allocation_tpp.value),
                        fmt_tpp(rs.country_allocation_tpp.value.saturating_mul(mult.value))
                    ));
                    theme::confidence_badge(ui, mult.confidence).on_hover_text(format!(
                        "{}\nSource: {}\n{}",
                        mult.cite, mult.source, mult.note
                    ));
                });
                ui.add_space(4.0);
                let countries = ws.engine.countries();
                if ws.session.scenario.g2g.is_empty() {
                    ui.label(egui::RichText::new("No country has an arrangement.").weak());
                }
                egui::Grid::new("g2g_grid")
                    .num_columns(3)
                    .spacing([12.0, 4.0])
                    .show(ui, |ui| {
                        for &c in &ws.session.scenario.g2g {
                            ui.label(format!("{c}  {}", countries.name(c)));
                            let limit = ws.engine.allocation_limit(&ws.session.scenario, c);
                            let used = ws.summary().country(c).drawn_tpp;
                            ui.label(match limit {
                                Some(l) => format!("{} of {} TPP drawn", fmt_tpp(used), fmt_tpp(l)),
                                None => "no allocation (not Tier 2)".into(),
                            });
                            if ui.button(format!("Remove {c}")).clicked() {
                                remove = Some(c);
                            }
                            ui.end_row();
                        }
                    });
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    let l = ui.label("Add country (ISO code)");
                    let resp = ui
                        .add(
                            egui::TextEdit::singleline(&mut ed.add_text)
                                .hint_text("e.g. IN")
                                .desired_width(60.0),
                        )
                        .labelled_by(l.id);
                    if resp.changed() {
                        ed.error = None;
                    }
                    if resp.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                        add = true;
                    }
                    if ui.button("Add").clicked() {
                        add = true;
                    }
                });
                if let Some(e) = &ed.error {
                    ui.colored_label(theme::TIER3_VERMILION, e);
                }
                ui.separator();
                ui.heading("UVEU installed bases");
                if ws.session.scenario.installed_base.is_empty() {
                    ui.label(
                        egui::RichText::new(
                            "None known: UVEU orders are authorised without checking the \
                             75 % / 7 % / 50 % distribution limits (each such decision says so).",
                        )
                        .weak(),
                    );
                }
                for (entity, base) in &ws.session.scenario.installed_base {
                    let total: u64 = base.values().fold(0u64, |a, v| a.saturating_add(*v));
                    let parts: Vec<String> = base
                        .iter()
                        .map(|(c, v)| format!("{c} {}", fmt_tpp(*v)))
                        .collect();
                    ui.label(format!(
                        "{entity}: {} TPP ({})",
                        fmt_tpp(total),
                        parts.join(", ")
                    ));
                }
            });
        let mut notice = None;
        if add {
            match scenario_edit::parse_g2g_addition(&ws.engine, &ws.session.scenario, &ed.add_text)
            {
                Ok(c) => {
                    ws.edit(None, |_, sc| {
                        sc.g2g.insert(c);
                    });
                    ed.add_text.clear();
                    ed.error = None;
                    notice = Some(format!(
                        "{} now has a g2g arrangement: {} changed",
                        ws.engine.countries().name(c),
                        count(ws.changed_by_last_edit().len(), "decision")
                    ));
                }
                Err(e) => ed.error = Some(e),
            }
        } else if let Some(c) = remove {
            ws.edit(None, |_, sc| {
                sc.g2g.remove(&c);
            });
            notice = Some(format!(
                "Removed {}'s g2g arrangement: {} changed",
                ws.engine.countries().name(c),
                count(ws.changed_by_last_edit().len(), "decision")
            ));
        }
        if let Some(n) = notice {
            self.notice(n);
        }
        if !open {
            self.scenario = None;
        }
    }
}

/// Where a window first opens: clear of the menu bar, `dx` from the middle.
fn below_menu_bar(ctx: &egui::Context, dx: f32) -> egui::Pos2 {
    ctx.content_rect().center_top() + egui::vec2(dx, 72.0)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// "1 order", "12,000 orders".
fn count(n: usize, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", group_thousands(n as u64))
}

/// The lower-case extension of a path.
fn extension(p: &Path) -> Option<String> {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

fn display_name(p: &Path) -> String {
    p.file_name()
        .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
}

/// Adds `ext` when the path has no extension at all (a name typed without one).
fn with_default_extension(p: &Path, ext: &str) -> PathBuf {
    if p.extension().is_none() {
        p.with_extension(ext)
    } else {
        p.to_path_buf()
    }
}

/// `~/x` → `$HOME/x`, as a shell would.
fn expand_home(text: &str) -> PathBuf {
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_get_extensions_and_home() {
        assert_eq!(
            with_default_extension(Path::new("/a/b"), "ron"),
            PathBuf::from("/a/b.ron")
        );
        assert_eq!(
            with_default_extension(Path::new("/a/b.txt"), "ron"),
            PathBuf::from("/a/b.txt")
        );
        assert_eq!(extension(Path::new("/a/B.CSV")).as_deref(), Some("csv"));
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(expand_home("~/x.ron"), PathBuf::from(home).join("x.ron"));
        }
    }
}
