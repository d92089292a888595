//! File ▸ Export period report…: a date range (the current quarter by default), PDF or CSV, a
//! file chosen through the dialogs trait, then the report written off the UI thread (the PDF
//! renders the map and the plot, which takes a moment) with the outcome in the window.

use super::dialogs::{FileKind, Picked};
use super::session_ui::SessionUi;
use super::theme;
use crate::report::period::{self, ExportSummary, quarter_of};
use crate::session::Workspace;
use jiff::civil::Date;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

type Outcome = Result<ExportSummary, String>;

pub struct ReportWindow {
    pub open: bool,
    pub from: String,
    pub to: String,
    /// PDF (true) or CSV.
    pub pdf: bool,
    /// The day "this quarter" is taken from (tests pin it).
    pub today: Date,
    /// Set when no file dialog could be shown: the path is typed instead.
    pub typed_path: Option<String>,
    running: Option<Receiver<Outcome>>,
    message: Option<(bool, String)>,
}

impl ReportWindow {
    pub fn new(today: Date) -> Self {
        let (from, to) = quarter_of(today);
        Self {
            open: false,
            from: from.to_string(),
            to: to.to_string(),
            pdf: true,
            today,
            typed_path: None,
            running: None,
            message: None,
        }
    }

    pub fn show(&mut self) {
        self.open = true;
        self.message = None;
    }

    /// Whether a report is being written.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    fn range(&self) -> Result<(Date, Date), String> {
        let parse = |label: &str, t: &str| {
            t.trim()
                .parse::<Date>()
                .map_err(|_| format!("{label}: `{}` is not a date (YYYY-MM-DD)", t.trim()))
        };
        let (from, to) = (parse("From", &self.from)?, parse("To", &self.to)?);
        if to < from {
            return Err(format!("To ({to}) is before From ({from})"));
        }
        Ok((from, to))
    }

    fn set_quarter(&mut self, d: Date) {
        let (from, to) = quarter_of(d);
        self.from = from.to_string();
        self.to = to.to_string();
    }

    /// Draws the window; returns a notice when a report was written.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        ws: &Workspace,
        files: &mut SessionUi,
    ) -> Option<String> {
        let notice = self.poll(ctx);
        if !self.open {
            return notice;
        }
        let mut open = true;
        egui::Window::new("Export period report")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(420.0)
            .show(ctx, |ui| self.contents(ui, ws, files));
        if !open {
            self.open = false;
        }
        notice
    }

    fn contents(&mut self, ui: &mut egui::Ui, ws: &Workspace, files: &mut SessionUi) {
        ui.label("Orders dated in the range, with licences, holds, overrides and allocation as of its last day.");
        egui::Grid::new("report_range")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                for (label, text) in [("From", &mut self.from), ("To", &mut self.to)] {
                    let l = ui.label(label);
                    ui.add(
                        egui::TextEdit::singleline(text)
                            .hint_text("YYYY-MM-DD")
                            .desired_width(110.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                }
            });
        ui.horizontal_wrapped(|ui| {
            if ui.small_button("This quarter").clicked() {
                self.set_quarter(self.today);
            }
            let latest = ws.orders().iter().map(|o| o.date).max();
            if let Some(d) = latest
                && ui.small_button("Quarter of the latest order").clicked()
            {
                self.set_quarter(d);
            }
        });
        ui.label("Format");
        ui.horizontal(|ui| {
            ui.radio_value(&mut self.pdf, true, "PDF (printable, with map and plot)");
            ui.radio_value(&mut self.pdf, false, "CSV (for spreadsheets)");
        });
        let range = self.range();
        if let Err(e) = &range {
            ui.colored_label(theme::ERROR, format!("⚠ {e}"));
        }
        if let Some(typed) = &mut self.typed_path {
            let l = ui.label("Save to");
            ui.add(egui::TextEdit::singleline(typed).desired_width(f32::INFINITY))
                .labelled_by(l.id);
        }
        if let Some((ok, m)) = &self.message {
            ui.colored_label(if *ok { theme::GREEN } else { theme::ERROR }, m);
        }
        ui.horizontal(|ui| {
            if self.running.is_some() {
                ui.spinner();
                ui.label("Writing the report…");
                return;
            }
            let ready = range.is_ok();
            if ui
                .add_enabled(ready, egui::Button::new("Export…"))
                .clicked()
                && let Ok((from, to)) = range
            {
                self.choose_and_start(ws, files, from, to);
            }
        });
    }

    fn choose_and_start(&mut self, ws: &Workspace, files: &mut SessionUi, from: Date, to: Date) {
        let ext = if self.pdf { "pdf" } else { "csv" };
        if let Some(typed) = self.typed_path.as_ref().filter(|t| !t.trim().is_empty()) {
            let mut p = PathBuf::from(typed.trim());
            if p.extension().is_none() {
                p.set_extension(ext);
            }
            self.start(ws, p, from, to);
            return;
        }
        let kind = if self.pdf {
            FileKind::ReportPdf
        } else {
            FileKind::ReportCsv
        };
        match files.pick_report_path(ws, kind, &suggested_name(ws, from, to, ext)) {
            Picked::Path(p) => self.start(ws, p, from, to),
            Picked::Cancelled => {}
            Picked::Unavailable(why) => {
                self.message = Some((false, format!("{why}: type where to save it")));
                self.typed_path = Some(String::new());
            }
        }
    }

    /// Writes the report of a copy of the session on a worker thread.
    fn start(&mut self, ws: &Workspace, out: PathBuf, from: Date, to: Date) {
        let (tx, rx) = std::sync::mpsc::channel();
        let session = ws.session.clone();
        let engine = std::sync::Arc::clone(&ws.engine);
        let screener = ws.screener().cloned();
        let path = ws.path.clone();
        std::thread::spawn(move || {
            let mut copy = Workspace::new(engine, session);
            copy.path = path;
            if let Some(s) = screener {
                copy.set_screener(s);
            }
            let _ = tx.send(period::export(
                &copy,
                from,
                to,
                &out,
                &period::generated_now(),
            ));
        });
        self.running = Some(rx);
        self.message = None;
    }

    fn poll(&mut self, ctx: &egui::Context) -> Option<String> {
        let rx = self.running.as_ref()?;
        let outcome = match rx.try_recv() {
            Ok(o) => o,
            Err(TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                return None;
            }
            Err(TryRecvError::Disconnected) => Err("the report could not be written".into()),
        };
        self.running = None;
        match outcome {
            Ok(s) => {
                let text = s.describe();
                self.message = Some((true, text.clone()));
                Some(text)
            }
            Err(e) => {
                self.message = Some((false, format!("Not written: {e}")));
                None
            }
        }
    }
}

/// "compliance-quarter-q3-2025.pdf".
fn suggested_name(ws: &Workspace, from: Date, to: Date, ext: &str) -> String {
    let stem = ws
        .path
        .as_ref()
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| {
            crate::session::file::suggested_file_name(&ws.session.title)
                .trim_end_matches(".ron")
                .to_string()
        });
    let label = period::period_label(from, to)
        .to_lowercase()
        .replace(' ', "-");
    format!("{stem}-{label}.{ext}")
}
