//! The Licences view: every licence of the session with its standing (applied, approved and
//! drawing, used up, expired, denied), what it has authorized and what is left (from the engine's
//! draws), the order it was applied for and the orders that shipped under it, each a link to the
//! order. A pending application's BIS decision can be recorded here too.

use super::AppAction;
use super::licence_dialog::{DialogOutcome, LicenceDialog};
use super::order_record::licences::standing_color;
use super::theme;
use crate::rules::LicenceOutcome;
use crate::session::Workspace;
use crate::session::event_text::licence_state;
use crate::session::licence_book::{self, LicenceUse, Standing};
use egui::RichText;
use jiff::civil::Date;

/// The view's id in the view registry.
pub const ID: &str = "licences";

impl super::view::View for LicencesView {
    fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction> {
        LicencesView::ui(self, ui, ws)
    }

    fn reset(&mut self, _ws: &Workspace) {
        self.cache = None;
        self.dialog = None;
        self.notice = None;
    }

    crate::view_any!();
}

pub struct LicencesView {
    /// The day expiry is judged on (today; tests pin it).
    pub as_of: Date,
    /// (revision, as_of) → the licences' standing.
    cache: Option<((u64, Date), Vec<LicenceUse>)>,
    dialog: Option<LicenceDialog>,
    notice: Option<String>,
}

fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

impl LicencesView {
    pub fn new(_ws: &Workspace) -> Self {
        Self::as_of(today())
    }

    /// A view judging expiry on `as_of`.
    pub fn as_of(as_of: Date) -> Self {
        Self {
            as_of,
            cache: None,
            dialog: None,
            notice: None,
        }
    }

    /// The licences' standing, recomputed only when the book changes.
    pub fn uses(&mut self, ws: &Workspace) -> &[LicenceUse] {
        let key = (ws.revision(), self.as_of);
        if self.cache.as_ref().is_none_or(|(k, _)| *k != key) {
            let uses = licence_book::licence_uses(
                &ws.session.licences,
                ws.orders(),
                ws.decisions(),
                self.as_of,
            );
            self.cache = Some((key, uses));
        }
        self.cache.as_ref().map_or(&[], |(_, u)| u.as_slice())
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction> {
        let mut actions = Vec::new();
        ui.heading("Licences");
        let uses = self.uses(ws).to_vec();
        ui.label(summary(&uses, self.as_of));
        if let Some(n) = &self.notice {
            ui.colored_label(theme::GREEN, n);
        }
        if uses.is_empty() {
            ui.add_space(8.0);
            ui.label(
                "No licence recorded yet. Select an order that needs one in the Orders view and \
                 use “Apply for licence…”.",
            );
        }
        ui.add_space(4.0);
        egui::ScrollArea::vertical()
            .id_salt("licences_scroll")
            .show(ui, |ui| {
                for u in &uses {
                    ui.push_id(("licence_card", u.index), |ui| {
                        self.card(ui, ws, u, &mut actions);
                    });
                }
            });
        self.dialog_ui(ui.ctx(), ws);
        actions
    }

    fn card(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        u: &LicenceUse,
        actions: &mut Vec<AppAction>,
    ) {
        let l = &ws.session.licences[u.index];
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(l.reference()).strong().size(16.0));
                ui.colored_label(standing_color(u.standing), u.standing.label());
                if l.reference() != l.application {
                    ui.label(RichText::new(format!("application {}", l.application)).weak());
                }
            });
            ui.label(licence_state(l));
            if let LicenceOutcome::Approved { conditions, .. } = &l.outcome
                && !conditions.is_empty()
            {
                ui.label(RichText::new(format!("Conditions: {conditions}")).small());
            }
            if u.limit.is_some() {
                let mut line = format!("{} used · {}", u.amount_text(u.used), u.left_text());
                let dest = u
                    .applying_order
                    .and_then(|i| ws.orders().get(i))
                    .map(|o| ws.engine.countries().name(o.destination));
                if let (true, Some(dest)) = (u.allocation_tpp > 0, dest) {
                    line.push_str(&format!(
                        " · its approval draws {} TPP of {} allocation",
                        crate::format::tpp(u.allocation_tpp),
                        crate::rules::finding::possessive(dest)
                    ));
                }
                ui.label(line);
            }
            links(ui, ws, "Applied for", u.applying_order.into_iter(), actions);
            links(
                ui,
                ws,
                "Shipped under it",
                u.shipments.iter().copied(),
                actions,
            );
            links(
                ui,
                ws,
                "Not authorized by it",
                u.not_authorized.iter().copied(),
                actions,
            );
            if l.outcome == LicenceOutcome::Pending && ui.button("Record BIS decision…").clicked()
            {
                let qty = u
                    .applying_order
                    .and_then(|i| ws.orders().get(i))
                    .map_or(0, |o| o.quantity);
                self.dialog = Some(LicenceDialog::decide(l, self.as_of, qty));
            }
        });
    }

    fn dialog_ui(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some(d) = &mut self.dialog else { return };
        match d.show(ctx, ws) {
            DialogOutcome::Waiting => {}
            DialogOutcome::Cancelled => self.dialog = None,
            DialogOutcome::Saved(n) => {
                self.dialog = None;
                self.notice = Some(n);
            }
        }
    }
}

/// "Applied for Q3-004" with a link per order (Open Q3-004).
fn links(
    ui: &mut egui::Ui,
    ws: &Workspace,
    label: &str,
    orders: impl Iterator<Item = usize>,
    actions: &mut Vec<AppAction>,
) {
    let orders: Vec<usize> = orders.collect();
    if orders.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(label).weak());
        for i in orders {
            let Some(o) = ws.orders().get(i) else {
                continue;
            };
            let d = &ws.decisions()[i];
            if ui
                .link(&o.id)
                .on_hover_text(format!(
                    "{} · {} · {} — open the order",
                    o.date,
                    o.consignee,
                    d.verdict.label()
                ))
                .clicked()
            {
                actions.push(AppAction::OpenOrder(i));
            }
        }
    });
}

/// "5 licences on 2025-09-30: 1 applied, 1 approved and drawing, …".
fn summary(uses: &[LicenceUse], as_of: Date) -> String {
    let parts: Vec<String> = Standing::ALL
        .into_iter()
        .filter_map(|s| {
            let n = uses.iter().filter(|u| u.standing == s).count();
            (n > 0).then(|| format!("{n} {}", s.label()))
        })
        .collect();
    let mut s = format!(
        "{} as of {as_of}",
        crate::format::count(uses.len(), "licence")
    );
    if !parts.is_empty() {
        s.push_str(": ");
        s.push_str(&parts.join(", "));
    }
    s
}
