//! The order's restricted-party matches: list, entry, score and why, with Clear…/Confirm… for open
//! ones and who decided (and why) with Reopen… for decided ones.

use super::{HitAct, Pending};
use crate::rules::HitState;
use crate::session::Workspace;
use crate::ui::reason_prompt::ReasonPrompt;
use crate::ui::theme;
use egui::RichText;

pub(super) fn ui(ui: &mut egui::Ui, ws: &Workspace, index: usize) -> Option<Pending> {
    let s = ws.screening(index)?;
    let order = ws.orders().get(index)?;
    let mut pending = None;
    let title = if s.hits.is_empty() {
        format!("Screening: clear (list of {})", s.list_vintage)
    } else {
        format!("Screening matches ({})", s.hits.len())
    };
    egui::CollapsingHeader::new(title)
        .id_salt("order_matches")
        .default_open(!s.hits.is_empty())
        .show(ui, |ui| {
            for (k, h) in s.hits.iter().enumerate() {
                ui.push_id(("hit", k), |ui| {
                    ui.group(|ui| {
                        ui.set_width(ui.available_width());
                        ui.label(
                            RichText::new(format!(
                                "{} ({}) — {} “{}”",
                                h.party,
                                h.role.as_str(),
                                h.list.short,
                                h.entry_name
                            ))
                            .strong(),
                        );
                        ui.label(
                            RichText::new(format!("score {:.2} · {}", h.score, h.why)).small(),
                        );
                        ui.label(RichText::new(&h.list.authority).small().weak());
                        if let Some(p) = state_ui(ui, &order.id, k, &h.state, &h.entry_name) {
                            pending = Some(p);
                        }
                    });
                });
            }
        });
    pending
}

fn prompt(order_id: &str, hit: usize, act: HitAct, entry: &str) -> Pending {
    let (title, explanation, action) = match act {
        HitAct::Clear => (
            format!("Clear the match with “{entry}”"),
            "Clearing says the party is not the listed entry. The decision applies to every \
             order naming the party and is recorded with your reason.",
            "Clear match",
        ),
        HitAct::Confirm => (
            format!("Confirm the match with “{entry}”"),
            "Confirming says the party is the listed entry: the list's policy then decides the \
             order. Recorded with your reason.",
            "Confirm match",
        ),
        HitAct::Reopen => (
            format!("Reopen the match with “{entry}”"),
            "The decision no longer applies and the order waits on the match again. Recorded \
             with your reason.",
            "Reopen match",
        ),
    };
    Pending::Hit {
        order_id: order_id.to_string(),
        hit,
        act,
        prompt: ReasonPrompt::new(title, explanation, action),
    }
}

fn state_ui(
    ui: &mut egui::Ui,
    order_id: &str,
    k: usize,
    state: &HitState,
    entry: &str,
) -> Option<Pending> {
    let mut pending = None;
    ui.horizontal_wrapped(|ui| match state {
        HitState::Open => {
            ui.colored_label(theme::HOLD, "Open: the order waits for a person");
            if ui
                .button("Clear…")
                .on_hover_text("Not the listed entry (asks why)")
                .clicked()
            {
                pending = Some(prompt(order_id, k, HitAct::Clear, entry));
            }
            if ui
                .button("Confirm…")
                .on_hover_text("The listed entry (asks why)")
                .clicked()
            {
                pending = Some(prompt(order_id, k, HitAct::Confirm, entry));
            }
        }
        HitState::Cleared { by, reason } | HitState::Confirmed { by, reason } => {
            let (what, color) = match state {
                HitState::Cleared { .. } => ("Cleared", theme::GREEN),
                _ => ("Confirmed", theme::TIER3_VERMILION),
            };
            ui.label(RichText::new(format!("{what} by {by}: {reason}")).color(color));
            if ui.small_button("Reopen…").clicked() {
                pending = Some(prompt(order_id, k, HitAct::Reopen, entry));
            }
        }
    });
    pending
}
