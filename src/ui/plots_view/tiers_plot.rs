//! Plot 3: per tier, the number of destinations and the session's orders and TPP by verdict.

use super::axis;
use crate::format;
use crate::rules::{Tier, Verdict};
use crate::session::book::{TierTotals, verdict_index};
use crate::session::{PlotScale, PlotUnit, Workspace};
use crate::ui::theme;
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
        _cx: &super::PlotCx,
    ) -> Vec<crate::ui::AppAction> {
        draw(ui, ws);
        Vec::new()
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

pub fn draw(ui: &mut egui::Ui, ws: &Workspace) {
    let settings = &ws.session.view.plots;
    let scale = settings.scale;
    let tiers: &[TierTotals; 3] = &ws.summary().tiers;
    let h100 = ws.engine.ruleset().h100_tpp.value.max(1) as f64;
    let (divisor, unit) = match settings.unit {
        PlotUnit::H100eByTpp => (h100, "H100e by TPP"),
        PlotUnit::Tpp | PlotUnit::SourceUnits => (1.0, "TPP"),
    };
    let in_unit = |tpp: u64| tpp as f64 / divisor;

    ui.label(RichText::new(TITLE).heading().strong());
    ui.horizontal_wrapped(|ui| {
        for v in Verdict::ALL {
            super::caps_plot::legend_entry(ui, theme::verdict_color(v), v.label());
        }
    });
    let tier_labels: Vec<String> = Tier::ALL
        .iter()
        .zip(tiers)
        .map(|(t, tt)| format!("{t} · {} destinations", tt.countries))
        .collect();
    let y_label = format!(
        "{unit} of the session's orders{}",
        super::scale_suffix(scale)
    );

    let labels = tier_labels.clone();
    // Log bars start one decade below the smallest non-zero total, so they differ visibly.
    let base = match scale {
        PlotScale::Linear => 0.0,
        PlotScale::Log => tiers
            .iter()
            .flat_map(|t| t.tpp_by_verdict)
            .filter(|&v| v > 0)
            .map(|v| axis::to_plot(in_unit(v), scale))
            .fold(f64::INFINITY, f64::min)
            .floor(),
    };
    let base = match scale {
        PlotScale::Linear => base,
        PlotScale::Log => decade_below(base),
    };
    let plot_height = (ui.available_height() - 118.0).max(160.0);
    let plot = axis::fixed(Plot::new("tier_summary"))
        .height(plot_height)
        .custom_x_axes(vec![
            AxisHints::new_x()
                .formatter(move |m, _| axis::category_label(&labels, m.value))
                .label_spacing(40.0..=60.0),
        ])
        .custom_y_axes(vec![
            AxisHints::new_y()
                .label(y_label.clone())
                .formatter(move |m, r| axis::tick_label(m, r, scale)),
        ])
        .x_grid_spacer(axis::category_marks(3))
        .show_grid([false, true])
        .include_x(-0.6)
        .include_x(2.6)
        .include_y(base)
        .reset();
    let plot = match scale {
        PlotScale::Log => plot.y_grid_spacer(axis::log_marks),
        PlotScale::Linear => plot,
    };
    let resp = plot.show(ui, |pui| {
        let mut below: Vec<BarChart> = Vec::new();
        for (vi, v) in Verdict::ALL.iter().enumerate() {
            let color = theme::verdict_color(*v);
            let bars: Vec<Bar> = (0..3)
                .map(|t| {
                    let tpp = tiers[t].tpp_by_verdict[verdict_index(*v)];
                    let n = tiers[t].orders_by_verdict[verdict_index(*v)];
                    let name = format!(
                        "{} orders, {} {unit}",
                        n,
                        format::thousands(in_unit(tpp).round() as u64)
                    );
                    let bar = match scale {
                        PlotScale::Linear => Bar::new(t as f64, in_unit(tpp)).width(0.6),
                        // Stacking means nothing on a log axis: bars stand side by side.
                        PlotScale::Log => Bar::new(
                            t as f64 - 0.32 + vi as f64 * 0.16,
                            if tpp == 0 {
                                0.0
                            } else {
                                axis::to_plot(in_unit(tpp), scale) - base
                            },
                        )
                        .base_offset(base)
                        .width(0.15),
                    };
                    bar.name(name)
                        .fill(color.gamma_multiply(0.8))
                        .stroke(egui::Stroke::new(1.0, color))
                })
                .collect();
            let mut chart = BarChart::new(v.label(), bars)
                .color(color)
                .allow_hover(true);
            if scale == PlotScale::Linear {
                let refs: Vec<&BarChart> = below.iter().collect();
                chart = chart.stack_on(&refs);
            }
            chart = chart.element_formatter(Box::new(|b, c| format!("{}\n{}", c_name(c), b.name)));
            below.push(chart);
        }
        for c in below {
            pui.bar_chart(c);
        }
    });
    let description = format!(
        "{TITLE}. Bar chart. Y axis: {y_label}. {}",
        tier_labels.join("; ")
    );
    resp.response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::accesskit::Role::Image, true, &description)
    });

    ui.add_space(4.0);
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
            for (t, tt) in Tier::ALL.iter().zip(tiers) {
                ui.label(t.to_string());
                ui.label(tt.countries.to_string());
                for v in Verdict::ALL {
                    let i = verdict_index(v);
                    if tt.orders_by_verdict[i] == 0 {
                        ui.label(RichText::new("–").weak());
                    } else {
                        ui.label(format!(
                            "{} · {}",
                            tt.orders_by_verdict[i],
                            axis::compact(in_unit(tt.tpp_by_verdict[i]).round())
                        ));
                    }
                }
                ui.end_row();
            }
        });
    ui.label(
        RichText::new(format!(
            "Cells: orders · {unit}. Tiers from the ruleset (Supplement No. 5 ¶(a), Country Group D:5 and Macau); \
             verdicts from the engine for this session's orders."
        ))
        .small(),
    );
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
