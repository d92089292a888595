//! "Apply for licence…" and "Record BIS decision…": a modal that turns what the officer types into
//! a [`Licence`] record, validated inline (dates, amount, `Licence::check`, numbers already used)
//! and saved through `Workspace::save_licence`, which records it in the audit trail.

use super::theme;
use crate::rules::{Licence, LicenceAmount, LicenceOutcome, Order};
use crate::session::Workspace;
use jiff::civil::Date;

/// Which record the dialog makes.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// A new application for the order.
    Apply { order_id: String },
    /// BIS's decision on an application.
    Decide { before: Licence },
}

/// What happened this frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogOutcome {
    Waiting,
    /// Saved; the text is a notice for the status line.
    Saved(String),
    Cancelled,
}

/// The fields as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct LicenceDialog {
    step: Step,
    pub application: String,
    pub applied: String,
    /// Approve (true) or deny.
    pub approve: bool,
    pub number: String,
    pub decided: String,
    pub amount: String,
    /// The approved amount is in units (true) or TPP.
    pub units: bool,
    pub valid_until: String,
    pub conditions: String,
    pub denial_reason: String,
    /// Why the last save was refused.
    error: Option<String>,
}

/// A field's problem, shown under it.
type FieldErrors = Vec<(&'static str, String)>;

fn parse_date(label: &'static str, text: &str, errors: &mut FieldErrors) -> Option<Date> {
    match text.trim().parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) if text.trim().is_empty() => {
            errors.push((label, "is empty".into()));
            None
        }
        Err(_) => {
            errors.push((
                label,
                format!("`{}` is not a date (YYYY-MM-DD)", text.trim()),
            ));
            None
        }
    }
}

impl LicenceDialog {
    /// A new application for `order`, dated `today`.
    pub fn apply(order: &Order, today: Date) -> Self {
        Self::blank(
            Step::Apply {
                order_id: order.id.clone(),
            },
            today,
        )
    }

    fn blank(step: Step, today: Date) -> Self {
        Self {
            step,
            application: String::new(),
            applied: today.to_string(),
            approve: true,
            number: String::new(),
            decided: String::new(),
            amount: String::new(),
            units: true,
            valid_until: String::new(),
            conditions: String::new(),
            denial_reason: String::new(),
            error: None,
        }
    }

    /// BIS's decision on `licence` (an application, or a decision to correct).
    pub fn decide(licence: &Licence, today: Date, order_quantity: u64) -> Self {
        let mut d = Self::blank(
            Step::Decide {
                before: licence.clone(),
            },
            today,
        );
        d.application = licence.application.clone();
        d.applied = licence.applied.to_string();
        d.decided = today.to_string();
        d.amount = order_quantity.to_string();
        match &licence.outcome {
            LicenceOutcome::Pending => {}
            LicenceOutcome::Approved {
                number,
                decided,
                approved,
                valid_until,
                conditions,
            } => {
                d.number = number.clone();
                d.decided = decided.to_string();
                (d.amount, d.units) = match approved {
                    LicenceAmount::Units(n) => (n.to_string(), true),
                    LicenceAmount::Tpp(t) => (t.to_string(), false),
                };
                d.valid_until = valid_until.to_string();
                d.conditions = conditions.clone();
            }
            LicenceOutcome::Denied { decided, reason } => {
                d.approve = false;
                d.decided = decided.to_string();
                d.denial_reason = reason.clone();
            }
        }
        d
    }

    fn title(&self) -> String {
        match &self.step {
            Step::Apply { order_id } => format!("Apply for a licence for order {order_id}"),
            Step::Decide { before } => {
                format!("BIS decision on application {}", before.application)
            }
        }
    }

    /// The record as typed, or what is wrong with each field.
    pub fn draft(&self, ws: &Workspace) -> Result<Licence, FieldErrors> {
        let mut errors = FieldErrors::new();
        let applied = parse_date("Date applied", &self.applied, &mut errors);
        let (order_id, before) = match &self.step {
            Step::Apply { order_id } => (order_id.clone(), None),
            Step::Decide { before } => (before.order_id.clone(), Some(before)),
        };
        if self.application.trim().is_empty() {
            errors.push(("Application number", "is empty".into()));
        }
        let outcome = match &self.step {
            Step::Apply { .. } => Some(LicenceOutcome::Pending),
            Step::Decide { .. } => self.outcome(&mut errors),
        };
        let taken = |name: &str| {
            ws.session
                .licences
                .iter()
                .filter(|l| Some(&l.application) != before.map(|b| &b.application))
                .any(|l| l.is_named(name))
        };
        if taken(&self.application) {
            errors.push((
                "Application number",
                "is already used by another licence".into(),
            ));
        }
        if self.approve && matches!(self.step, Step::Decide { .. }) && taken(&self.number) {
            errors.push((
                "Licence number",
                "is already used by another licence".into(),
            ));
        }
        let (Some(applied), Some(outcome), true) = (applied, outcome, errors.is_empty()) else {
            return Err(errors);
        };
        let l = Licence {
            application: self.application.trim().to_string(),
            order_id,
            applied,
            outcome,
        };
        // Dates in order, a positive amount: the domain's own check, shown as the form's.
        l.check().map_err(|e| vec![("", e)])?;
        Ok(l)
    }

    fn outcome(&self, errors: &mut FieldErrors) -> Option<LicenceOutcome> {
        let decided = parse_date("Decision date", &self.decided, errors);
        if !self.approve {
            return decided.map(|decided| LicenceOutcome::Denied {
                decided,
                reason: self.denial_reason.trim().to_string(),
            });
        }
        if self.number.trim().is_empty() {
            errors.push(("Licence number", "is empty".into()));
        }
        let digits: String = self
            .amount
            .chars()
            .filter(|c| !matches!(c, ',' | '_' | ' '))
            .collect();
        let amount = match digits.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push((
                    "Approved amount",
                    format!("`{}` is not a whole number", self.amount.trim()),
                ));
                None
            }
        };
        let valid_until = parse_date("Valid until", &self.valid_until, errors);
        let (decided, amount, valid_until) = (decided?, amount?, valid_until?);
        Some(LicenceOutcome::Approved {
            number: self.number.trim().to_string(),
            decided,
            approved: if self.units {
                LicenceAmount::Units(amount)
            } else {
                LicenceAmount::Tpp(amount)
            },
            valid_until,
            conditions: self.conditions.trim().to_string(),
        })
    }

    /// Draws the modal; saves on confirm.
    pub fn show(&mut self, ctx: &egui::Context, ws: &mut Workspace) -> DialogOutcome {
        let mut outcome = DialogOutcome::Waiting;
        let draft = self.draft(ws);
        egui::Modal::new(egui::Id::unique("licence_dialog")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading(self.title());
            ui.add_space(6.0);
            let errors = draft.as_ref().err().cloned().unwrap_or_default();
            egui::Grid::new("licence_fields")
                .num_columns(2)
                .spacing([10.0, 6.0])
                .show(ui, |ui| self.fields(ui, &errors));
            for (field, e) in &errors {
                if field.is_empty() {
                    ui.colored_label(theme::ERROR, e);
                }
            }
            if let Some(e) = &self.error {
                ui.colored_label(theme::ERROR, format!("Not recorded: {e}"));
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let action = match self.step {
                    Step::Apply { .. } => "Record application",
                    Step::Decide { .. } => "Record decision",
                };
                let ok = draft.is_ok();
                let button = egui::Button::new(egui::RichText::new(action).strong());
                if ui.add_enabled(ok, button).clicked()
                    && let Ok(after) = &draft
                {
                    outcome = self.save(ws, after.clone());
                }
                if ui.button("Cancel").clicked() {
                    outcome = DialogOutcome::Cancelled;
                }
            });
        });
        outcome
    }

    fn save(&mut self, ws: &mut Workspace, after: Licence) -> DialogOutcome {
        let before = match &self.step {
            Step::Apply { .. } => None,
            Step::Decide { before } => Some(before.clone()),
        };
        let notice = format!(
            "Recorded: licence {}",
            crate::session::event_text::licence_state(&after)
        );
        match ws.save_licence(before.as_ref(), after) {
            Ok(()) => DialogOutcome::Saved(notice),
            Err(e) => {
                self.error = Some(e);
                DialogOutcome::Waiting
            }
        }
    }

    fn fields(&mut self, ui: &mut egui::Ui, errors: &FieldErrors) {
        let deciding = matches!(self.step, Step::Decide { .. });
        let row = |ui: &mut egui::Ui, label: &'static str, text: &mut String, hint: &str| {
            let l = ui.label(label);
            ui.vertical(|ui| {
                ui.add(
                    egui::TextEdit::singleline(text)
                        .hint_text(hint)
                        .desired_width(220.0),
                )
                .labelled_by(l.id);
                for (_, e) in errors.iter().filter(|(f, _)| *f == label) {
                    ui.label(
                        egui::RichText::new(format!("⚠ {e}"))
                            .small()
                            .color(theme::ERROR),
                    );
                }
            });
            ui.end_row();
        };
        if !deciding {
            row(
                ui,
                "Application number",
                &mut self.application,
                "e.g. Z1234567",
            );
            row(ui, "Date applied", &mut self.applied, "YYYY-MM-DD");
            return;
        }
        ui.label("BIS decided");
        ui.horizontal(|ui| {
            ui.radio_value(&mut self.approve, true, "Approve");
            ui.radio_value(&mut self.approve, false, "Deny");
        });
        ui.end_row();
        row(ui, "Decision date", &mut self.decided, "YYYY-MM-DD");
        if self.approve {
            row(ui, "Licence number", &mut self.number, "e.g. D123456");
            row(ui, "Approved amount", &mut self.amount, "a whole number");
            ui.label("Counted in");
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.units, true, "units");
                ui.radio_value(&mut self.units, false, "TPP");
            });
            ui.end_row();
            row(ui, "Valid until", &mut self.valid_until, "YYYY-MM-DD");
            let l = ui.label("Conditions");
            ui.add(
                egui::TextEdit::multiline(&mut self.conditions)
                    .hint_text("as written on the licence, if any")
                    .desired_rows(2)
                    .desired_width(220.0),
            )
            .labelled_by(l.id);
            ui.end_row();
        } else {
            let l = ui.label("Denial reason");
            ui.add(
                egui::TextEdit::multiline(&mut self.denial_reason)
                    .hint_text("as BIS gave it")
                    .desired_rows(2)
                    .desired_width(220.0),
            )
            .labelled_by(l.id);
            ui.end_row();
        }
    }
}
