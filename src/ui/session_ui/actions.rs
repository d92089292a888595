//! The file work behind the menus: new, open, save, save as, CSV import and export, the
//! recent-files list, autosave and what happens on exit.

use super::paths::{display_name, with_default_extension};
use super::windows::{PathPrompt, PathPurpose};
use super::{Intent, SessionUi, count};
use crate::session::autosave;
use crate::session::csv_io;
use crate::session::file::{self, SessionError};
use crate::session::{RulesetRef, Session, Workspace};
use crate::ui::dialogs::{FileKind, Picked};
use std::path::{Path, PathBuf};

impl SessionUi {
    /// Carries out `intent`, asking first when the session has unsaved changes.
    pub fn request(&mut self, ctx: &egui::Context, ws: &mut Workspace, intent: Intent) {
        if ws.dirty {
            self.confirm = Some(intent);
        } else {
            self.perform(ctx, ws, intent);
        }
    }

    pub(super) fn perform(&mut self, ctx: &egui::Context, ws: &mut Workspace, intent: Intent) {
        match intent {
            Intent::New => {
                let r = RulesetRef::of(ws.engine.loaded());
                ws.replace_session(Session::new("Untitled session", r), None);
                self.disk = None;
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
        match file::load_session_with_hash(path, &ws.engine) {
            Ok((session, hash)) => {
                let n = session.orders.len();
                ws.replace_session(session, Some(path.to_path_buf()));
                self.disk = Some((path.to_path_buf(), hash));
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

    /// Carries out what was waiting for a save (quit, open another file), once it succeeded.
    pub(super) fn continue_after_save(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        if let Some(next) = self.after_save.take() {
            self.perform(ctx, ws, next);
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

    /// Writes the session to `path`; the workspace then refers to that file and is clean. If the
    /// file is the one loaded or last saved here and someone else has saved it since, nothing is
    /// written and the user is asked what to do.
    pub fn save_to(&mut self, ws: &mut Workspace, path: &Path) -> bool {
        let path = with_default_extension(path, "ron");
        let expected = self
            .disk
            .as_ref()
            .filter(|(p, _)| *p == path)
            .map(|(_, hash)| hash.clone());
        self.write_session(ws, &path, expected.as_deref())
    }

    /// Saves to `path` whatever is there now (the user chose to overwrite a changed file).
    pub(super) fn overwrite(&mut self, ws: &mut Workspace, path: &Path) -> bool {
        self.write_session(ws, path, None)
    }

    fn write_session(&mut self, ws: &mut Workspace, path: &Path, expected: Option<&str>) -> bool {
        let path = path.to_path_buf();
        // The file records the ruleset its decisions were derived with: the current one.
        let previous =
            std::mem::replace(&mut ws.session.ruleset, RulesetRef::of(ws.engine.loaded()));
        match file::save_session_checked(&path, &ws.session, expected) {
            Ok(hash) => {
                self.disk = Some((path.clone(), hash));
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
            Err(SessionError::Conflict { .. }) => {
                ws.session.ruleset = previous;
                // What the user was about to do (quit, open another file) waits for the answer.
                self.conflict = Some(super::conflict::ConflictPrompt::new(path));
                false
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

    /// Picks a newer Consolidated Screening List (trade.gov's `consolidated.json`); the shell
    /// imports it off the UI thread.
    pub fn screening_list_dialog(&mut self, ws: &mut Workspace) {
        match self.dialogs.pick_open(
            FileKind::ScreeningList,
            "Import screening list",
            self.start_dir(ws).as_deref(),
        ) {
            Picked::Path(p) => self.effects.screening_list = Some(p),
            Picked::Cancelled => {}
            Picked::Unavailable(why) => {
                self.prompt_path(PathPurpose::ImportScreeningList, Some(why), ws)
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

    /// Asks where to write a period report (PDF or CSV), starting in the session's folder.
    pub fn pick_report_path(&mut self, ws: &Workspace, kind: FileKind, file_name: &str) -> Picked {
        let start = self.start_dir(ws);
        self.dialogs
            .pick_save(kind, "Export period report", start.as_deref(), file_name)
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

    pub(super) fn prompt_path(
        &mut self,
        purpose: PathPurpose,
        reason: Option<String>,
        ws: &Workspace,
    ) {
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

    pub(super) fn store_recent(&mut self) {
        if let Some(dir) = &self.data_dir
            && let Err(e) = self.recent.save(dir)
        {
            // Not worth interrupting the user: the list is a convenience.
            self.notice(format!("Could not store the recent-files list: {e}"));
        }
    }

    // ---- autosave and exit -------------------------------------------------------------------

    /// The file the session belongs to, with its hash when this window loaded or saved it.
    fn source(&self, ws: &Workspace) -> Option<autosave::Source> {
        let path = ws.path.clone()?;
        let sha256 = self
            .disk
            .as_ref()
            .filter(|(p, _)| *p == path)
            .map(|(_, h)| h.clone());
        Some(autosave::Source { path, sha256 })
    }

    /// Schedules autosaves of unsaved work. Call once per frame.
    pub fn autosave_tick(&mut self, ctx: &egui::Context, ws: &Workspace) {
        if !self.recovery.is_empty() {
            return;
        }
        let source = self.source(ws);
        let Some(a) = &mut self.autosave else {
            return;
        };
        let now = ctx.input(|i| i.time);
        if let Some(wait) = a.tick(now, &ws.session, ws.dirty, source.as_ref()) {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(wait.max(0.05)));
        }
        if let Some(e) = a.take_error() {
            self.notice(format!("Autosave failed: {e}"));
        }
    }

    /// On exit: unsaved work is autosaved for the next start; a clean exit removes this window's
    /// autosave (and only its own).
    pub fn shutdown(&mut self, ws: &Workspace) {
        // Autosaves offered but not answered stay for the next start.
        self.recovery.clear();
        let source = self.source(ws);
        let Some(a) = &mut self.autosave else {
            return;
        };
        if ws.dirty {
            if let Err(e) = a.write_now(&ws.session, source.as_ref()) {
                eprintln!("error: autosave on exit: {e}");
            }
        } else {
            a.discard();
        }
    }
}
