//! The compliance record's windows in the app shell: Settings (the user name changes are
//! recorded under) and Export period report.

use super::report_window::ReportWindow;
use super::session_ui::SessionUi;
use super::settings_window::SettingsWindow;
use crate::session::Workspace;
use std::path::PathBuf;

pub struct RecordWindows {
    pub settings: SettingsWindow,
    pub report: ReportWindow,
}

impl Default for RecordWindows {
    fn default() -> Self {
        let today = jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date();
        Self {
            settings: SettingsWindow::default(),
            report: ReportWindow::new(today),
        }
    }
}

impl RecordWindows {
    /// Preferences live in the app data folder; the stored user name applies at once.
    pub fn set_data_dir(&mut self, dir: Option<PathBuf>, ws: &mut Workspace) {
        self.settings.set_data_dir(dir, ws);
    }

    /// Draws the open windows; returns a notice for the status bar.
    pub fn windows(
        &mut self,
        ctx: &egui::Context,
        ws: &mut Workspace,
        files: &mut SessionUi,
    ) -> Option<String> {
        let a = self.settings.ui(ctx, ws);
        let b = self.report.ui(ctx, ws, files);
        b.or(a)
    }
}
