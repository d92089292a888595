//! Drag-and-drop: a dropped session is opened, a dropped CSV imported, and an overlay says which
//! while files hover over the window.

use super::paths::extension;
use super::{Intent, SessionUi};
use crate::session::Workspace;
use crate::ui::theme;
use std::path::PathBuf;

impl SessionUi {
    pub(super) fn drops(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
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
    pub(super) fn drop_overlay(&self, ctx: &egui::Context) {
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
}
