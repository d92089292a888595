//! The modal dialogs: errors, the unsaved-changes prompt and the CSV import preview (the
//! recovery offer and the save conflict have their own files). `SessionUi::windows` shows at
//! most one of them at a time.

use super::paths::display_name;
use super::{Intent, SessionUi, count};
use crate::format;
use crate::session::Workspace;
use crate::ui::theme;
use std::path::Path;

#[derive(Debug)]
pub(super) struct ErrorNote {
    pub(super) title: String,
    pub(super) message: String,
}

impl SessionUi {
    pub(super) fn error_modal(&mut self, ctx: &egui::Context) {
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

    pub(super) fn confirm_modal(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
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
            choice = button_row(
                ui,
                &[
                    ("Save", true, Unsaved::Save),
                    ("Discard", true, Unsaved::Discard),
                    ("Cancel", true, Unsaved::Cancel),
                ],
            );
        });
        if choice.is_none() && resp.should_close() {
            choice = Some(Unsaved::Cancel);
        }
        match choice {
            Some(Unsaved::Save) => {
                self.confirm = None;
                self.after_save = Some(intent);
                if self.save(ws)
                    && let Some(next) = self.after_save.take()
                {
                    self.perform(ctx, ws, next);
                }
            }
            Some(Unsaved::Discard) => {
                self.confirm = None;
                if intent == Intent::Quit {
                    // Discarded on purpose: the exit is clean and leaves no autosave.
                    ws.dirty = false;
                }
                self.perform(ctx, ws, intent);
            }
            Some(Unsaved::Cancel) => self.confirm = None,
            None => {}
        }
    }

    pub(super) fn import_modal(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some(plan) = &self.import else { return };
        let n = plan.orders.len();
        let import_label = if n == 1 {
            "Import 1 valid row".to_string()
        } else {
            format!("Import {} valid rows", format::thousands(n as u64))
        };
        let mut choice = None;
        let resp = egui::Modal::new(egui::Id::unique("import_modal")).show(ctx, |ui| {
            ui.set_max_width(620.0);
            ui.heading(format!("Import orders from {}", display_name(Path::new(&plan.source))));
            ui.add_space(4.0);
            ui.label(format!(
                "{} rows read: {} valid, {} rejected.",
                format::thousands(plan.rows_read as u64),
                format::thousands(n as u64),
                format::thousands(plan.rejected.len() as u64)
            ));
            if !plan.rejected.is_empty() {
                ui.add_space(6.0);
                ui.label(egui::RichText::new("Rejected rows (not imported)").strong());
                egui::ScrollArea::vertical()
                    .id_salt("rejected_rows")
                    .max_height(180.0)
                    .show(ui, |ui| {
                        for r in &plan.rejected {
                            ui.colored_label(theme::ERROR, &r.message);
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
            choice = button_row(ui, &[(&import_label, n > 0, true), ("Import none", true, false)]);
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
                if let Err(e) = ws.import_orders(&plan.source, orders) {
                    self.fail("Import failed", e);
                    return;
                }
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
}

/// The answers to the unsaved-changes prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unsaved {
    Save,
    Discard,
    Cancel,
}

/// A row of buttons `(label, enabled, value)`; the value of the one clicked, if any.
pub(super) fn button_row<T: Copy>(ui: &mut egui::Ui, buttons: &[(&str, bool, T)]) -> Option<T> {
    let mut choice = None;
    ui.horizontal(|ui| {
        for &(label, enabled, value) in buttons {
            if ui.add_enabled(enabled, egui::Button::new(label)).clicked() {
                choice = Some(value);
            }
        }
    });
    choice
}
