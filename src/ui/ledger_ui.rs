//! The team ledger in the app: *File ▸ Connect to team ledger…* (URL and a password that is
//! used for the connection and never saved), the connection's state in the status bar, and the
//! notices the workspace raises (a colleague's back-dated order changed one of your decisions, a
//! refused edit). Connecting happens off the UI thread; the workspace changes only once the
//! ledger is open. No SQL here: the store layer does that.

use super::theme;
use crate::session::Workspace;
use crate::session::store::StoreStatus;
use crate::store::{Env, PgStore, Target};
use std::sync::Arc;

/// How many notices the window keeps.
const KEEP: usize = 50;

#[derive(Default)]
pub struct LedgerUi {
    dialog: Option<ConnectDialog>,
    notices: Vec<String>,
    pub notices_open: bool,
    /// Whether the workspace's ledger store can wake the UI (set once per store).
    waker_installed: bool,
}

#[derive(Default)]
struct ConnectDialog {
    url: String,
    /// Held only while the dialog is open; cleared once used.
    password: String,
    error: Option<String>,
    note: Option<String>,
    pending: Option<PgStore>,
    waker_set: bool,
}

/// What this frame's ledger work asks of the shell.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LedgerEffects {
    /// The workspace now shows a ledger: views start afresh.
    pub replaced: bool,
    /// The latest notice, for the status bar.
    pub notice: Option<String>,
}

impl LedgerUi {
    /// Opens the Connect dialog, with `url` filled in when given.
    pub fn open_dialog(&mut self, url: Option<&str>) {
        let d = self.dialog.get_or_insert_with(ConnectDialog::default);
        if let Some(u) = url {
            d.url = u.to_string();
        }
    }

    /// Starts connecting to `url` (the `--ledger` option): the dialog shows progress, and errors
    /// such as a missing password, where the user can answer them.
    pub fn start(&mut self, url: &str, ws: &Workspace) {
        self.open_dialog(Some(url));
        self.connect(ws);
    }

    pub fn dialog_open(&self) -> bool {
        self.dialog.is_some()
    }

    pub fn connecting(&self) -> bool {
        self.dialog.as_ref().is_some_and(|d| d.pending.is_some())
    }

    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    fn connect(&mut self, ws: &Workspace) {
        let Some(d) = self.dialog.as_mut() else {
            return;
        };
        d.error = None;
        d.note = None;
        let typed = std::mem::take(&mut d.password);
        match Target::resolve(&d.url, Some(typed), &Env::system()) {
            Ok(target) => {
                if !target.warnings.is_empty() {
                    d.note = Some(target.warnings.join("\n"));
                }
                d.pending = Some(PgStore::connect_standard(target, Arc::clone(&ws.engine)));
                d.waker_set = false;
            }
            Err(e) => d.error = Some(e.to_string()),
        }
    }

    /// Every frame, before the panels: the pending connection, the ledger's messages, notices.
    pub fn frame(&mut self, ctx: &egui::Context, ws: &mut Workspace) -> LedgerEffects {
        let mut fx = LedgerEffects::default();
        if self.finish_connecting(ctx, ws) {
            fx.replaced = true;
        }
        if !ws.store().saves_explicitly() && !self.waker_installed {
            let c = ctx.clone();
            ws.store_mut()
                .set_waker(Arc::new(move || c.request_repaint()));
            self.waker_installed = true;
        } else if ws.store().saves_explicitly() {
            self.waker_installed = false;
        }
        ws.poll_store();
        let new = ws.take_notices();
        if let Some(last) = new.last() {
            fx.notice = Some(last.clone());
            self.notices_open = true;
        }
        self.notices.extend(new);
        if self.notices.len() > KEEP {
            self.notices.drain(..self.notices.len() - KEEP);
        }
        fx
    }

    /// Installs the ledger once it is open; true when it was.
    fn finish_connecting(&mut self, ctx: &egui::Context, ws: &mut Workspace) -> bool {
        let Some(d) = self.dialog.as_mut() else {
            return false;
        };
        let Some(store) = d.pending.as_mut() else {
            return false;
        };
        if !d.waker_set {
            let c = ctx.clone();
            crate::session::store::Store::set_waker(store, Arc::new(move || c.request_repaint()));
            d.waker_set = true;
        }
        match store.take_opened() {
            None => false,
            Some(Err(e)) => {
                d.pending = None;
                d.error = Some(e.to_string());
                false
            }
            Some(Ok(opened)) => {
                let store = d.pending.take().expect("checked above");
                store.install(opened, ws);
                self.dialog = None;
                self.waker_installed = true;
                true
            }
        }
    }

    /// The dialog and the notices window. Call after the panels.
    pub fn windows(&mut self, ctx: &egui::Context, ws: &Workspace) {
        self.dialog_window(ctx, ws);
        self.notices_window(ctx);
    }

    fn dialog_window(&mut self, ctx: &egui::Context, ws: &Workspace) {
        let Some(d) = self.dialog.as_mut() else {
            return;
        };
        let mut open = true;
        let mut connect = false;
        let mut cancel = false;
        egui::Window::new("Connect to team ledger")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(460.0)
            .show(ctx, |ui| {
                ui.label(
                    "A team ledger keeps every officer's orders in one PostgreSQL database, so \
                     caps count everyone's orders and changes show on every desk.",
                );
                ui.add_space(6.0);
                let busy = d.pending.is_some();
                ui.add_enabled_ui(!busy, |ui| {
                    let l = ui.label("Ledger URL");
                    ui.add(
                        egui::TextEdit::singleline(&mut d.url)
                            .hint_text("postgres://alice@db.example.org/desk?sslmode=verify-full")
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(l.id);
                    let l = ui.label("Password");
                    ui.add(
                        egui::TextEdit::singleline(&mut d.password)
                            .password(true)
                            .hint_text("leave empty to use PGPASSWORD or ~/.pgpass")
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(l.id);
                });
                ui.label(
                    egui::RichText::new(
                        "The password is used for this connection only: it is never saved.",
                    )
                    .small(),
                );
                if ws.dirty {
                    ui.colored_label(
                        theme::ERROR,
                        "The open session has unsaved changes: save it first (File ▸ Save).",
                    );
                }
                if let Some(n) = &d.note {
                    ui.colored_label(theme::TIER2_AMBER, n);
                }
                if let Some(e) = &d.error {
                    ui.colored_label(theme::ERROR, e);
                }
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if busy {
                        ui.spinner();
                        ui.label("Connecting and loading the ledger…");
                    } else {
                        let ready = !d.url.trim().is_empty() && !ws.dirty;
                        connect = ui
                            .add_enabled(ready, egui::Button::new("Connect"))
                            .clicked();
                    }
                    cancel = ui.button("Cancel").clicked();
                });
            });
        if !open || cancel {
            self.dialog = None;
        } else if connect {
            self.connect(ws);
        }
    }

    fn notices_window(&mut self, ctx: &egui::Context) {
        if !self.notices_open || self.notices.is_empty() {
            return;
        }
        let mut open = true;
        let mut clear = false;
        egui::Window::new("Notices")
            .open(&mut open)
            .default_width(420.0)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(240.0)
                    .show(ui, |ui| {
                        for n in self.notices.iter().rev() {
                            ui.label(n);
                            ui.separator();
                        }
                    });
                clear = ui.button("Dismiss all").clicked();
            });
        if clear {
            self.notices.clear();
        }
        if !open || clear {
            self.notices_open = false;
        }
    }

    /// The ledger's part of the status bar (nothing for a session file).
    pub fn status_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let text = match ws.store_status() {
            StoreStatus::Local => return,
            StoreStatus::Connected => {
                egui::RichText::new(format!("● {} · connected", ws.store().describe()))
                    .small()
                    .color(theme::GREEN)
            }
            StoreStatus::Reconnecting { pending, error } => {
                let edits = match pending {
                    0 => "no unsent edits".to_string(),
                    1 => "1 unsent edit kept".to_string(),
                    n => format!("{n} unsent edits kept"),
                };
                ui.separator();
                ui.colored_label(
                    theme::ERROR,
                    egui::RichText::new(format!(
                        "⚠ team ledger unreachable, reconnecting — {edits}"
                    ))
                    .small(),
                )
                .on_hover_text(format!(
                    "{error}\n\nUnsent edits are also kept on disk: if the app closes before \
                     the ledger is back, they are sent the next time you connect to it."
                ));
                return;
            }
        };
        ui.separator();
        ui.label(text);
        if !self.notices.is_empty() && !self.notices_open {
            let n = self.notices.len();
            if ui
                .small_button(format!("{n} notice{}", if n == 1 { "" } else { "s" }))
                .clicked()
            {
                self.notices_open = true;
            }
        }
    }
}
