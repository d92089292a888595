//! Plot 3: per tier, the number of destinations and the session's orders and TPP by verdict.

use super::axis;
use crate::format;
use crate::rules::{Tier, Verdict};
use crate::session::book::{TierTotals, verdict_index};
use crate::session::what_if_eval::WhatIfBook;
use crate::session::{PlotScale, PlotUnit, Workspace};
use crate::ui::theme;
use crate::ui::what_if::WHAT_IF;
use egui::RichText;
use egui_plot::{AxisHints, Bar, BarChart, Plot};

const TITLE: &str = "The session's orders by tier and verdict";

/// Plot 3 has no state of its own: it draws the session's summary.
pub struct TiersPlot;

impl super::Plot for TiersPlot {
    fn id(&self) -> &'static str {
        super::TIERS_PLOT
    }

    fn label(&self) -> &'static str {
        "Tier summary"
    }

    fn export_stem(&self, _settings: &crate::session::PlotSettings) -> String {
        "tier-summary".into()
    }

    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &mut Workspace,
        cx: &super::PlotCx,
    ) -> Vec<crate::ui::AppAction> {
        draw(ui, ws, cx.what_if);
        Vec::new()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Where one book's bars stand within a tier's slot: the whole slot, or one half of it beside a
/// what-if's.
#[derive(Clone, Copy)]
struct Group {
    /// Centre offset from the tier's position.
    offset: f64,
    /// Width of the stacked (linear) bar; log bars share it per verdict.
    width: f64,
    what_if: bool,
}

const ALONE: Group = Group {
    offset: 0.0,
    width: 0.6,
    what_if: false,
};

/// Beside a what-if, the rule as written takes the left half of the slot…
const LEFT_AS_WRITTEN: Group = Group {
    offset: -0.19,
    width: 0.34,
    what_if: false,
};

/// …and the what-if, outlined, the right half.
const RIGHT_WHAT_IF: Group = Group {
    offset: 0.19,
    width: 0.34,
    what_if: true,
};

/// One bar chart per verdict for one book (the rule as written, or a what-if).
fn charts(
    tiers: &[TierTotals; 3],
    group: Group,
    scale: PlotScale,
    base: f64,
    in_unit: &dyn Fn(u64) -> f64,
    unit: &str,
) -> Vec<BarChart> {
    let mut below: Vec<BarChart> = Vec::new();
    let slot = group.width / Verdict::COUNT as f64;
    for (vi, v) in Verdict::ALL.iter().enumerate() {
        let color = theme::verdict_color(*v);
        let stroke = if group.what_if {
            egui::Stroke::new(2.0, WHAT_IF)
        } else {
            egui::Stroke::new(1.0, color)
        };
        let bars: Vec<Bar> = (0..3)
            .map(|t| {
                let tpp = tiers[t].tpp_by_verdict[verdict_index(*v)];
                let n = tiers[t].orders_by_verdict[verdict_index(*v)];
                let name = format!(
                    "{}{} orders, {} {unit}",
                    if group.what_if { "What-if: " } else { "" },
                    n,
                    format::thousands(in_unit(tpp).round() as u64)
                );
                let x = t as f64 + group.offset;
                let bar = match scale {
                    PlotScale::Linear => Bar::new(x, in_unit(tpp)).width(group.width),
                    // Stacking means nothing on a log axis: bars stand side by side.
                    PlotScale::Log => Bar::new(
                        x - group.width / 2.0 + slot * (vi as f64 + 0.5),
                        if tpp == 0 {
                            0.0
                        } else {
                            axis::to_plot(in_unit(tpp), scale) - base
                        },
                    )
                    .base_offset(base)
                    .width(slot * 0.95),
                };
                bar.name(name)
                    .fill(color.gamma_multiply(if group.what_if { 0.55 } else { 0.8 }))
                    .stroke(stroke)
            })
            .collect();
        let label = if group.what_if {
            format!("{} (what-if)", v.label())
        } else {
            v.label().to_string()
        };
        let mut chart = BarChart::new(label, bars).color(color).allow_hover(true);
        if scale == PlotScale::Linear {
            let refs: Vec<&BarChart> = below.iter().collect();
            chart = chart.stack_on(&refs);
        }
        chart = chart.element_formatter(Box::new(|b, c| format!("{}\n{}", c_name(c), b.name)));
        below.push(chart);
    }
    below
}

pub fn draw(ui: &mut egui::Ui, ws: &Workspace, what_if: Option<&WhatIfBook>) {
    let settings = &ws.session.view.plots;
    let scale = settings.scale;
    let tiers: &[TierTotals; 3] = &ws.summary().tiers;
    let (divisor, unit) = unit_terms(settings.unit, ws.engine.ruleset().h100_tpp.value);
    let in_unit = |tpp: u64| tpp as f64 / divisor;

    ui.label(RichText::new(TITLE).heading().strong());
    ui.horizontal_wrapped(|ui| legend(ui, what_if));
    let tier_labels = tier_labels(tiers, what_if);
    let y_label = format!(
        "{unit} of the session's orders{}",
        super::scale_suffix(scale)
    );
    let books: Vec<&[TierTotals; 3]> = std::iter::once(tiers)
        .chain(what_if.map(|b| &b.summary.tiers))
        .collect();
    let base = bar_base(&books, scale, &in_unit);
    let height = plot_height(ui, what_if.is_some());
    let plot = plot_frame(tier_labels.clone(), y_label.clone(), scale, base, height);
    let groups: &[Group] = if what_if.is_some() {
        &[LEFT_AS_WRITTEN, RIGHT_WHAT_IF]
    } else {
        &[ALONE]
    };
    let resp = plot.show(ui, |pui| {
        for (book, group) in books.iter().zip(groups) {
            for c in charts(book, *group, scale, base, &in_unit, unit) {
                pui.bar_chart(c);
            }
        }
    });
    let description = description(&tier_labels, &y_label, what_if);
    resp.response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::accesskit::Role::Image, true, &description)
    });
    ui.add_space(4.0);
    table(ui, tiers, what_if, &in_unit);
    ui.label(
        RichText::new(format!(
            "Cells: orders · {unit}. Tiers from the ruleset (Supplement No. 5 ¶(a), Country Group D:5 and Macau); \
             verdicts from the engine for this session's orders."
        ))
        .small(),
    );
}

/// What one TPP is divided by in the chosen unit, and the unit's name.
fn unit_terms(unit: PlotUnit, h100_tpp: u64) -> (f64, &'static str) {
    match unit {
        PlotUnit::H100eByTpp => (h100_tpp.max(1) as f64, "H100e by TPP"),
        PlotUnit::Tpp | PlotUnit::SourceUnits => (1.0, "TPP"),
    }
}

/// A swatch per verdict, and which bar of each pair is the what-if's.
fn legend(ui: &mut egui::Ui, what_if: Option<&WhatIfBook>) {
    for v in Verdict::ALL {
        super::caps_plot::legend_entry(ui, theme::verdict_color(v), v.label());
    }
    if let Some(b) = what_if {
        ui.label(
            RichText::new(format!(
                "Left bar of each pair: as written · right bar, outlined: what-if “{}”",
                b.name()
            ))
            .color(crate::ui::what_if::text_color(ui)),
        );
    }
}

/// Each tier and its number of destinations (and the what-if's, when it differs).
fn tier_labels(tiers: &[TierTotals; 3], what_if: Option<&WhatIfBook>) -> Vec<String> {
    Tier::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let n = tiers[i].countries;
            match what_if.map(|b| b.summary.tiers[i].countries) {
                Some(m) if m != n => format!("{t} · {n} → {m} destinations"),
                _ => format!("{t} · {n} destinations"),
            }
        })
        .collect()
}

/// Where bars start: 0, or on a log scale one decade below the smallest non-zero total of any
/// book, so they differ visibly.
fn bar_base(books: &[&[TierTotals; 3]], scale: PlotScale, in_unit: &dyn Fn(u64) -> f64) -> f64 {
    match scale {
        PlotScale::Linear => 0.0,
        PlotScale::Log => decade_below(
            books
                .iter()
                .flat_map(|b| b.iter().flat_map(|t| t.tpp_by_verdict))
                .filter(|&v| v > 0)
                .map(|v| axis::to_plot(in_unit(v), scale))
                .fold(f64::INFINITY, f64::min)
                .floor(),
        ),
    }
}

/// What is left after the table below the plot (header, a row per tier and book) and the note.
fn plot_height(ui: &egui::Ui, with_what_if: bool) -> f32 {
    let row = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let table_rows = if with_what_if { 6.0 } else { 3.0 };
    (ui.available_height() - row * (table_rows + 3.6)).max(160.0)
}

/// The plot with its axes: a category per tier, the amount on the settings' scale.
fn plot_frame<'a>(
    tier_labels: Vec<String>,
    y_label: String,
    scale: PlotScale,
    base: f64,
    height: f32,
) -> Plot<'a> {
    let plot = axis::fixed(Plot::new("tier_summary"))
        .height(height)
        .custom_x_axes(vec![
            AxisHints::new_x()
                .formatter(move |m, _| axis::category_label(&tier_labels, m.value))
                .label_spacing(40.0..=60.0),
        ])
        .custom_y_axes(vec![
            AxisHints::new_y()
                .label(y_label)
                .formatter(move |m, r| axis::tick_label(m, r, scale)),
        ])
        .x_grid_spacer(axis::category_marks(3))
        .show_grid([false, true])
        .include_x(-0.6)
        .include_x(2.6)
        .include_y(base)
        .reset();
    match scale {
        PlotScale::Log => plot.y_grid_spacer(axis::log_marks),
        PlotScale::Linear => plot,
    }
}

/// What a screen reader announces: the tiers, the axis, and the what-if shown beside.
fn description(tier_labels: &[String], y_label: &str, what_if: Option<&WhatIfBook>) -> String {
    format!(
        "{TITLE}. Bar chart. Y axis: {y_label}. {}{}",
        tier_labels.join("; "),
        what_if.map_or(String::new(), |b| format!(
            ". Paired with what-if “{}” (not the rule as written)",
            b.name()
        ))
    )
}

/// Orders and amounts by tier and verdict; with a what-if, its row under each tier's.
fn table(
    ui: &mut egui::Ui,
    tiers: &[TierTotals; 3],
    what_if: Option<&WhatIfBook>,
    in_unit: &dyn Fn(u64) -> f64,
) {
    egui::Grid::new("tier_table")
        .striped(true)
        .spacing([14.0, 3.0])
        .show(ui, |ui| {
            ui.strong("Tier");
            ui.strong("Destinations");
            for v in Verdict::ALL {
                ui.colored_label(theme::verdict_color(v), RichText::new(v.label()).strong());
            }
            ui.end_row();
            for (i, t) in Tier::ALL.iter().enumerate() {
                let rows = std::iter::once((t.to_string(), &tiers[i], false))
                    .chain(what_if.map(|b| (format!("{t} · what-if"), &b.summary.tiers[i], true)));
                for (name, tt, is_what_if) in rows {
                    let color = if is_what_if {
                        crate::ui::what_if::text_color(ui)
                    } else {
                        ui.visuals().text_color()
                    };
                    ui.label(RichText::new(name).color(color));
                    ui.label(RichText::new(tt.countries.to_string()).color(color));
                    for v in Verdict::ALL {
                        let vi = verdict_index(v);
                        if tt.orders_by_verdict[vi] == 0 {
                            ui.label(RichText::new("–").weak());
                        } else {
                            ui.label(
                                RichText::new(format!(
                                    "{} · {}",
                                    tt.orders_by_verdict[vi],
                                    axis::compact(in_unit(tt.tpp_by_verdict[vi]).round())
                                ))
                                .color(color),
                            );
                        }
                    }
                    ui.end_row();
                }
            }
        });
}

/// One decade below `x`, not below 10^0; 0 when there is nothing to plot.
fn decade_below(x: f64) -> f64 {
    if x.is_finite() {
        (x - 1.0).max(0.0)
    } else {
        0.0
    }
}

fn c_name(c: &BarChart) -> String {
    use egui_plot::PlotItem as _;
    c.name().to_string()
}
