//! Overrides of the order: "Request override…" (a stricter verdict and a reason) and, for a
//! pending request, "Approve…" by another person (the domain enforces the four eyes; its refusal
//! is shown as it is).

use super::Pending;
use crate::rules::OverrideVerdict;
use crate::session::Workspace;
use crate::session::event_text::time;
use crate::ui::reason_prompt::ReasonPrompt;
use crate::ui::theme;
use egui::RichText;

pub(super) fn ui(ui: &mut egui::Ui, ws: &Workspace, index: usize) -> Option<Pending> {
    let order = ws.orders().get(index)?;
    let mut pending = None;
    let mine: Vec<(usize, &crate::rules::DecisionOverride)> = ws
        .session
        .overrides
        .iter()
        .enumerate()
        .filter(|(_, o)| o.order_id == order.id)
        .collect();
    egui::CollapsingHeader::new(format!("Overrides ({})", mine.len()))
        .id_salt("order_overrides")
        .default_open(!mine.is_empty())
        .show(ui, |ui| {
            for (k, o) in mine {
                ui.push_id(("override", k), |ui| {
                    ui.label(
                        RichText::new(format!(
                            "To {}: requested by {} on {}",
                            o.verdict.label(),
                            o.requested_by,
                            time(&o.requested_at)
                        ))
                        .strong(),
                    );
                    ui.label(RichText::new(&o.reason).small());
                    match &o.approved {
                        Some(a) => {
                            ui.colored_label(
                                theme::GREEN,
                                format!("Approved by {} on {}", a.by, time(&a.at)),
                            );
                        }
                        None => {
                            ui.horizontal_wrapped(|ui| {
                                ui.colored_label(
                                    theme::TIER2_AMBER,
                                    "Waiting for a second person: no effect yet",
                                );
                                if ui.button("Approve…").clicked() {
                                    pending = Some(approve(k, o.verdict, &o.requested_by));
                                }
                            });
                        }
                    }
                });
            }
            if ui
                .button("Request override…")
                .on_hover_text("A stricter verdict than the rules give, with a reason")
                .clicked()
            {
                pending = Some(Pending::Override {
                    order_id: order.id.clone(),
                    form: OverrideForm::default(),
                });
            }
        });
    pending
}

fn approve(index: usize, verdict: OverrideVerdict, requested_by: &str) -> Pending {
    Pending::Approve {
        index,
        prompt: ReasonPrompt::new(
            format!("Approve the override to {}", verdict.label()),
            format!(
                "Requested by {requested_by}. Once approved by a second person the order's \
                 verdict becomes {}. Recorded with your reason.",
                verdict.label()
            ),
            "Approve override",
        ),
    }
}

/// The request form: which stricter verdict, and why.
pub struct OverrideForm {
    verdict: OverrideVerdict,
    reason: String,
    error: Option<String>,
}

impl Default for OverrideForm {
    fn default() -> Self {
        Self {
            verdict: OverrideVerdict::LicenseRequired,
            reason: String::new(),
            error: None,
        }
    }
}

impl OverrideForm {
    /// Draws the modal. `Some(notice)` closes it (None: cancelled); `None` keeps it open.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        ws: &mut Workspace,
        order_id: &str,
    ) -> Option<Option<String>> {
        let mut done = None;
        egui::Modal::new(egui::Id::unique("override_form")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading(format!("Request an override of {order_id}"));
            ui.label(
                "An override only makes a decision stricter. It takes effect once another \
                 person approves it.",
            );
            ui.add_space(6.0);
            ui.label("Verdict");
            for v in [
                OverrideVerdict::LicenseRequired,
                OverrideVerdict::PresumptionOfDenial,
            ] {
                ui.radio_value(&mut self.verdict, v, v.label());
            }
            let l = ui.label("Reason");
            ui.add(
                egui::TextEdit::multiline(&mut self.reason)
                    .hint_text("required: recorded in the audit trail")
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
            if let Some(e) = &self.error {
                ui.colored_label(theme::ERROR, e);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let ok = !self.reason.trim().is_empty();
                let button = egui::Button::new(RichText::new("Request override").strong());
                if ui.add_enabled(ok, button).clicked() {
                    done = self.submit(ws, order_id);
                }
                if ui.button("Cancel").clicked() {
                    done = Some(None);
                }
            });
        });
        done
    }

    fn submit(&mut self, ws: &mut Workspace, order_id: &str) -> Option<Option<String>> {
        let Some(i) = ws.orders().iter().position(|o| o.id == order_id) else {
            self.error = Some(format!("order {order_id} is no longer in the book"));
            return None;
        };
        match ws.request_override(i, self.verdict, &self.reason) {
            Ok(()) => Some(Some(format!(
                "Override to {} requested; another person must approve it",
                self.verdict.label()
            ))),
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }
}
