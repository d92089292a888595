//! The "why?" dialog: acts the compliance record must explain (voiding an order, clearing or
//! confirming a hold, an override) ask for a reason before they happen.

use super::theme;

/// What the user did with the dialog this frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReasonOutcome {
    /// Still open.
    Waiting,
    Confirmed(String),
    Cancelled,
}

/// A modal asking for a reason. The confirm button stays disabled until one is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonPrompt {
    pub title: String,
    /// What will happen, in a sentence.
    pub explanation: String,
    /// The confirm button's text, e.g. "Void order".
    pub action: String,
    pub reason: String,
    /// Why the last attempt was refused (shown under the field).
    pub error: Option<String>,
    focused: bool,
}

impl ReasonPrompt {
    pub fn new(
        title: impl Into<String>,
        explanation: impl Into<String>,
        action: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            explanation: explanation.into(),
            action: action.into(),
            reason: String::new(),
            error: None,
            focused: false,
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, id: &str) -> ReasonOutcome {
        let mut outcome = ReasonOutcome::Waiting;
        egui::Modal::new(egui::Id::unique(("reason_prompt", id))).show(ctx, |ui| {
            ui.set_max_width(480.0);
            ui.heading(&self.title);
            ui.add_space(4.0);
            ui.label(&self.explanation);
            ui.add_space(6.0);
            let l = ui.label("Reason");
            let field = ui
                .add(
                    egui::TextEdit::multiline(&mut self.reason)
                        .hint_text("required: recorded in the audit trail")
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            if !self.focused {
                field.request_focus();
                self.focused = true;
            }
            if let Some(e) = &self.error {
                ui.colored_label(theme::ERROR, e);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let ok = !self.reason.trim().is_empty();
                if ui
                    .add_enabled(
                        ok,
                        egui::Button::new(egui::RichText::new(&self.action).strong()),
                    )
                    .clicked()
                {
                    outcome = ReasonOutcome::Confirmed(self.reason.trim().to_string());
                }
                if ui.button("Cancel").clicked() {
                    outcome = ReasonOutcome::Cancelled;
                }
            });
        });
        outcome
    }
}
