//! The recovery offer: autosaves left by windows that are gone (crashed, killed, or closed with
//! the session lost), each with the file it belongs to, to restore or discard one by one.
//! Autosaves of windows still running are never listed (`session::autosave` checks their locks).

use super::paths::display_name;
use super::{SessionUi, count};
use crate::session::Workspace;
use crate::session::autosave::Recovery;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Restore(usize),
    Discard(usize),
    Later,
}

impl SessionUi {
    pub(super) fn recovery_modal(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        if self.recovery.is_empty() {
            return;
        }
        let many = self.recovery.len() > 1;
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("recovery_modal")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.heading("Restore unsaved work?");
            ui.add_space(4.0);
            ui.label(if many {
                format!(
                    "{} Diffusion Desk windows closed without saving their work. Their autosaves:",
                    self.recovery.len()
                )
            } else {
                "A Diffusion Desk window closed without saving its work. Its autosave:".into()
            });
            ui.add_space(4.0);
            egui::ScrollArea::vertical()
                .id_salt("recovery_list")
                .max_height(320.0)
                .show(ui, |ui| {
                    for (i, r) in self.recovery.iter().enumerate() {
                        if let Some(c) = recovery_row(ui, r, i, many) {
                            choice = Some(c);
                        }
                    }
                });
            ui.add_space(6.0);
            ui.label(
                egui::RichText::new(if many {
                    "Restoring one opens it in this window; the others are kept and offered \
                     again at the next start, as are all with Decide later."
                } else {
                    "Decide later keeps the autosave and offers it again at the next start."
                })
                .small()
                .weak(),
            );
            ui.add_space(4.0);
            if ui.button("Decide later").clicked() {
                choice = Some(Choice::Later);
            }
        });
        match choice {
            Some(Choice::Restore(i)) => self.restore(ws, i),
            Some(Choice::Discard(i)) => {
                let r = self.recovery.remove(i);
                let name = r.session.title.clone();
                r.discard();
                self.notice(format!("Discarded the autosave of “{name}”"));
            }
            Some(Choice::Later) => {
                let n = self.recovery.len();
                // Dropping them releases their locks; the files stay.
                self.recovery.clear();
                self.notice(format!(
                    "Kept {}: offered again at the next start",
                    count(n, "autosave")
                ));
            }
            None => {}
        }
    }

    fn restore(&mut self, ws: &mut Workspace, i: usize) {
        let r = self.recovery.remove(i);
        let others = std::mem::take(&mut self.recovery).len();
        let (session, meta, orphan) = r.into_parts();
        match &mut self.autosave {
            // Removed once this window has the work in its own autosave or a saved file.
            Some(a) => a.adopt(orphan),
            None => drop(orphan),
        }
        ws.replace_session(session, meta.source.clone());
        // A later save still notices if another window saved that file since.
        self.disk = meta.source.clone().zip(meta.source_sha256.clone());
        // Restored work is unsaved work.
        ws.dirty = true;
        self.effects.replaced = true;
        let mut msg = format!("Restored unsaved work autosaved {}", meta.written_text());
        if others > 0 {
            msg.push_str(&format!(
                "; {} kept for the next start",
                count(others, "other autosave")
            ));
        }
        self.notice(msg);
    }
}

/// One autosave: what it holds, the file it belongs to, when and by which window it was
/// written; with its Restore and Discard buttons.
fn recovery_row(ui: &mut egui::Ui, r: &Recovery, i: usize, many: bool) -> Option<Choice> {
    let title = if r.session.title.trim().is_empty() {
        "Untitled session".to_string()
    } else {
        r.session.title.clone()
    };
    let mut choice = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(
            egui::RichText::new(format!(
                "“{title}”, {}, autosaved {}",
                count(r.session.orders.len(), "order"),
                r.meta.written_text()
            ))
            .strong(),
        );
        let belongs = match &r.meta.source {
            Some(src) => format!("Belongs to {} ({})", display_name(src), src.display()),
            None => "Belongs to no file: the session was never saved".to_string(),
        };
        ui.label(belongs);
        ui.label(
            egui::RichText::new(format!("Written by {}", r.meta.owner_text()))
                .small()
                .weak(),
        )
        .on_hover_text(format!("Autosave file: {}", r.file().display()));
        ui.add_space(2.0);
        ui.horizontal(|ui| {
            for (text, c) in [
                ("Restore", Choice::Restore(i)),
                ("Discard", Choice::Discard(i)),
            ] {
                let resp = ui.button(text);
                if many {
                    // With several rows, "Restore" alone does not say which to a screen
                    // reader: the accessible name carries the session's title.
                    let name = format!("{text} “{title}”");
                    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                }
                if resp.clicked() {
                    choice = Some(c);
                }
            }
        });
    });
    choice
}
