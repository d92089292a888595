//! The order's licence: the application made for it and the licence it names, each with its
//! standing and what is left; "Apply for licence…" on an order that needs one, "Record BIS
//! decision…" on a pending application.

use super::Pending;
use crate::rules::{LicenceOutcome, Verdict};
use crate::session::Workspace;
use crate::session::event_text::licence_state;
use crate::session::licence_book::{self, LicenceUse, Standing};
use crate::ui::licence_dialog::LicenceDialog;
use crate::ui::theme;
use egui::RichText;
use jiff::civil::Date;

pub fn standing_color(s: Standing) -> egui::Color32 {
    match s {
        Standing::Applied => theme::TIER2_AMBER,
        Standing::Drawing => theme::GREEN,
        Standing::UsedUp | Standing::Expired => theme::GREY,
        Standing::Denied => theme::TIER3_VERMILION,
    }
}

/// `uses` is every licence's standing (cached by the record, as it reads the whole book).
pub(super) fn ui(
    ui: &mut egui::Ui,
    ws: &Workspace,
    index: usize,
    today: Date,
    uses: &[LicenceUse],
) -> Option<Pending> {
    let order = ws.orders().get(index)?;
    let decision = ws.decisions().get(index)?;
    let mine = licence_book::licences_of(&ws.session.licences, order);
    let needs = matches!(
        decision.verdict,
        Verdict::LicenseRequired | Verdict::PresumptionOfDenial
    );
    let applied = ws.session.licences.iter().any(|l| l.order_id == order.id);
    if mine.is_empty() && !needs {
        return None;
    }
    let mut pending = None;
    egui::CollapsingHeader::new("Licence")
        .id_salt("order_licence")
        .default_open(true)
        .show(ui, |ui| {
            for &i in &mine {
                let (l, u) = (&ws.session.licences[i], &uses[i]);
                ui.push_id(("licence", i), |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(l.reference()).strong());
                        ui.colored_label(standing_color(u.standing), u.standing.label());
                        if l.order_id != order.id {
                            ui.label(RichText::new(format!("(applied for {})", l.order_id)).weak());
                        }
                    });
                    ui.label(RichText::new(licence_state(l)).small());
                    if u.limit.is_some() {
                        ui.label(RichText::new(u.left_text()).small());
                    }
                    if l.outcome == LicenceOutcome::Pending
                        && ui
                            .button("Record BIS decision…")
                            .on_hover_text("Approval (number, amount, validity) or denial")
                            .clicked()
                    {
                        pending = Some(Pending::Licence(LicenceDialog::decide(
                            l,
                            today,
                            order.quantity,
                        )));
                    }
                });
            }
            if needs && !applied {
                if mine.is_empty() {
                    ui.label(
                        RichText::new("This order needs a licence: none is recorded for it.")
                            .small(),
                    );
                }
                if ui
                    .button("Apply for licence…")
                    .on_hover_text("Record the application (number and date) for this order")
                    .clicked()
                {
                    pending = Some(Pending::Licence(LicenceDialog::apply(order, today)));
                }
            }
        });
    pending
}
