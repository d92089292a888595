//! Presenter mode: the deck (slides made from the views), presenting it full screen with large
//! type and a clicker, speaker notes in a second window, exporting it as PDF and PNGs, and the
//! what-if scenario editor the presenter switches on mid-talk.
//!
//! The deck lives in the session (`session::deck` holds its model and edits); this module only
//! shows it and turns input into those edits. Slides are drawn by the views themselves
//! (`View::slide_ui`) from the slide's saved view state.

mod deck_window;
mod export;
mod notes;
mod show;

use super::dialogs::{FileDialogs, FileKind, Picked};
use super::map_view::MapView;
use super::orders_view::OrdersView;
use super::plots_view;
use super::view::Views;
use super::what_if::editor::WhatIfEditor;
use crate::cli::deck::DeckTarget;
use crate::session::deck::view_ids;
use crate::session::{Slide, SlideView, ViewId, Workspace};
use deck_window::{DeckCommand, DeckWindow};
use egui::{Key, KeyboardShortcut, Modifiers};
use export::DeckExport;
use show::Show;
pub use show::{ShowMode, slide_scale, type_scale};

/// Present from the first slide.
pub const PRESENT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F5);
/// Present from the slide last shown (or selected in the deck window).
pub const PRESENT_HERE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::SHIFT, Key::F5);

#[derive(Default)]
pub struct Presenter {
    /// The what-if scenario editor.
    pub what_ifs: WhatIfEditor,
    deck: DeckWindow,
    show: Option<Show>,
    /// The slide the last presentation ended on (Shift+F5 resumes there).
    resume_at: usize,
    export: DeckExport,
}

impl Presenter {
    pub fn presenting(&self) -> bool {
        self.show.is_some()
    }

    /// The slide on screen while presenting.
    pub fn current_slide(&self) -> Option<usize> {
        self.show.as_ref().map(|s| s.index)
    }

    pub fn deck_window_open(&self) -> bool {
        self.deck.open
    }

    pub fn open_deck_window(&mut self) {
        self.deck.open = true;
    }

    /// Starts presenting at slide `from`: full screen, the slide's view state in place of the
    /// user's (restored when the show ends).
    pub fn start(
        &mut self,
        ctx: &egui::Context,
        ws: &mut Workspace,
        from: usize,
    ) -> Result<(), String> {
        if ws.session.deck.is_empty() {
            return Err("The deck has no slides: add the current view as a slide first".into());
        }
        let index = from.min(ws.session.deck.len() - 1);
        self.show = Some(Show::start(ctx, ws, index, ShowMode::Present));
        Ok(())
    }

    /// Leaves the presentation: windowed again, the user's view state back.
    pub fn stop(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        if let Some(show) = self.show.take() {
            self.resume_at = show.index;
            show.end(ctx, ws);
        }
    }

    /// Shows slide `index` without keys, notes or a change of window (deck export renders
    /// slides this way; `mode` must not be [`ShowMode::Present`]).
    pub fn still(&mut self, ws: &Workspace, index: usize, mode: ShowMode) {
        match &mut self.show {
            Some(show) => show.go_to(index, mode),
            None => self.show = Some(Show::still(ws, index, mode)),
        }
    }

    /// The slide for what the app shows now, titled after the view, or why the view cannot be
    /// a slide.
    pub fn current_view_slide(ws: &Workspace, views: &Views) -> Result<Slide, String> {
        let orders = views.get::<OrdersView>();
        let order = orders
            .book
            .selected
            .and_then(|i| ws.orders().get(i))
            .map(|o| o.id.clone());
        let view =
            SlideView::capture(&ws.session.view, order.as_deref()).ok_or_else(|| {
                match ws.session.view.view.as_str() {
                    view_ids::ORDERS => {
                        "Select an order (or choose a what-if) to make a slide of the orders view"
                            .to_string()
                    }
                    view_ids::COMPARISON => {
                        "Choose a what-if to make a slide of the comparison".to_string()
                    }
                    v => format!("The “{v}” view cannot be a slide"),
                }
            })?;
        Ok(Slide::new(default_title(&view), view))
    }

    /// "Add current view as slide": appends it and opens the deck window on it.
    pub fn add_current_view(
        &mut self,
        ws: &mut Workspace,
        views: &Views,
    ) -> Result<String, String> {
        let slide = Self::current_view_slide(ws, views)?;
        let title = slide.title.clone();
        let i = ws.session.deck.add(slide);
        ws.dirty = true;
        self.deck.open = true;
        self.deck.select(i);
        Ok(format!("Added slide {}: {title}", i + 1))
    }

    /// F5 and Shift+F5. Call when no text field has focus.
    pub fn shortcuts(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Option<String> {
        let from = if ui.input_mut(|i| i.consume_shortcut(&PRESENT_HERE)) {
            Some(self.resume_at)
        } else if ui.input_mut(|i| i.consume_shortcut(&PRESENT)) {
            Some(0)
        } else {
            None
        };
        from.and_then(|f| self.start(ui.ctx(), ws, f).err())
    }

    /// The contents of the Present menu; a message for the status bar.
    pub fn menu(
        &mut self,
        ui: &mut egui::Ui,
        ws: &mut Workspace,
        views: &Views,
        dialogs: &mut dyn FileDialogs,
    ) -> Option<String> {
        let has_slides = !ws.session.deck.is_empty();
        let mut notice = None;
        let present =
            egui::Button::new("Present from the start").shortcut_text(ui.format_shortcut(&PRESENT));
        if ui.add_enabled(has_slides, present).clicked() {
            notice = self.start(ui.ctx(), ws, 0).err();
            ui.close();
        }
        let here = egui::Button::new("Present from the last slide shown")
            .shortcut_text(ui.format_shortcut(&PRESENT_HERE));
        if ui.add_enabled(has_slides, here).clicked() {
            notice = self.start(ui.ctx(), ws, self.resume_at).err();
            ui.close();
        }
        if ui.button("Add current view as slide").clicked() {
            notice = Some(self.add_current_view(ws, views).unwrap_or_else(|e| e));
            ui.close();
        }
        if ui.button("Deck…").clicked() {
            self.deck.open = true;
            ui.close();
        }
        ui.separator();
        if ui.button("What-if scenarios…").clicked() {
            self.what_ifs.open(ws);
            ui.close();
        }
        ui.separator();
        let busy = self.export.busy();
        if ui
            .add_enabled(
                has_slides && !busy,
                egui::Button::new("Export deck as PDF…"),
            )
            .clicked()
        {
            notice = self.export_pdf(ws, dialogs);
            ui.close();
        }
        if ui
            .add_enabled(
                has_slides && !busy,
                egui::Button::new("Export deck as PNGs…"),
            )
            .clicked()
        {
            notice = self.export_pngs(ws, dialogs);
            ui.close();
        }
        notice
    }

    fn export_pdf(&mut self, ws: &Workspace, dialogs: &mut dyn FileDialogs) -> Option<String> {
        let name = format!("{}-deck.pdf", file_stem(ws));
        let dir = start_dir(ws);
        let (path, why) = match dialogs.pick_save(
            FileKind::DeckPdf,
            "Export deck as PDF",
            dir.as_deref(),
            &name,
        ) {
            Picked::Path(p) => (p, None),
            Picked::Cancelled => return None,
            Picked::Unavailable(why) => (dir.unwrap_or_else(|| ".".into()).join(&name), Some(why)),
        };
        self.export.start(ws, DeckTarget::Pdf(path), why);
        self.export.notice()
    }

    fn export_pngs(&mut self, ws: &Workspace, dialogs: &mut dyn FileDialogs) -> Option<String> {
        let dir = start_dir(ws);
        let (folder, why) =
            match dialogs.pick_folder("Export deck as PNGs into a folder", dir.as_deref()) {
                Picked::Path(p) => (p, None),
                Picked::Cancelled => return None,
                Picked::Unavailable(why) => (
                    dir.unwrap_or_else(|| ".".into())
                        .join(format!("{}-slides", file_stem(ws))),
                    Some(why),
                ),
            };
        self.export.start(ws, DeckTarget::Pngs(folder), why);
        self.export.notice()
    }

    /// The deck window, the what-if editor and the export's progress; a message for the
    /// status bar. Call after the views.
    pub fn windows(
        &mut self,
        ui: &mut egui::Ui,
        ws: &mut Workspace,
        views: &mut Views,
        dialogs: &mut dyn FileDialogs,
    ) -> Option<String> {
        let ctx = ui.ctx().clone();
        let mut notice = self.export.poll(&ctx);
        if self.what_ifs.show(&ctx, ws).tiers_on_map {
            ws.session.view.view = ViewId::new(view_ids::MAP);
            views.get_mut::<MapView>().set_what_if_mode(true);
        }
        let busy = self.export.busy();
        for cmd in self.deck.show(&ctx, ws, busy, self.export.status()) {
            let n = match cmd {
                DeckCommand::Present(i) => self.start(&ctx, ws, i).err(),
                DeckCommand::AddCurrentView => {
                    Some(self.add_current_view(ws, views).unwrap_or_else(|e| e))
                }
                DeckCommand::ExportPdf => self.export_pdf(ws, dialogs),
                DeckCommand::ExportPngs => self.export_pngs(ws, dialogs),
            };
            notice = n.or(notice);
        }
        notice
    }

    /// Draws the presentation (instead of the app). Call only while [`Self::presenting`].
    pub fn present_ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, views: &mut Views) {
        let Some(show) = &mut self.show else { return };
        if show.ui(ui, ws, views).leave {
            self.stop(ui.ctx(), ws);
            ui.ctx().request_repaint();
        }
    }
}

/// A slide's title before the presenter edits it, from what it shows.
fn default_title(view: &SlideView) -> String {
    match view {
        SlideView::Map { what_if: None, .. } => "The rule's three tiers".into(),
        SlideView::Map {
            what_if: Some(w), ..
        } => format!("What if: {w}"),
        SlideView::Plot { plots, what_if } => {
            let label = plots_view::plot_registry()
                .into_iter()
                .find(|p| p.id() == plots.kind.as_str())
                .map_or("Plot", |p| p.label());
            match what_if {
                Some(w) => format!("{label} — what if: {w}"),
                None => label.to_string(),
            }
        }
        SlideView::Order { order_id } => format!("Order {order_id}"),
        SlideView::Comparison { what_if } => format!("Which decisions change: {what_if}"),
        SlideView::Calculator { .. } => "What a cap buys".into(),
    }
}

fn file_stem(ws: &Workspace) -> String {
    ws.path
        .as_ref()
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| {
            crate::session::file::suggested_file_name(&ws.session.title)
                .trim_end_matches(".ron")
                .to_string()
        })
}

fn start_dir(ws: &Workspace) -> Option<std::path::PathBuf> {
    ws.path
        .as_deref()
        .and_then(std::path::Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .map(std::path::Path::to_path_buf)
}
