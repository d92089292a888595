//! Native file pickers behind a small trait, so the app can be driven end to end in tests with a
//! fake that hands out temporary paths. Confirmations (unsaved changes, recovery) are egui modals
//! in `session_ui`, not native dialogs: they stay testable by label and look the same everywhere.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What a picker is for: decides its title, filter and default extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Session,
    OrdersCsv,
    /// trade.gov's `consolidated.json` (also gzip-compressed).
    ScreeningList,
    /// A slide deck exported as PDF.
    DeckPdf,
    ReportPdf,
    ReportCsv,
}

impl FileKind {
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Session => "ron",
            FileKind::OrdersCsv | FileKind::ReportCsv => "csv",
            FileKind::ScreeningList => "json",
            FileKind::DeckPdf | FileKind::ReportPdf => "pdf",
        }
    }

    /// Every extension the picker's filter accepts.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Session => &["ron"],
            FileKind::OrdersCsv | FileKind::ReportCsv => &["csv"],
            FileKind::ScreeningList => &["json", "gz"],
            FileKind::DeckPdf | FileKind::ReportPdf => &["pdf"],
        }
    }

    pub fn filter_name(self) -> &'static str {
        match self {
            FileKind::Session => "Diffusion Desk session (.ron)",
            FileKind::OrdersCsv => "Orders CSV (.csv)",
            FileKind::ScreeningList => "Consolidated Screening List (.json, .json.gz)",
            FileKind::DeckPdf => "PDF document (.pdf)",
            FileKind::ReportPdf => "Period report (.pdf)",
            FileKind::ReportCsv => "Period report CSV (.csv)",
        }
    }
}

/// The outcome of a picker.
#[derive(Debug, Clone, PartialEq)]
pub enum Picked {
    Path(PathBuf),
    /// The user closed the dialog without choosing.
    Cancelled,
    /// No dialog could be shown; the app falls back to typing a path.
    Unavailable(String),
}

pub trait FileDialogs {
    /// Choose an existing file to read.
    fn pick_open(&mut self, kind: FileKind, title: &str, start_dir: Option<&Path>) -> Picked;
    /// Choose where to write; `file_name` is the suggestion.
    fn pick_save(
        &mut self,
        kind: FileKind,
        title: &str,
        start_dir: Option<&Path>,
        file_name: &str,
    ) -> Picked;
    /// Choose a folder to write into (deck export as PNGs).
    fn pick_folder(&mut self, title: &str, start_dir: Option<&Path>) -> Picked {
        let _ = (title, start_dir);
        Picked::Unavailable("no folder dialog is available".into())
    }
}

/// The operating system's dialogs through rfd (XDG portal with a zenity fallback on Linux).
#[derive(Debug, Default)]
pub struct NativeDialogs;

impl NativeDialogs {
    pub fn new() -> Self {
        Self
    }

    fn dialog(kind: FileKind, title: &str, start_dir: Option<&Path>) -> rfd::FileDialog {
        let mut d = rfd::FileDialog::new()
            .set_title(title)
            .add_filter(kind.filter_name(), kind.extensions())
            .add_filter("All files", &["*"]);
        if let Some(dir) = start_dir.filter(|d| d.is_dir()) {
            d = d.set_directory(dir);
        }
        d
    }

    /// rfd reports a failed dialog the same way as a cancelled one (`None`). On Linux, a dialog
    /// needs a desktop portal (over the D-Bus session bus) or zenity; without either, say so.
    fn unavailable() -> Option<String> {
        if !cfg!(target_os = "linux") {
            return None;
        }
        let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
            || std::env::var_os("XDG_RUNTIME_DIR")
                .is_some_and(|d| Path::new(&d).join("bus").exists());
        let zenity = std::env::var_os("PATH")
            .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join("zenity").is_file()));
        (!bus && !zenity).then(|| {
            "no file dialog is available (no desktop portal on a D-Bus session, and zenity is \
             not installed)"
                .to_string()
        })
    }

    /// A `None` that came back faster than a person can cancel a dialog was a failure to show
    /// one (rfd logs the reason and returns `None`).
    fn interpret(result: Option<PathBuf>, started: std::time::Instant) -> Picked {
        match result {
            Some(p) => Picked::Path(p),
            None if started.elapsed() < std::time::Duration::from_millis(150) => {
                Picked::Unavailable("the file dialog could not be shown".into())
            }
            None => Picked::Cancelled,
        }
    }
}

impl FileDialogs for NativeDialogs {
    fn pick_open(&mut self, kind: FileKind, title: &str, start_dir: Option<&Path>) -> Picked {
        if let Some(why) = Self::unavailable() {
            return Picked::Unavailable(why);
        }
        let started = std::time::Instant::now();
        Self::interpret(Self::dialog(kind, title, start_dir).pick_file(), started)
    }

    fn pick_save(
        &mut self,
        kind: FileKind,
        title: &str,
        start_dir: Option<&Path>,
        file_name: &str,
    ) -> Picked {
        if let Some(why) = Self::unavailable() {
            return Picked::Unavailable(why);
        }
        let started = std::time::Instant::now();
        let picked = Self::dialog(kind, title, start_dir)
            .set_file_name(file_name)
            .save_file();
        match Self::interpret(picked, started) {
            // Some portals return the typed name without the filter's extension.
            Picked::Path(p) if p.extension().is_none() => {
                Picked::Path(p.with_extension(kind.extension()))
            }
            other => other,
        }
    }

    fn pick_folder(&mut self, title: &str, start_dir: Option<&Path>) -> Picked {
        if let Some(why) = Self::unavailable() {
            return Picked::Unavailable(why);
        }
        let mut d = rfd::FileDialog::new().set_title(title);
        if let Some(dir) = start_dir.filter(|d| d.is_dir()) {
            d = d.set_directory(dir);
        }
        let started = std::time::Instant::now();
        Self::interpret(d.pick_folder(), started)
    }
}

/// A scripted stand-in for tests: answers are queued per kind of request; with none queued, the
/// dialog is "cancelled". Clones share the queue, so a test keeps one to script and inspect.
#[derive(Debug, Clone, Default)]
pub struct FakeDialogs {
    inner: Arc<Mutex<FakeState>>,
}

#[derive(Debug, Default)]
struct FakeState {
    open: VecDeque<Picked>,
    save: VecDeque<Picked>,
    folder: VecDeque<Picked>,
    calls: Vec<String>,
}

impl FakeDialogs {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn answer_open(&self, p: Picked) {
        self.state().open.push_back(p);
    }

    pub fn answer_save(&self, p: Picked) {
        self.state().save.push_back(p);
    }

    pub fn answer_folder(&self, p: Picked) {
        self.state().folder.push_back(p);
    }

    /// "open: Open session" / "save: Save session as" …, in call order.
    pub fn calls(&self) -> Vec<String> {
        self.state().calls.clone()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl FileDialogs for FakeDialogs {
    fn pick_open(&mut self, _kind: FileKind, title: &str, _start_dir: Option<&Path>) -> Picked {
        let mut s = self.state();
        s.calls.push(format!("open: {title}"));
        s.open.pop_front().unwrap_or(Picked::Cancelled)
    }

    fn pick_save(
        &mut self,
        _kind: FileKind,
        title: &str,
        _start_dir: Option<&Path>,
        file_name: &str,
    ) -> Picked {
        let mut s = self.state();
        s.calls.push(format!("save: {title} ({file_name})"));
        s.save.pop_front().unwrap_or(Picked::Cancelled)
    }

    fn pick_folder(&mut self, title: &str, _start_dir: Option<&Path>) -> Picked {
        let mut s = self.state();
        s.calls.push(format!("folder: {title}"));
        s.folder.pop_front().unwrap_or(Picked::Cancelled)
    }
}
