//! The application shell: top bar (file menu, view switcher, theme), status bar and the views.

use super::dialogs::{FileDialogs, NativeDialogs};
use super::ledger_ui::LedgerUi;
use super::orders_view::OrdersView;
use super::presenter::Presenter;
use super::provenance_window::ProvenanceWindow;
use super::screening_loader::{ListSource, LoadOutcome, ScreeningLoader};
use super::screening_window::{ScreeningRequest, ScreeningWindow};
use super::session_ui::SessionUi;
use super::view::Views;
use crate::rules::CountryCode;
use crate::session::{PlotId, ViewId, Workspace};
use egui::{Key, KeyboardShortcut, Modifiers};
use std::path::PathBuf;

/// What a view asks the shell to do (cross-view navigation).
#[derive(Debug, Clone, PartialEq)]
pub enum AppAction {
    /// Show the view with this registry id.
    ShowView(&'static str),
    SelectCountry(CountryCode),
    StartOrderFor(CountryCode),
    OpenOrder(usize),
    ShowAllocationPlot(CountryCode),
    /// Open the what-if scenario editor.
    EditWhatIfs,
}

pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
pub const REDO: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);

pub struct DeskApp {
    pub ws: Workspace,
    /// Every view from the registry (`ui::view`).
    pub views: Views,
    /// A message for the status bar (last action, or an error).
    pub notice: Option<String>,
    /// Session files: menus, dialogs, prompts, drops, recent files, autosave.
    pub files: SessionUi,
    /// The rule-data browser (every parameter and chip with its source and confidence).
    pub rule_data: ProvenanceWindow,
    /// The restricted-party list in use, loaded off the UI thread.
    pub screening: ScreeningLoader,
    pub screening_window: ScreeningWindow,
    /// The deck, presenting it, and the what-if editor.
    pub presenter: Presenter,
    /// Settings (the user name) and the period report export.
    pub record: super::record_windows::RecordWindows,
    /// The team ledger: the Connect dialog, its status, colleagues' notices.
    pub ledger: LedgerUi,
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
            views: Views::new(&ws),
            ws,
            notice: None,
            files: SessionUi::new(dialogs),
            rule_data: ProvenanceWindow::default(),
            screening: ScreeningLoader::default(),
            screening_window: ScreeningWindow::default(),
            presenter: Presenter::default(),
            record: Default::default(),
            ledger: LedgerUi::default(),
            last_title: String::new(),
            fonts_installed: false,
            startup_clock: None,
        }
    }

    /// Screens orders with the list from `source`, loaded and indexed off the UI thread; until it
    /// is ready, decisions say they are not screened yet.
    pub fn with_screening(mut self, source: ListSource) -> Self {
        self.screening.start(source);
        self
    }

    /// Screens with an index that is already built (tests share one).
    pub fn with_screening_index(
        mut self,
        index: std::sync::Arc<crate::screening::ScreeningIndex>,
    ) -> Self {
        self.screening.set(&mut self.ws, index);
        self
    }

    /// A finished list load: the list in use changes, or the failure is shown and nothing changes.
    fn absorb_screening(&mut self, ui: &egui::Ui) {
        match self.screening.poll(&mut self.ws) {
            None if self.screening.loading() => {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
            None => {}
            Some(LoadOutcome::Ready { vintage, entries }) => {
                self.notice = Some(format!(
                    "Screening with the Consolidated Screening List of {vintage} ({} entries)",
                    crate::format::thousands(entries as u64)
                ));
            }
            Some(LoadOutcome::Failed(e)) => {
                self.files
                    .show_error("Could not import the screening list", e);
            }
        }
    }

    /// Prints the time from `started` to the end of the first drawn frame (to stderr).
    pub fn trace_startup(&mut self, started: std::time::Instant) {
        self.startup_clock = Some(started);
    }

    /// Keeps the recent-files list and autosaves in `dir` (the app data folder; tests pass a
    /// temporary one), and offers to restore an autosave a previous run left there.
    pub fn with_data_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.record.set_data_dir(dir.clone(), &mut self.ws);
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

    /// Opens the app on a team ledger (`--ledger URL`): it connects off the UI thread, and the
    /// Connect dialog shows progress or what is needed (a password).
    pub fn with_ledger(mut self, url: &str) -> Self {
        self.ledger.start(url, &self.ws);
        self
    }

    /// Applies what this frame's file work asks of the shell; whether there was any.
    fn absorb_file_effects(&mut self) -> bool {
        let fx = self.files.take_effects();
        if fx.connect_ledger {
            self.ledger.open_dialog(None);
        }
        let any = fx.replaced || fx.notice.is_some() || fx.period_report || fx.connect_ledger;
        if fx.replaced {
            // Views keep per-session state (selection, caches): start them afresh.
            self.views.reset_all(&self.ws);
        }
        if let Some(n) = fx.notice {
            self.notice = Some(n);
        }
        if let Some(p) = fx.screening_list {
            self.notice = Some(format!("Importing the screening list {}…", p.display()));
            self.screening.start(ListSource::File(p));
        }
        if fx.replaced && !self.ws.history_status().is_verified() {
            // Said at once, not only in the History view: the record may not be trustworthy.
            self.notice = Some(super::history_view::banner_text(&self.ws).1);
        }
        if fx.period_report {
            self.record.report.show();
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
        let view = &mut self.ws.session.view;
        match action {
            AppAction::ShowView(v) => view.view = ViewId::new(v),
            AppAction::SelectCountry(c) => view.map.selected = Some(c),
            AppAction::StartOrderFor(c) => {
                view.view = ViewId::new(super::orders_view::ID);
                self.views
                    .get_mut::<OrdersView>()
                    .start_order_for(&self.ws, c);
            }
            AppAction::OpenOrder(i) => {
                view.view = ViewId::new(super::orders_view::ID);
                self.views.get_mut::<OrdersView>().open_order(&self.ws, i);
            }
            AppAction::ShowAllocationPlot(c) => {
                view.plots.country = Some(c);
                view.plots.kind = PlotId::new(super::plots_view::ALLOCATION_PLOT);
                view.view = ViewId::new(super::plots_view::ID);
            }
            AppAction::EditWhatIfs => self.presenter.what_ifs.open(&self.ws),
        }
    }

    /// Shows the view with registry id `id`.
    pub fn show_view(&mut self, id: &str) {
        self.ws.session.view.view = ViewId::new(id);
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
        if let Some(n) = self.presenter.shortcuts(ui, &mut self.ws) {
            self.notice = Some(n);
        }
        if ui.input_mut(|i| i.consume_shortcut(&REDO)) {
            if self.ws.redo() {
                self.notice = Some("Redone".into());
            }
        } else if ui.input_mut(|i| i.consume_shortcut(&UNDO)) && self.ws.undo() {
            self.notice = Some("Undone".into());
        }
        const DIGITS: [Key; 9] = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
        ];
        for (position, key) in DIGITS.into_iter().enumerate() {
            if let Some(id) = self.views.id_at(position)
                && ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, key))
            {
                self.ws.session.view.view = ViewId::new(id);
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
                    ui.separator();
                    if ui.button("Settings…").clicked() {
                        self.record.settings.show(&self.ws);
                        ui.close();
                    }
                });
                ui.menu_button("Session", |ui| self.files.session_menu(ui));
                ui.menu_button("Rules", |ui| {
                    if ui.button("Rule data and sources…").clicked() {
                        self.rule_data.open = true;
                        ui.close();
                    }
                    if ui.button("Screening list and threshold…").clicked() {
                        self.screening_window.open = true;
                        ui.close();
                    }
                });
                ui.menu_button("Present", |ui| {
                    let dialogs = self.files.dialogs();
                    if let Some(n) = self.presenter.menu(ui, &mut self.ws, &self.views, dialogs) {
                        self.notice = Some(n);
                    }
                });
                ui.separator();
                let current = self.ws.session.view.view.clone();
                let mut chosen = None;
                for v in self.views.entries() {
                    if ui
                        .selectable_label(current.as_str() == v.id, v.label)
                        .clicked()
                    {
                        chosen = Some(v.id);
                    }
                }
                if let Some(id) = chosen {
                    self.show_view(id);
                }
                ui.separator();
                if super::what_if::picker(ui, &mut self.ws).edit {
                    self.presenter.what_ifs.open(&self.ws);
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
                ui.label(egui::RichText::new(self.screening.status()).small());
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
                        super::theme::ERROR,
                        egui::RichText::new("⚠ session made with a different ruleset").small(),
                    )
                    .on_hover_text(format!(
                        "Session ruleset: {} v{} ({})",
                        self.ws.session.ruleset.name,
                        self.ws.session.ruleset.version,
                        self.ws.session.ruleset.sha256
                    ));
                }
                self.ledger.status_ui(ui, &self.ws);
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
        self.absorb_screening(ui);
        // The ledger's commits and colleagues' changes arrive between frames.
        let lx = self.ledger.frame(ui.ctx(), &mut self.ws);
        if lx.replaced {
            self.views.reset_all(&self.ws);
        }
        if let Some(n) = lx.notice {
            self.notice = Some(n);
        }
        self.files.handle_input(ui, &mut self.ws);
        if self.presenter.presenting() {
            // Only the slide: no menus or status bar (file dialogs and autosave still run).
            self.presenter.present_ui(ui, &mut self.ws, &mut self.views);
            self.files.windows(ui, &mut self.ws);
            self.files.autosave_tick(ui, &self.ws);
            return;
        }
        self.shortcuts(ui);
        self.top_bar(ui);
        // The File menu may have replaced the session: views start afresh before drawing it.
        self.absorb_file_effects();
        self.status_bar(ui);
        let mut actions = Vec::new();
        let current = self.ws.session.view.view.clone();
        egui::CentralPanel::default().show(ui, |ui| {
            actions = self.views.by_id_mut(&current).ui(ui, &mut self.ws);
        });
        for a in actions {
            self.apply(a);
        }
        let dialogs = self.files.dialogs();
        if let Some(n) = self
            .presenter
            .windows(ui, &mut self.ws, &mut self.views, dialogs)
        {
            self.notice = Some(n);
        }
        self.files.windows(ui, &mut self.ws);
        let ctx = ui.ctx().clone();
        if let Some(n) = self.record.windows(&ctx, &mut self.ws, &mut self.files) {
            self.notice = Some(n);
        }
        self.rule_data.ui(
            ui.ctx(),
            &self.ws.engine,
            self.screening.current().map(|c| c.index.list()),
        );
        if self.screening_window.open
            && let Some(ScreeningRequest::ImportList) =
                self.screening_window
                    .ui(ui.ctx(), &mut self.ws, &self.screening)
        {
            self.files.screening_list_dialog(&mut self.ws);
        }
        self.ledger.windows(ui.ctx(), &self.ws);
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
