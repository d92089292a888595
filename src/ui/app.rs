//! The application shell: top bar (file menu, view switcher, theme), status bar and the views.

use super::dialogs::{FileDialogs, NativeDialogs};
use super::map_view::MapView;
use super::orders_view::OrdersView;
use super::plots_view::PlotsView;
use super::provenance_window::ProvenanceWindow;
use super::session_ui::SessionUi;
use crate::rules::CountryCode;
use crate::session::{View, Workspace};
use egui::{Key, KeyboardShortcut, Modifiers};
use std::path::PathBuf;

/// What a view asks the shell to do (cross-view navigation).
#[derive(Debug, Clone, PartialEq)]
pub enum AppAction {
    ShowView(View),
    SelectCountry(CountryCode),
    StartOrderFor(CountryCode),
    OpenOrder(usize),
    ShowAllocationPlot(CountryCode),
}

pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);

pub struct DeskApp {
    pub ws: Workspace,
    pub map: MapView,
    pub orders: OrdersView,
    pub plots: PlotsView,
    /// A message for the status bar (last action, or an error).
    pub notice: Option<String>,
    /// Session files: menus, dialogs, prompts, drops, recent files, autosave.
    pub files: SessionUi,
    /// The rule-data browser (every parameter and chip with its source and confidence).
    pub rule_data: ProvenanceWindow,
    last_title: String,
    fonts_installed: bool,
    /// Set by `trace_startup`: report the time to the first drawn frame once.
    startup_clock: Option<std::time::Instant>,
}

impl DeskApp {
    /// The app with the operating system's file dialogs and nothing kept between runs.
    pub fn new(ws: Workspace) -> Self {
        Self::with_dialogs(ws, Box::new(NativeDialogs::new()))
    }

    /// The app with the given file dialogs (tests pass a fake).
    pub fn with_dialogs(ws: Workspace, dialogs: Box<dyn FileDialogs>) -> Self {
        Self {
            map: MapView::new(&ws),
            orders: OrdersView::new(&ws),
            plots: PlotsView::new(&ws),
            ws,
            notice: None,
            files: SessionUi::new(dialogs),
            rule_data: ProvenanceWindow::default(),
            last_title: String::new(),
            fonts_installed: false,
            startup_clock: None,
        }
    }

    /// Prints the time from `started` to the end of the first drawn frame (to stderr).
    pub fn trace_startup(&mut self, started: std::time::Instant) {
        self.startup_clock = Some(started);
    }

    /// Keeps the recent-files list and autosaves in `dir` (the app data folder; tests pass a
    /// temporary one), and offers to restore an autosave a previous run left there.
    pub fn with_data_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.files.set_data_dir(dir, &self.ws);
        self.absorb_file_effects();
        self
    }

    /// Opens `path` as File → Open would (`diffusion-desk open FILE`): a file that cannot be
    /// opened is shown in the window's error dialog, with its line and column, and the app
    /// starts on the session it already has instead of exiting.
    pub fn with_startup_file(mut self, path: &std::path::Path) -> Self {
        self.files.open_path(&mut self.ws, path);
        self.absorb_file_effects();
        self
    }

    /// Applies what this frame's file work asks of the shell; whether there was any.
    fn absorb_file_effects(&mut self) -> bool {
        let fx = self.files.take_effects();
        let any = fx.replaced || fx.notice.is_some();
        if fx.replaced {
            // Views keep per-session state (selection, caches): start them afresh.
            self.map = MapView::new(&self.ws);
            self.orders = OrdersView::new(&self.ws);
            self.plots = PlotsView::new(&self.ws);
        }
        if let Some(n) = fx.notice {
            self.notice = Some(n);
        }
        any
    }

    /// The window title: file name and an unsaved-changes mark.
    pub fn title(&self) -> String {
        let name = self
            .ws
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.ws.session.title.clone());
        let mark = if self.ws.dirty { " •" } else { "" };
        format!("{name}{mark} — Diffusion Desk")
    }

    pub fn apply(&mut self, action: AppAction) {
        match action {
            AppAction::ShowView(v) => self.ws.session.view.view = v,
            AppAction::SelectCountry(c) => self.ws.session.view.map.selected = Some(c),
            AppAction::StartOrderFor(c) => {
                self.orders.start_order_for(&self.ws, c);
                self.ws.session.view.view = View::Orders;
            }
            AppAction::OpenOrder(i) => {
                self.orders.open_order(&self.ws, i);
                self.ws.session.view.view = View::Orders;
            }
            AppAction::ShowAllocationPlot(c) => {
                let p = &mut self.ws.session.view.plots;
                p.country = Some(c);
                p.kind = crate::session::PlotKind::AllocationOverTime;
                self.ws.session.view.view = View::Plots;
            }
        }
    }

    fn shortcuts(&mut self, ui: &mut egui::Ui) {
        if self.files.modal_open() {
            return;
        }
        // Text fields keep Ctrl+Z for their own undo while they have focus.
        let typing = ui.text_edit_focused();
        if typing {
            return;
        }
        if ui.input_mut(|i| i.consume_shortcut(&REDO)) {
            if self.ws.redo() {
                self.notice = Some("Redone".into());
            }
        } else if ui.input_mut(|i| i.consume_shortcut(&UNDO)) && self.ws.undo() {
            self.notice = Some("Undone".into());
        }
        for (n, view) in [
            (Key::Num1, View::Map),
            (Key::Num2, View::Orders),
            (Key::Num3, View::Plots),
        ] {
            if ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, n)) {
                self.ws.session.view.view = view;
            }
        }
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button("File", |ui| self.files.file_menu(ui, &mut self.ws));
                ui.menu_button("Edit", |ui| {
                    if ui
                        .add_enabled(
                            self.ws.can_undo(),
                            egui::Button::new("Undo").shortcut_text(ui.format_shortcut(&UNDO)),
                        )
                        .clicked()
                    {
                        self.ws.undo();
                    }
                    if ui
                        .add_enabled(
                            self.ws.can_redo(),
                            egui::Button::new("Redo").shortcut_text(ui.format_shortcut(&REDO)),
                        )
                        .clicked()
                    {
                        self.ws.redo();
                    }
                });
                ui.menu_button("Session", |ui| self.files.session_menu(ui));
                ui.menu_button("Rules", |ui| {
                    if ui.button("Rule data and sources…").clicked() {
                        self.rule_data.open = true;
                        ui.close();
                    }
                });
                ui.separator();
                let current = self.ws.session.view.view;
                for v in View::ALL {
                    if ui.selectable_label(current == v, v.label()).clicked() {
                        self.ws.session.view.view = v;
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    egui::widgets::global_theme_preference_buttons(ui);
                });
            });
        });
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let rs = self.ws.engine.ruleset();
                ui.label(
                    egui::RichText::new(format!("Ruleset: {} v{}", rs.name, rs.version)).small(),
                )
                .on_hover_text(format!(
                    "{}\nRule dated {}\nSource: {}\nSHA-256 {}",
                    rs.rule_citation,
                    rs.rule_date,
                    self.ws.engine.loaded().source,
                    self.ws.engine.loaded().sha256
                ));
                ui.separator();
                ui.label(egui::RichText::new(format!("rule of {}", rs.rule_date)).small());
                ui.separator();
                ui.label(
                    egui::RichText::new("Decision support, not legal advice")
                        .small()
                        .strong(),
                )
                .on_hover_text(&rs.provisions.status.note);
                if self.ws.ruleset_differs() {
                    ui.separator();
                    ui.colored_label(
                        super::theme::TIER3_VERMILION,
                        egui::RichText::new("⚠ session made with a different ruleset").small(),
                    )
                    .on_hover_text(format!(
                        "Session ruleset: {} v{} ({})",
                        self.ws.session.ruleset.name,
                        self.ws.session.ruleset.version,
                        self.ws.session.ruleset.sha256
                    ));
                }
                if let Some(n) = &self.notice {
                    ui.separator();
                    ui.label(egui::RichText::new(n).small());
                }
            });
        });
    }

    /// Draws the whole app into `ui` (shared by eframe, the screenshot command and tests).
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        if !self.fonts_installed {
            // Fonts change at the start of a pass: install them, draw nothing, and let egui run
            // the pass again at once, so no frame is ever laid out without them.
            super::theme::install_fonts(ui.ctx());
            self.fonts_installed = true;
            ui.ctx().request_discard("installing fonts");
            return;
        }
        self.files.handle_input(ui, &mut self.ws);
        self.shortcuts(ui);
        self.top_bar(ui);
        // The File menu may have replaced the session: views start afresh before drawing it.
        self.absorb_file_effects();
        self.status_bar(ui);
        let mut actions = Vec::new();
        egui::CentralPanel::default().show(ui, |ui| match self.ws.session.view.view {
            View::Map => actions = self.map.ui(ui, &mut self.ws),
            View::Orders => actions = self.orders.ui(ui, &mut self.ws),
            View::Plots => actions = self.plots.ui(ui, &mut self.ws),
        });
        for a in actions {
            self.apply(a);
        }
        self.files.windows(ui, &mut self.ws);
        self.rule_data.ui(ui.ctx(), &self.ws.engine);
        self.files.autosave_tick(ui, &self.ws);
        if self.absorb_file_effects() {
            // The status bar was drawn before the dialogs acted: show the outcome now.
            ui.ctx().request_repaint();
        }
        if let Some(started) = self.startup_clock.take() {
            eprintln!(
                "startup: first frame laid out {:?} after start",
                started.elapsed()
            );
        }
        let title = self.title();
        if title != self.last_title {
            ui.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.last_title = title;
        }
    }
}

impl DeskApp {
    /// At exit: unsaved work is autosaved for the next start; otherwise the autosave is removed.
    pub fn shutdown(&mut self) {
        self.files.shutdown(&self.ws);
    }
}

impl eframe::App for DeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn on_exit(&mut self) {
        self.shutdown();
    }
}
