//! The selected order's compliance record, under its decision in the orders view: its
//! restricted-party matches (clear, confirm or reopen, each with a reason), its licence (apply,
//! record BIS's decision, what it draws), its overrides (request, approve by a second person) and
//! its timeline from the audit trail.
//!
//! Drawing only opens dialogs; the acts happen in [`OrderRecord::modals`], through the
//! workspace's methods, which refuse what the domain refuses (a missing reason, four eyes) and
//! whose messages are shown as they are.

mod holds;
pub(crate) mod licences;
mod overrides;

use super::licence_dialog::{DialogOutcome, LicenceDialog};
use super::reason_prompt::{ReasonOutcome, ReasonPrompt};
use super::theme;
use crate::session::Workspace;
use crate::session::licence_book::{self, LicenceUse};
use crate::session::timeline::{self, EntryKind, TimelineEntry};
use jiff::civil::Date;
use overrides::OverrideForm;

/// What a reason prompt about a match will do once confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HitAct {
    Clear,
    Confirm,
    Reopen,
}

/// A prompt waiting for a reason, and what it is for.
enum Pending {
    Hit {
        order_id: String,
        hit: usize,
        act: HitAct,
        prompt: ReasonPrompt,
    },
    Approve {
        /// Index into the session's overrides.
        index: usize,
        prompt: ReasonPrompt,
    },
    Licence(LicenceDialog),
    Override {
        order_id: String,
        form: OverrideForm,
    },
}

pub struct OrderRecord {
    pending: Option<Pending>,
    /// The last act's outcome or refusal, shown at the top of the record.
    message: Option<(bool, String)>,
    /// The day new licence records start with (tests pin it).
    pub today: Date,
    /// (revision, order id) → the order's timeline.
    timeline: Option<((u64, String), Vec<TimelineEntry>)>,
    /// (revision, today) → every licence's standing.
    uses: Option<((u64, Date), Vec<LicenceUse>)>,
}

impl OrderRecord {
    pub fn new(today: Date) -> Self {
        Self {
            pending: None,
            message: None,
            today,
            timeline: None,
            uses: None,
        }
    }

    /// Whether a dialog of the record is open (the view then keeps its keys to itself).
    pub fn is_open(&self) -> bool {
        self.pending.is_some()
    }

    /// Draws the record of the order at `index`: matches, licence and overrides on the left,
    /// the timeline on the right.
    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, index: usize) {
        let Some(order) = ws.orders().get(index) else {
            return;
        };
        let id = order.id.clone();
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(format!("Compliance record of {id}")).strong());
            if let Some((ok, m)) = &self.message {
                let color = if *ok { theme::GREEN } else { theme::ERROR };
                ui.colored_label(color, m);
            }
        });
        ui.columns(2, |cols| {
            egui::ScrollArea::vertical()
                .id_salt("record_acts")
                .auto_shrink([false, false])
                .show(&mut cols[0], |ui| {
                    if let Some(p) = holds::ui(ui, ws, index) {
                        self.pending = Some(p);
                    }
                    let key = (ws.revision(), self.today);
                    if self.uses.as_ref().is_none_or(|(k, _)| *k != key) {
                        let u = licence_book::licence_uses(
                            &ws.session.licences,
                            ws.orders(),
                            ws.decisions(),
                            self.today,
                        );
                        self.uses = Some((key, u));
                    }
                    let uses = self.uses.as_ref().map_or(&[][..], |(_, u)| u.as_slice());
                    if let Some(p) = licences::ui(ui, ws, index, self.today, uses) {
                        self.pending = Some(p);
                    }
                    if let Some(p) = overrides::ui(ui, ws, index) {
                        self.pending = Some(p);
                    }
                });
            egui::ScrollArea::vertical()
                .id_salt("record_timeline")
                .auto_shrink([false, false])
                .show(&mut cols[1], |ui| self.timeline_ui(ui, ws, &id));
        });
    }

    fn timeline_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, id: &str) {
        let key = (ws.revision(), id.to_string());
        if self.timeline.as_ref().is_none_or(|(k, _)| *k != key) {
            let t = timeline::order_timeline(&ws.session.history, id);
            self.timeline = Some((key, t));
        }
        let entries = self
            .timeline
            .as_ref()
            .map_or(&[][..], |(_, t)| t.as_slice());
        egui::CollapsingHeader::new(format!("Timeline ({})", entries.len()))
            .id_salt("order_timeline")
            .default_open(true)
            .show(ui, |ui| entries_ui(ui, entries));
    }

    /// Reason prompts and dialogs; call after the panels.
    pub fn modals(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some(pending) = &mut self.pending else {
            return;
        };
        let done = match pending {
            Pending::Hit {
                order_id,
                hit,
                act,
                prompt,
            } => match prompt.show(ctx, "hit_reason") {
                ReasonOutcome::Waiting => None,
                ReasonOutcome::Cancelled => Some(None),
                ReasonOutcome::Confirmed(reason) => {
                    let r = decide_hit(ws, order_id, *hit, *act, &reason);
                    finish(prompt, r)
                }
            },
            Pending::Approve { index, prompt } => match prompt.show(ctx, "approve_override") {
                ReasonOutcome::Waiting => None,
                ReasonOutcome::Cancelled => Some(None),
                ReasonOutcome::Confirmed(reason) => {
                    let r = ws
                        .approve_override(*index, &reason)
                        .map(|()| "Override approved".to_string());
                    finish(prompt, r)
                }
            },
            Pending::Licence(dialog) => match dialog.show(ctx, ws) {
                DialogOutcome::Waiting => None,
                DialogOutcome::Cancelled => Some(None),
                DialogOutcome::Saved(notice) => Some(Some(notice)),
            },
            Pending::Override { order_id, form } => form.show(ctx, ws, order_id),
        };
        if let Some(notice) = done {
            self.pending = None;
            self.message = notice.map(|n| (true, n));
        }
    }
}

/// A confirmed prompt: closes with the notice, or stays open showing why it was refused.
fn finish(prompt: &mut ReasonPrompt, r: Result<String, String>) -> Option<Option<String>> {
    match r {
        Ok(notice) => Some(Some(notice)),
        Err(e) => {
            prompt.error = Some(e);
            None
        }
    }
}

fn decide_hit(
    ws: &mut Workspace,
    order_id: &str,
    hit: usize,
    act: HitAct,
    reason: &str,
) -> Result<String, String> {
    use crate::session::Resolution;
    let i = ws
        .orders()
        .iter()
        .position(|o| o.id == order_id)
        .ok_or_else(|| format!("order {order_id} is no longer in the book"))?;
    match act {
        HitAct::Clear => ws.decide_hit(i, hit, Resolution::Cleared, reason)?,
        HitAct::Confirm => ws.decide_hit(i, hit, Resolution::Confirmed, reason)?,
        HitAct::Reopen => ws.reopen_hit(i, hit, reason)?,
    }
    let what = match act {
        HitAct::Clear => "cleared",
        HitAct::Confirm => "confirmed",
        HitAct::Reopen => "reopened",
    };
    Ok(format!("Match {what}; recorded with your reason"))
}

/// Timeline entries, oldest first: date, then what happened (decision changes in amber).
pub fn entries_ui(ui: &mut egui::Ui, entries: &[TimelineEntry]) {
    if entries.is_empty() {
        ui.label(egui::RichText::new("No events recorded for this order.").weak());
        return;
    }
    egui::Grid::new("timeline_grid")
        .num_columns(2)
        .spacing([8.0, 3.0])
        .show(ui, |ui| {
            for e in entries {
                ui.label(
                    egui::RichText::new(crate::session::event_text::day(&e.at))
                        .small()
                        .weak(),
                );
                let text = egui::RichText::new(&e.text);
                let text = match e.kind {
                    EntryKind::Effect => text.color(theme::TIER2_AMBER),
                    EntryKind::Licence | EntryKind::Own => text,
                };
                ui.add(egui::Label::new(text).wrap());
                ui.end_row();
            }
        });
}
