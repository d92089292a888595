//! The deck window: the slides in order, each with its kind and title, buttons to move it up or
//! down, present from it or delete it; the selected slide's title, caption and speaker notes;
//! adding the current view; presenting and exporting. Deck edits are not audited (they change no
//! decision); they mark the session as changed.

use crate::session::{Slide, Workspace};
use crate::ui::theme;
use egui::RichText;

/// What the deck window asks of the presenter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DeckCommand {
    Present(usize),
    AddCurrentView,
    ExportPdf,
    ExportPngs,
}

#[derive(Default)]
pub(super) struct DeckWindow {
    pub open: bool,
    selected: Option<usize>,
}

/// A change to the deck's order or membership, applied after the list is drawn.
enum Edit {
    Up(usize),
    Down(usize),
    Delete(usize),
}

impl DeckWindow {
    pub fn select(&mut self, i: usize) {
        self.selected = Some(i);
    }

    pub fn show(
        &mut self,
        ctx: &egui::Context,
        ws: &mut Workspace,
        exporting: bool,
        status: Option<String>,
    ) -> Vec<DeckCommand> {
        let mut out = Vec::new();
        if !self.open {
            return out;
        }
        let mut open = true;
        egui::Window::new("Deck")
            .id(egui::Id::unique("deck_window"))
            .open(&mut open)
            .default_width(620.0)
            .default_height(560.0)
            .pivot(egui::Align2::RIGHT_TOP)
            .default_pos(ctx.content_rect().right_top() + egui::vec2(-16.0, 64.0))
            .vscroll(true)
            .show(ctx, |ui| {
                self.buttons(ui, ws, exporting, &mut out);
                if let Some(s) = &status {
                    ui.label(RichText::new(s).small());
                }
                ui.separator();
                if ws.session.deck.is_empty() {
                    ui.label(
                        "No slides yet. Set up a view (map, plot, order, what-if comparison or \
                         what a cap buys) and add it as a slide.",
                    );
                    return;
                }
                self.list(ui, ws, &mut out);
                ui.separator();
                self.editor(ui, ws);
            });
        self.open = open;
        out
    }

    fn buttons(
        &self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        exporting: bool,
        out: &mut Vec<DeckCommand>,
    ) {
        let has = !ws.session.deck.is_empty();
        ui.horizontal_wrapped(|ui| {
            if ui.button("Add current view as slide").clicked() {
                out.push(DeckCommand::AddCurrentView);
            }
            if ui
                .add_enabled(has, egui::Button::new("Present (F5)"))
                .on_hover_text("Full screen from the first slide; Esc leaves")
                .clicked()
            {
                out.push(DeckCommand::Present(0));
            }
            if ui
                .add_enabled(has && !exporting, egui::Button::new("Export PDF…"))
                .clicked()
            {
                out.push(DeckCommand::ExportPdf);
            }
            if ui
                .add_enabled(has && !exporting, egui::Button::new("Export PNGs…"))
                .clicked()
            {
                out.push(DeckCommand::ExportPngs);
            }
        });
    }

    fn list(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, out: &mut Vec<DeckCommand>) {
        let n = ws.session.deck.len();
        let dangling = ws.session.deck.dangling(&ws.session);
        let mut edit = None;
        egui::Grid::new("deck_slides")
            .num_columns(4)
            .striped(true)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                for (i, s) in ws.session.deck.slides.iter().enumerate() {
                    let text = format!("{}. {}", i + 1, s.title);
                    if ui
                        .selectable_label(self.selected == Some(i), text)
                        .on_hover_text("Edit this slide's title, caption and notes")
                        .clicked()
                    {
                        self.selected = Some(i);
                    }
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(s.view.kind_label()).small().weak());
                        if let Some(w) = s.view.what_if() {
                            ui.label(
                                RichText::new(format!("what-if: {w}"))
                                    .small()
                                    .color(crate::ui::what_if::text_color(ui)),
                            );
                        }
                        if let Some((_, why)) = dangling.iter().find(|(d, _)| *d == i) {
                            ui.colored_label(theme::ERROR, "⚠").on_hover_text(why);
                        }
                    });
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(i > 0, egui::Button::new("Up").small())
                            .clicked()
                        {
                            edit = Some(Edit::Up(i));
                        }
                        if ui
                            .add_enabled(i + 1 < n, egui::Button::new("Down").small())
                            .clicked()
                        {
                            edit = Some(Edit::Down(i));
                        }
                    });
                    ui.horizontal(|ui| {
                        if ui.small_button("Present from here").clicked() {
                            out.push(DeckCommand::Present(i));
                        }
                        if ui.small_button("Delete").clicked() {
                            edit = Some(Edit::Delete(i));
                        }
                    });
                    ui.end_row();
                }
            });
        if let Some(e) = edit {
            self.apply(ws, e);
        }
    }

    fn apply(&mut self, ws: &mut Workspace, e: Edit) {
        let deck = &mut ws.session.deck;
        let changed = match e {
            Edit::Up(i) => {
                let moved = deck.move_up(i);
                if moved {
                    self.selected = Some(i - 1);
                }
                moved
            }
            Edit::Down(i) => {
                let moved = deck.move_down(i);
                if moved {
                    self.selected = Some(i + 1);
                }
                moved
            }
            Edit::Delete(i) => {
                let gone = deck.remove(i).is_some();
                self.selected = self
                    .selected
                    .filter(|&s| s != i)
                    .map(|s| if s > i { s - 1 } else { s });
                gone
            }
        };
        if changed {
            ws.dirty = true;
        }
    }

    /// Title, caption and notes of the selected slide.
    fn editor(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        let Some(i) = self.selected.filter(|&i| i < ws.session.deck.len()) else {
            ui.label(RichText::new("Select a slide to edit its title, caption and notes.").weak());
            return;
        };
        let slide: &mut Slide = &mut ws.session.deck.slides[i];
        ui.label(RichText::new(format!("Slide {}", i + 1)).strong());
        let mut changed = false;
        egui::Grid::new("deck_slide_editor")
            .num_columns(2)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                let l = ui.label("Title");
                changed |= ui
                    .add(egui::TextEdit::singleline(&mut slide.title).desired_width(420.0))
                    .labelled_by(l.id)
                    .changed();
                ui.end_row();
                let l = ui.label("Caption");
                changed |= ui
                    .add(
                        egui::TextEdit::multiline(&mut slide.caption)
                            .desired_rows(2)
                            .desired_width(420.0)
                            .hint_text("One or two sentences under the slide"),
                    )
                    .labelled_by(l.id)
                    .changed();
                ui.end_row();
                let l = ui.label("Speaker notes");
                changed |= ui
                    .add(
                        egui::TextEdit::multiline(&mut slide.notes)
                            .desired_rows(4)
                            .desired_width(420.0)
                            .hint_text("Shown in the speaker-notes window only"),
                    )
                    .labelled_by(l.id)
                    .changed();
                ui.end_row();
            });
        if changed {
            ws.dirty = true;
        }
        let what = match slide.view.what_if() {
            Some(w) => format!("{} · what-if “{w}”", slide.view.kind_label()),
            None => slide.view.kind_label().to_string(),
        };
        ui.label(RichText::new(format!("Shows: {what}")).weak());
    }
}
