//! The presentation itself: one slide at a time in large type — its title, the view drawn from
//! the slide's saved state, its caption and "3 / 8". →, ↓, Page Down and Space (what clickers
//! send) go forward; ←, ↑ and Page Up back; Home and End to the ends; Esc leaves; N shows the
//! speaker notes; W switches the what-if shown on the slide, mid-talk.

use super::notes;
use crate::rules::FindingContext;
use crate::session::deck::{Step, progress, step};
use crate::session::{SlideView, ViewId, ViewState, Workspace};
use crate::ui::decision_panel;
use crate::ui::view::Views;
use egui::{Frame, Key, Margin, Modifiers, RichText, Style};

/// How a slide is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShowMode {
    /// Presenting: full screen, keys move, speaker notes.
    Present,
    /// The whole slide as presented, still (PNG export).
    Still,
    /// Only the slide's view, type scaled by `scale` (the PDF page sets title and caption).
    Body { scale: f32 },
}

/// What a key (or a click in the notes window) asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Command {
    Step(Step),
    Leave,
    ToggleNotes,
    CycleWhatIf,
}

/// The keys of a presentation, as pressed this frame (each consumed, so no view sees them).
pub(super) fn read_keys(ui: &egui::Ui) -> Vec<Command> {
    const KEYS: [(Key, Command); 12] = [
        (Key::ArrowRight, Command::Step(Step::Next)),
        (Key::ArrowDown, Command::Step(Step::Next)),
        (Key::PageDown, Command::Step(Step::Next)),
        (Key::Space, Command::Step(Step::Next)),
        (Key::ArrowLeft, Command::Step(Step::Previous)),
        (Key::ArrowUp, Command::Step(Step::Previous)),
        (Key::PageUp, Command::Step(Step::Previous)),
        (Key::Home, Command::Step(Step::First)),
        (Key::End, Command::Step(Step::Last)),
        (Key::Escape, Command::Leave),
        (Key::N, Command::ToggleNotes),
        (Key::W, Command::CycleWhatIf),
    ];
    ui.input_mut(|i| {
        let mut out = Vec::new();
        for (key, cmd) in KEYS {
            while i.consume_key(Modifiers::NONE, key) {
                out.push(cmd);
            }
        }
        out
    })
}

/// How much larger than the app's type a slide's is, for a slide of `size` points: about 1.7
/// on a 1080p screen, never smaller than the app.
pub fn slide_scale(size: egui::Vec2) -> f32 {
    (size.y / 620.0).min(size.x / 1100.0).clamp(1.0, 2.6)
}

/// How much larger than the app's the type is where `ui` draws: 1 in the app, the slide's scale
/// on a slide. Views that draw text at fixed sizes multiply them by it, so they grow too.
pub fn type_scale(ui: &egui::Ui) -> f32 {
    let app = egui::TextStyle::Body.resolve(&Style::default()).size;
    egui::TextStyle::Body.resolve(ui.style()).size / app
}

/// `base` with every text style `k` times larger, and spacing to match.
fn scaled_style(base: &Style, k: f32) -> Style {
    let mut s = base.clone();
    for font in s.text_styles.values_mut() {
        font.size *= k;
    }
    // Whole points, so widgets stay on the pixel grid.
    let sp = &mut s.spacing;
    sp.item_spacing = (sp.item_spacing * k.sqrt()).round();
    sp.button_padding = (sp.button_padding * k.sqrt()).round();
    sp.interact_size = (sp.interact_size * k).round();
    sp.icon_width = (sp.icon_width * k).round();
    sp.icon_width_inner = (sp.icon_width_inner * k).round();
    s
}

pub(super) struct ShowOutput {
    pub leave: bool,
}

pub(super) struct Show {
    pub index: usize,
    mode: ShowMode,
    /// The user's view state, put back when the show ends.
    saved_view: ViewState,
    was_fullscreen: bool,
    /// The slide whose saved state is in the session's view state.
    applied: Option<usize>,
    notes: bool,
    started_at: f64,
}

impl Show {
    pub fn start(ctx: &egui::Context, ws: &Workspace, index: usize, mode: ShowMode) -> Self {
        let was_fullscreen = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
        if mode == ShowMode::Present && !was_fullscreen {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        }
        Self {
            index,
            mode,
            saved_view: ws.session.view.clone(),
            was_fullscreen,
            applied: None,
            // A second native window only where the platform has one (not in tests or headless
            // rendering, where it would be drawn over the slide).
            notes: mode == ShowMode::Present && !ctx.embed_viewports(),
            started_at: ctx.input(|i| i.time),
        }
    }

    /// A show that only draws (for export): no full screen, no keys, no notes.
    pub fn still(ws: &Workspace, index: usize, mode: ShowMode) -> Self {
        Self {
            index,
            mode,
            saved_view: ws.session.view.clone(),
            was_fullscreen: true,
            applied: None,
            notes: false,
            started_at: 0.0,
        }
    }

    pub fn go_to(&mut self, index: usize, mode: ShowMode) {
        if self.index != index || self.mode != mode {
            self.applied = None;
        }
        self.index = index;
        self.mode = mode;
    }

    /// Ends the show: windowed again (unless it was full screen before), the user's view back.
    pub fn end(self, ctx: &egui::Context, ws: &mut Workspace) {
        if self.mode == ShowMode::Present && !self.was_fullscreen {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        }
        ws.session.view = self.saved_view;
    }

    fn apply(&mut self, cmd: Command, ws: &mut Workspace) -> bool {
        let n = ws.session.deck.len();
        match cmd {
            Command::Step(s) => self.index = step(self.index, n, s),
            Command::Leave => return true,
            Command::ToggleNotes => self.notes = !self.notes,
            Command::CycleWhatIf => {
                let names: Vec<Option<String>> = std::iter::once(None)
                    .chain(ws.session.what_ifs.iter().map(|w| Some(w.name.clone())))
                    .collect();
                let at = names
                    .iter()
                    .position(|n| *n == ws.session.view.what_if)
                    .unwrap_or(0);
                ws.session.view.what_if = names[(at + 1) % names.len()].clone();
            }
        }
        false
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, views: &mut Views) -> ShowOutput {
        let n = ws.session.deck.len();
        if n == 0 {
            return ShowOutput { leave: true };
        }
        let mut commands = Vec::new();
        if self.mode == ShowMode::Present {
            commands = read_keys(ui);
        }
        if self.notes {
            let (keep, more) = notes::window(ui.ctx(), ws, self.index, self.started_at);
            self.notes = keep;
            commands.extend(more);
        }
        for c in commands {
            if self.apply(c, ws) {
                return ShowOutput { leave: true };
            }
        }
        self.index = self.index.min(n - 1);
        if self.applied != Some(self.index) {
            ws.session.deck.slides[self.index]
                .view
                .apply(&mut ws.session.view);
            self.applied = Some(self.index);
        }
        self.draw(ui, ws, views);
        ShowOutput { leave: false }
    }

    fn draw(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, views: &mut Views) {
        let k = match self.mode {
            ShowMode::Body { scale } => scale,
            _ => slide_scale(ui.ctx().content_rect().size()),
        };
        let margin = if matches!(self.mode, ShowMode::Body { .. }) {
            Margin::same((8.0 * k) as i8)
        } else {
            Margin::symmetric((36.0 * k) as i8, (22.0 * k) as i8)
        };
        let slide = ws.session.deck.slides[self.index].clone();
        let frame = Frame::central_panel(ui.style()).inner_margin(margin);
        egui::CentralPanel::default().frame(frame).show(ui, |ui| {
            ui.set_style(scaled_style(ui.style(), k));
            if !matches!(self.mode, ShowMode::Body { .. }) {
                self.title(ui, &slide.title, k);
                self.footer(ui, ws, &slide, k);
            }
            match &slide.view {
                SlideView::Order { order_id } => order_slide(ui, ws, order_id),
                v => views.by_id_mut(&ViewId::new(v.view_id())).slide_ui(ui, ws),
            }
        });
    }

    fn title(&self, ui: &mut egui::Ui, title: &str, k: f32) {
        egui::Panel::top("slide_title")
            .frame(Frame::NONE)
            .show_separator_line(false)
            .show(ui, |ui| {
                ui.add(
                    egui::Label::new(
                        RichText::new(title)
                            .size(30.0 * k)
                            .strong()
                            .color(ui.visuals().strong_text_color()),
                    )
                    .wrap(),
                );
                ui.add_space(8.0 * k);
            });
    }

    fn footer(&self, ui: &mut egui::Ui, ws: &Workspace, slide: &crate::session::Slide, k: f32) {
        let n = ws.session.deck.len();
        egui::Panel::bottom("slide_footer")
            .frame(Frame::NONE)
            .show_separator_line(false)
            .show(ui, |ui| {
                ui.add_space(8.0 * k);
                if !slide.caption.is_empty() {
                    ui.add(egui::Label::new(RichText::new(&slide.caption).size(17.0 * k)).wrap());
                }
                if let Some(w) = slide.view.what_if()
                    && ws.session.what_if(w).is_none()
                {
                    ui.colored_label(
                        crate::ui::theme::ERROR,
                        format!("⚠ The what-if “{w}” is not in the session: the rule as written is shown."),
                    );
                }
                ui.horizontal(|ui| {
                    if self.mode == ShowMode::Present {
                        ui.label(
                            RichText::new("→ / Space next · ← back · Esc leave · N notes · W what-if")
                                .small()
                                .weak(),
                        );
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        ui.label(RichText::new(progress(self.index, n)).size(14.0 * k).weak());
                    });
                });
            });
    }
}

/// An order's decision as a slide: the order in one line, then its verdict, what it draws and
/// every finding with its citation.
fn order_slide(ui: &mut egui::Ui, ws: &Workspace, order_id: &str) {
    let Some(i) = ws.orders().iter().position(|o| o.id == order_id) else {
        ui.label(format!(
            "Order {order_id} is not in the session's order book."
        ));
        return;
    };
    let (o, d) = (&ws.orders()[i], &ws.decisions()[i]);
    let countries = ws.engine.countries();
    ui.label(
        RichText::new(format!(
            "{} · {} × {} to {} · {} ({}) · {}",
            o.id,
            crate::format::thousands(o.quantity),
            o.item.id(),
            countries.name(o.destination),
            o.consignee,
            countries.name(o.consignee_hq),
            o.date
        ))
        .strong(),
    );
    ui.add_space(6.0);
    let ctx = FindingContext {
        engine: &ws.engine,
        order: o,
        screening: ws.screening(i),
        licences: &ws.session.licences,
        overrides: &ws.session.overrides,
    };
    egui::ScrollArea::vertical()
        .id_salt("order_slide")
        .show(ui, |ui| decision_panel::show(ui, &ctx, d, &[]));
}
