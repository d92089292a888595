//! What the map says about a country (hover tooltip and details panel) and the legend.
//! Everything shown comes from the engine, the ruleset and the session summary.

use super::colors::{MapStyle, tier_fill};
use crate::format;
use crate::rules::countries::TierReason;
use crate::rules::ruleset::Basis;
use crate::rules::{CountryCode, Item, Ruleset, Tier};
use crate::session::{MapOverlay, Workspace};
use crate::ui::{AppAction, theme};
use egui::{Color32, RichText, Sense, Ui, vec2};

/// Why a destination has its tier, in a few words.
pub fn reason_text(ws: &Workspace, code: CountryCode) -> String {
    let countries = ws.engine.countries();
    match countries.tier_reason(code) {
        Some(TierReason::Supp5a) if code == ws.engine.ruleset().us => {
            "the United States (Supp. No. 5 ¶(a) list)".into()
        }
        Some(TierReason::Supp5a) => "listed in Supp. No. 5 ¶(a)".into(),
        Some(TierReason::D5) => "Country Group D:5 (January 2025)".into(),
        Some(TierReason::NamedBesideD5) => "named beside D:5 (Macau)".into(),
        Some(TierReason::CountedAs(parent)) => {
            format!("counted as {} ({parent})", countries.name(parent))
        }
        Some(TierReason::Residual) => "residual: not in Supp. 5(a), D:5 or Macau".into(),
        None => "not in the country table".into(),
    }
}

/// The ruleset entries the tier rests on, each with its citation and confidence.
pub fn tier_bases(rs: &Ruleset, reason: Option<TierReason>) -> Vec<(&'static str, Basis<'_>)> {
    match reason {
        Some(TierReason::Supp5a) => vec![("Supp. 5(a)", (&rs.tier1).into())],
        Some(TierReason::D5) => vec![("D:5", (&rs.d5).into())],
        Some(TierReason::NamedBesideD5) => vec![("Macau", (&rs.tier3_extra).into())],
        Some(TierReason::CountedAs(_)) => vec![
            ("Counted as", (&rs.counted_as).into()),
            ("D:5", (&rs.d5).into()),
        ],
        Some(TierReason::Residual) => vec![
            ("Not in Supp. 5(a)", (&rs.tier1).into()),
            ("Not in D:5", (&rs.d5).into()),
        ],
        None => Vec::new(),
    }
}

fn h100e(rs: &Ruleset, tpp: u64) -> String {
    format!(
        "≈ {} H100e",
        format::thousands(rs.h100e(tpp).round() as u64)
    )
}

/// (label, value) lines about the destination's allocation and what the session draws.
pub fn allocation_lines(ws: &Workspace, code: CountryCode) -> Vec<(&'static str, String)> {
    let rs = ws.engine.ruleset();
    let u = ws.summary().country(code);
    let mut out = Vec::new();
    match u.allocation_tpp {
        Some(a) => {
            let g2g = if ws.session.scenario.g2g.contains(&code) {
                format!(", ×{} with a G2G arrangement", rs.g2g_multiplier.value)
            } else {
                String::new()
            };
            out.push((
                "Allocation",
                format!(
                    "{} TPP ({}), {}{g2g}",
                    format::tpp(a),
                    h100e(rs, a),
                    rs.allocation_period()
                ),
            ));
            let share = u.share_drawn().unwrap_or(0.0);
            out.push((
                "Drawn",
                format!(
                    "{} TPP ({}), {:.1} %",
                    format::tpp(u.drawn_tpp),
                    h100e(rs, u.drawn_tpp),
                    share * 100.0
                ),
            ));
            let r = u.remaining_tpp().unwrap_or(0);
            out.push((
                "Remaining",
                format!("{} TPP ({})", format::tpp(r), h100e(rs, r)),
            ));
        }
        None => {
            let why = match ws.engine.countries().tier(code) {
                Some(Tier::One) => "no allocation (Tier 1: no country cap)",
                Some(Tier::Three) => "no allocation (Tier 3: presumption of denial)",
                _ => "no allocation",
            };
            out.push(("Allocation", why.into()));
        }
    }
    out
}

fn groups_text(ws: &Workspace, code: CountryCode) -> String {
    let countries = ws.engine.countries();
    let groups = countries
        .get(code)
        .map(|c| c.groups.join(", "))
        .filter(|g| !g.is_empty())
        .unwrap_or_else(|| "none listed".into());
    format!("{groups} (table of {})", countries.table().groups_vintage)
}

fn swatch(ui: &mut Ui, color: Color32) {
    let (r, _) = ui.allocate_exact_size(vec2(12.0, 12.0), Sense::hover());
    ui.painter().rect_filled(r, 2.0, color);
}

fn tier_heading(ui: &mut Ui, ws: &Workspace, code: CountryCode) {
    let tier = ws.engine.countries().tier(code);
    ui.horizontal_wrapped(|ui| {
        match tier {
            Some(t) => {
                swatch(ui, tier_fill(t, code == ws.engine.ruleset().us));
                ui.label(RichText::new(t.to_string()).strong());
            }
            None => {
                ui.label(RichText::new("No tier").strong());
            }
        }
        ui.label(format!("— {}", reason_text(ws, code)));
    });
}

fn basis_rows(ui: &mut Ui, ws: &Workspace, code: CountryCode) {
    let rs = ws.engine.ruleset();
    for (label, b) in tier_bases(rs, ws.engine.countries().tier_reason(code)) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{label}:")).weak());
            ui.label(b.cite).on_hover_text(format!(
                "Source: {}{}",
                b.source,
                if b.note.is_empty() {
                    String::new()
                } else {
                    format!("\n{}", b.note)
                }
            ));
            theme::confidence_badge(ui, b.confidence);
        });
    }
}

/// How many entries of the screening list have an address in the country, per list.
fn listed_parties_row(ui: &mut Ui, ws: &Workspace, code: CountryCode) {
    let Some(screener) = ws.screener() else {
        return;
    };
    let Some(here) = screener.listed_in(code) else {
        return;
    };
    ui.label(RichText::new("Listed parties").weak());
    let context = format!(
        "Entries of the Consolidated Screening List of {} with an address in this country. \
         Context only: an address is not a headquarters, and parties are screened by name.",
        screener.vintage()
    );
    if here.total == 0 {
        ui.add(egui::Label::new("no screening-list entry has an address here").wrap())
            .on_hover_text(context);
        ui.end_row();
        return;
    }
    ui.vertical(|ui| {
        let total = format!(
            "{} {} with an address here",
            format::thousands(here.total as u64),
            if here.total == 1 { "entry" } else { "entries" },
        );
        ui.add(egui::Label::new(total).wrap())
            .on_hover_text(context);
        // One label per list, so a line breaks between lists, never inside one.
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 8.0;
            for (short, label, n) in &here.by_list {
                ui.add(
                    egui::Label::new(format!("{short} {}", format::thousands(*n as u64))).extend(),
                )
                .on_hover_text(format!("{label}: {n} entries"));
            }
        });
    });
    ui.end_row();
}

fn title(ws: &Workspace, code: CountryCode) -> String {
    let countries = ws.engine.countries();
    match countries.get(code) {
        Some(c) => format!("{} ({} · {})", c.name, c.alpha2, c.alpha3),
        None => code.to_string(),
    }
}

/// The hover tooltip.
pub fn tooltip(ui: &mut Ui, ws: &Workspace, code: CountryCode) {
    ui.label(RichText::new(title(ws, code)).strong());
    tier_heading(ui, ws, code);
    ui.label(format!("EAR groups: {}", groups_text(ws, code)));
    for (k, v) in allocation_lines(ws, code) {
        ui.label(format!("{k}: {v}"));
    }
    let n = ws.summary().country(code).orders.len();
    if n > 0 {
        ui.label(format!(
            "{n} order{} in this session",
            if n == 1 { "" } else { "s" }
        ));
    }
    basis_rows(ui, ws, code);
}

/// The details panel of the selected country.
pub fn panel(
    ui: &mut Ui,
    ws: &Workspace,
    code: CountryCode,
    drawn: bool,
    actions: &mut Vec<AppAction>,
) -> bool {
    let mut close = false;
    let countries = ws.engine.countries();
    let name = countries.name(code).to_string();
    egui::Sides::new().shrink_left().truncate().show(
        ui,
        |ui| ui.heading(&name),
        |ui| {
            if ui
                .button("Close")
                .on_hover_text("Close the details (or click the sea)")
                .clicked()
            {
                close = true;
            }
        },
    );
    if let Some(c) = countries.get(code) {
        let numeric = c
            .numeric
            .map(|n| format!(" · ISO {n:03}"))
            .unwrap_or_default();
        ui.label(RichText::new(format!("{} · {}{numeric}", c.alpha2, c.alpha3)).weak());
    }
    if !drawn {
        ui.label(RichText::new("Not drawn on the map (no shape at 1:50m).").weak());
    }
    tier_heading(ui, ws, code);
    ui.separator();
    egui::Grid::new("map_country_facts")
        .num_columns(2)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new("EAR groups").weak());
            ui.add(egui::Label::new(groups_text(ws, code)).wrap());
            ui.end_row();
            for (k, v) in allocation_lines(ws, code) {
                ui.label(RichText::new(k).weak());
                ui.add(egui::Label::new(v).wrap());
                ui.end_row();
            }
            listed_parties_row(ui, ws, code);
        });
    if let Some(b) = ws
        .summary()
        .country(code)
        .allocation_tpp
        .map(|_| Basis::from(&ws.engine.ruleset().country_allocation_tpp))
    {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Allocation:").weak());
            ui.label(b.cite)
                .on_hover_text(format!("Source: {}\n{}", b.source, b.note));
            theme::confidence_badge(ui, b.confidence);
        });
    }
    basis_rows(ui, ws, code);
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        if ui.button(format!("New order for {name}")).clicked() {
            actions.push(AppAction::StartOrderFor(code));
        }
        let has_allocation = ws.summary().country(code).allocation_tpp.is_some();
        if ui
            .add_enabled(has_allocation, egui::Button::new("Allocation over time"))
            .on_disabled_hover_text("Only Tier 2 destinations have an allocation")
            .clicked()
        {
            actions.push(AppAction::ShowAllocationPlot(code));
        }
    });
    ui.separator();
    orders_table(ui, ws, code, &name, actions);
    close
}

fn orders_table(
    ui: &mut Ui,
    ws: &Workspace,
    code: CountryCode,
    name: &str,
    actions: &mut Vec<AppAction>,
) {
    let orders = &ws.summary().country(code).orders;
    ui.label(RichText::new(format!("Orders to {name} ({})", orders.len())).strong());
    if orders.is_empty() {
        ui.label(RichText::new("None in this session.").weak());
        return;
    }
    use egui_extras::{Column, TableBuilder};
    let line = ui.text_style_height(&egui::TextStyle::Body);
    let row_h = 2.0 * line + 6.0;
    TableBuilder::new(ui)
        .id_salt("map_country_orders")
        .striped(true)
        .auto_shrink([false, true])
        .column(Column::auto().at_least(90.0))
        .column(Column::remainder().clip(true))
        .body(|body| {
            body.rows(row_h, orders.len(), |mut row| {
                let i = orders[row.index()];
                let (Some(o), Some(d)) = (ws.orders().get(i), ws.decisions().get(i)) else {
                    return;
                };
                row.col(|ui| {
                    ui.vertical(|ui| {
                        ui.spacing_mut().item_spacing.y = 2.0;
                        if ui.link(&o.id).on_hover_text("Open this order").clicked() {
                            actions.push(AppAction::OpenOrder(i));
                        }
                        ui.label(RichText::new(o.date.to_string()).weak());
                    });
                });
                row.col(|ui| {
                    ui.vertical(|ui| {
                        ui.spacing_mut().item_spacing.y = 2.0;
                        let item = match &o.item {
                            Item::Chip(id) => id.as_str(),
                            Item::ModelWeights { .. } => "model weights",
                        };
                        ui.label(format!("{} × {item}", format::thousands(o.quantity)));
                        ui.colored_label(theme::verdict_color(d.verdict), d.verdict.label());
                    });
                });
            });
        });
}

/// The legend, for the overlay in use.
pub fn legend(ui: &mut Ui, ws: &Workspace, overlay: MapOverlay, style: &MapStyle) {
    let tiers = &ws.summary().tiers;
    let us = ws.engine.ruleset().us;
    let us_in_t1 = usize::from(ws.engine.countries().tier(us) == Some(Tier::One));
    let row = |ui: &mut Ui, color: Color32, text: String| {
        ui.horizontal(|ui| {
            swatch(ui, color);
            ui.label(RichText::new(text).small());
        });
    };
    match overlay {
        MapOverlay::Tier => {
            ui.label(RichText::new("Tier").small().strong());
            if us_in_t1 == 1 {
                row(ui, theme::US_BLUE, "United States".into());
            }
            row(
                ui,
                theme::TIER1_SKY,
                format!("Tier 1 · {}", tiers[0].countries.saturating_sub(us_in_t1)),
            );
            row(
                ui,
                theme::TIER2_AMBER,
                format!("Tier 2 · {}", tiers[1].countries),
            );
            row(
                ui,
                theme::TIER3_VERMILION,
                format!("Tier 3 · {}", tiers[2].countries),
            );
        }
        MapOverlay::AllocationUse => {
            ui.label(
                RichText::new(format!(
                    "Allocation drawn (Tier 2, {})",
                    ws.engine.ruleset().allocation_period()
                ))
                .small()
                .strong(),
            );
            let (r, _) = ui.allocate_exact_size(vec2(180.0, 10.0), Sense::hover());
            let mut mesh = egui::Mesh::default();
            let steps = 12;
            for k in 0..steps {
                let t0 = k as f32 / steps as f32;
                let t1 = (k + 1) as f32 / steps as f32;
                let rect = egui::Rect::from_min_max(
                    egui::pos2(r.left() + r.width() * t0, r.top()),
                    egui::pos2(r.left() + r.width() * t1, r.bottom()),
                );
                mesh.add_colored_rect(rect, theme::use_ramp(((t0 + t1) / 2.0) as f64));
            }
            ui.painter().add(egui::Shape::mesh(mesh));
            ui.horizontal(|ui| {
                ui.set_width(180.0);
                ui.label(RichText::new("0 %").small());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(RichText::new("100 %").small());
                });
            });
            row(
                ui,
                style.no_allocation(Tier::One),
                "Tier 1: no allocation".into(),
            );
            row(
                ui,
                style.no_allocation(Tier::Three),
                "Tier 3: no allocation".into(),
            );
        }
    }
}
