//! Settings ▸ the name changes are recorded under: the operating system's user by default,
//! changeable here, kept as a preference in the app data folder (never in sessions, which are
//! shared) and applied to the workspace at once.

use super::theme;
use crate::session::Workspace;
use crate::session::preferences::{Preferences, check_user};
use crate::session::workspace::os_user;
use std::path::PathBuf;

#[derive(Default)]
pub struct SettingsWindow {
    pub open: bool,
    /// The name as typed.
    pub name: String,
    error: Option<String>,
    prefs: Preferences,
    /// The app data folder; `None` keeps the name for this run only.
    dir: Option<PathBuf>,
}

impl SettingsWindow {
    /// Reads the preferences in `dir` and applies the stored name to the workspace.
    pub fn set_data_dir(&mut self, dir: Option<PathBuf>, ws: &mut Workspace) {
        self.prefs = dir.as_deref().map(Preferences::load).unwrap_or_default();
        if let Some(u) = &self.prefs.user {
            ws.user = u.clone();
        }
        self.dir = dir;
    }

    pub fn show(&mut self, ws: &Workspace) {
        self.open = true;
        self.name = ws.user.clone();
        self.error = None;
    }

    /// Draws the window; returns a notice once the name is changed.
    pub fn ui(&mut self, ctx: &egui::Context, ws: &mut Workspace) -> Option<String> {
        if !self.open {
            return None;
        }
        let mut notice = None;
        let mut open = true;
        egui::Window::new("Settings")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(380.0)
            .show(ctx, |ui| {
                let l = ui.label("User name");
                ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(260.0))
                    .labelled_by(l.id);
                ui.label(
                    egui::RichText::new(
                        "Every change you make is recorded under this name in the audit trail. \
                         It is kept on this computer, not in sessions.",
                    )
                    .small(),
                );
                let os = os_user();
                ui.horizontal_wrapped(|ui| {
                    ui.label(egui::RichText::new(format!("Operating system user: {os}")).weak());
                    if ui.small_button("Use it").clicked() {
                        self.name = os.clone();
                    }
                });
                if let Err(e) = check_user(&self.name) {
                    ui.colored_label(theme::ERROR, format!("⚠ {e}"));
                }
                if let Some(e) = &self.error {
                    ui.colored_label(theme::ERROR, e);
                }
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(check_user(&self.name).is_ok(), egui::Button::new("Save"))
                        .clicked()
                    {
                        notice = self.save(ws, &os);
                    }
                    if ui.button("Cancel").clicked() {
                        self.open = false;
                    }
                });
            });
        if !open {
            self.open = false;
        }
        notice
    }

    fn save(&mut self, ws: &mut Workspace, os: &str) -> Option<String> {
        let name = self.name.trim().to_string();
        // The OS name is the default: storing it would pin a name the OS may later change.
        self.prefs.user = (name != os).then(|| name.clone());
        ws.user = name.clone();
        if let Some(dir) = &self.dir
            && let Err(e) = self.prefs.save(dir)
        {
            self.error = Some(format!(
                "Used for this run, but it could not be kept for the next: {e}"
            ));
            return None;
        }
        self.open = false;
        Some(format!("Changes are now recorded as {name}"))
    }
}
