//! Speaker notes in a second window (an eframe immediate viewport, for the presenter's own
//! screen): the slide's notes, the next slide's title, the time of day and the time since the
//! talk began. The clicker's keys work there too. Where the platform has no second window
//! (tests, headless rendering), egui draws it as a window inside the slide.

use super::show::{Command, read_keys};
use crate::session::Workspace;
use crate::session::deck::{Step, progress};
use egui::{RichText, ViewportBuilder, ViewportClass, ViewportId};

/// Shows the notes window; returns whether it stays open and what was asked in it.
pub(super) fn window(
    ctx: &egui::Context,
    ws: &Workspace,
    index: usize,
    started_at: f64,
) -> (bool, Vec<Command>) {
    let deck = &ws.session.deck;
    let Some(slide) = deck.slides.get(index) else {
        return (false, Vec::new());
    };
    let next = deck.slides.get(index + 1).map(|s| s.title.as_str());
    let elapsed = (ctx.input(|i| i.time) - started_at).max(0.0) as u64;
    let clock = jiff::ZonedDateTime::now().strftime("%H:%M").to_string();
    let n = deck.len();
    let builder = ViewportBuilder::default()
        .with_title("Speaker notes — Diffusion Desk")
        .with_inner_size([560.0, 420.0]);
    let mut keep = true;
    let commands = ctx.show_viewport_immediate(
        ViewportId::from_hash_of("diffusion_desk_speaker_notes"),
        builder,
        |ui, class| {
            let mut commands = Vec::new();
            let body = |ui: &mut egui::Ui, commands: &mut Vec<Command>| {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(format!("{} · {}", progress(index, n), slide.title))
                            .strong()
                            .size(18.0),
                    );
                });
                ui.label(
                    RichText::new(format!(
                        "{clock} · {:02}:{:02} into the talk",
                        elapsed / 60,
                        elapsed % 60
                    ))
                    .weak(),
                );
                ui.separator();
                egui::ScrollArea::vertical()
                    .id_salt("speaker_notes_text")
                    .max_height(240.0)
                    .show(ui, |ui| {
                        let notes = if slide.notes.is_empty() {
                            "No notes for this slide."
                        } else {
                            slide.notes.as_str()
                        };
                        ui.label(RichText::new(notes).size(16.0));
                    });
                ui.separator();
                ui.label(match next {
                    Some(t) => format!("Next: {t}"),
                    None => "Last slide".to_string(),
                });
                ui.horizontal(|ui| {
                    if ui.button("← Back").clicked() {
                        commands.push(Command::Step(Step::Previous));
                    }
                    if ui.button("Next →").clicked() {
                        commands.push(Command::Step(Step::Next));
                    }
                    if ui.button("End the show").clicked() {
                        commands.push(Command::Leave);
                    }
                });
            };
            if class == ViewportClass::EmbeddedWindow {
                body(ui, &mut commands);
            } else {
                // Its own window has its own keyboard focus: the clicker may be talking to it.
                commands.extend(read_keys(ui));
                egui::CentralPanel::default().show(ui, |ui| body(ui, &mut commands));
                if ui.input(|i| i.viewport().close_requested()) {
                    keep = false;
                }
            }
            commands
        },
    );
    // The clock moves.
    ctx.request_repaint_after(std::time::Duration::from_secs(1));
    // N in the notes window closes it.
    let (toggles, rest): (Vec<Command>, Vec<Command>) = commands
        .into_iter()
        .partition(|c| *c == Command::ToggleNotes);
    (keep && toggles.is_empty(), rest)
}
