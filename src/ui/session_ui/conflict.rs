//! The lost-update guard's question: a save found that the file changed on disk since this
//! window loaded or last saved it (another window or program saved it). The user chooses to
//! overwrite it, reload it (discarding the changes here, after confirming) or save elsewhere.

use super::SessionUi;
use super::modals::button_row;
use super::paths::display_name;
use crate::session::Workspace;
use crate::ui::theme;
use std::path::PathBuf;

#[derive(Debug)]
pub(super) struct ConflictPrompt {
    path: PathBuf,
    /// The user chose Reload and is asked to confirm that local changes are discarded.
    confirming_reload: bool,
}

impl ConflictPrompt {
    pub(super) fn new(path: PathBuf) -> Self {
        Self {
            path,
            confirming_reload: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Overwrite,
    Reload,
    ConfirmReload,
    SaveAs,
    Back,
    Cancel,
}

impl SessionUi {
    pub(super) fn conflict_modal(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some(c) = &self.conflict else { return };
        let name = display_name(&c.path);
        let confirming = c.confirming_reload;
        let mut answer = None;
        let resp = egui::Modal::new(egui::Id::unique("conflict_modal")).show(ctx, |ui| {
            ui.set_max_width(500.0);
            if confirming {
                ui.heading(format!("Reload {name}?"));
                ui.add_space(4.0);
                ui.label(format!(
                    "The session is replaced by the version of {name} now on disk. The changes \
                     you made in this window are discarded; this cannot be undone."
                ));
                ui.add_space(8.0);
                answer = button_row(
                    ui,
                    &[
                        ("Reload and discard my changes", true, Answer::ConfirmReload),
                        ("Back", true, Answer::Back),
                    ],
                );
                return;
            }
            ui.heading(format!("{name} changed on disk"));
            ui.add_space(4.0);
            ui.label(format!(
                "Another window or program saved {name} after it was opened or last saved \
                 here. Saving now would replace those changes with this window's."
            ));
            ui.add_space(2.0);
            ui.label(
                egui::RichText::new(c.path.display().to_string())
                    .small()
                    .weak(),
            );
            ui.add_space(4.0);
            ui.colored_label(
                theme::TIER3_VERMILION,
                "Nothing was saved yet. Choose which version to keep:",
            );
            ui.add_space(8.0);
            answer = button_row(
                ui,
                &[
                    ("Overwrite", true, Answer::Overwrite),
                    ("Reload…", true, Answer::Reload),
                    ("Save as…", true, Answer::SaveAs),
                    ("Cancel", true, Answer::Cancel),
                ],
            );
        });
        if answer.is_none() && resp.should_close() {
            answer = Some(if confirming {
                Answer::Back
            } else {
                Answer::Cancel
            });
        }
        if let Some(a) = answer {
            self.answer_conflict(ctx, ws, a);
        }
    }

    fn answer_conflict(&mut self, ctx: &egui::Context, ws: &mut Workspace, answer: Answer) {
        let Some(c) = &mut self.conflict else { return };
        match answer {
            Answer::Reload => c.confirming_reload = true,
            Answer::Back => c.confirming_reload = false,
            Answer::Cancel => {
                self.conflict = None;
                self.after_save = None;
                self.notice("Not saved: the file on disk was left as it is");
            }
            Answer::Overwrite => {
                let path = c.path.clone();
                self.conflict = None;
                if self.overwrite(ws, &path) {
                    self.continue_after_save(ctx, ws);
                }
            }
            Answer::SaveAs => {
                self.conflict = None;
                if self.save_as(ws) {
                    self.continue_after_save(ctx, ws);
                }
            }
            Answer::ConfirmReload => {
                let path = c.path.clone();
                self.conflict = None;
                // Whatever the save was for (quit, open another file) is dropped: the user
                // chose to look at the other version first.
                self.after_save = None;
                if self.open_path(ws, &path) {
                    self.notice(format!(
                        "Reloaded {} from disk; the changes made here were discarded",
                        display_name(&path)
                    ));
                }
            }
        }
    }
}
