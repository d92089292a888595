//! "What a cap buys": the time a fleet (a cap spent on one chip, a purchase, or N chips) takes to
//! train a model of C operations, with the formula, its numbers and assumptions on screen, and a
//! chart of days-to-train for every cap and a set of purchases.
//!
//! Host it with [`CalculatorView::ui`], passing the settings the session stores (they are plain
//! serde data, `fleets::training::CalculatorSettings`). The view reads the workspace's ruleset and
//! chip catalogue; it never changes the order book.

use crate::fleets::training::{
    self, CalculatorSettings, CompareBar, CompareSkip, FleetKind, FleetOrigin, TrainingTime,
    fmt_days, fmt_ops, fmt_percent,
};
use crate::fleets::{Catalogue, FigureUnit, Fleets};
use crate::format;
use crate::rules::ChipCatalogue;
use crate::session::Workspace;
use crate::ui::theme;
use egui::{Align2, Color32, RichText};
use egui_plot::{AxisHints, Bar, BarChart, GridInput, GridMark, Plot, PlotPoint, Text};

/// Minimum height of a chart row, so labels never overlap.
const ROW_HEIGHT: f32 = 24.0;

/// The view's id in the view registry (`session::deck::view_ids::CALCULATOR`).
pub const ID: &str = crate::session::deck::view_ids::CALCULATOR;

impl super::view::View for CalculatorView {
    /// The settings are the session's (`view.calculator`), so a saved session and a slide reopen
    /// on the same fleet.
    fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<super::AppAction> {
        let mut settings = std::mem::take(&mut ws.session.view.calculator);
        CalculatorView::ui(self, ui, ws, &mut settings);
        ws.session.view.calculator = settings;
        Vec::new()
    }

    fn slide_ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        let settings = ws.session.view.calculator.clone();
        self.slide(ui, ws, &settings);
    }

    fn reset(&mut self, ws: &Workspace) {
        *self = Self::new(ws);
    }

    crate::view_any!();
}

pub struct CalculatorView {
    /// Caps from the ruleset and the purchase figures, rebuilt when the ruleset changes.
    catalogue: Result<Catalogue, String>,
    catalogue_sha: String,
    /// The compute field as typed, so "1e2" can be on its way to "1e26" without being rejected.
    compute_text: String,
    compute_error: Option<String>,
}

impl CalculatorView {
    pub fn new(ws: &Workspace) -> Self {
        Self {
            catalogue: build_catalogue(ws),
            catalogue_sha: ws.engine.loaded().sha256.clone(),
            compute_text: String::new(),
            compute_error: None,
        }
    }

    /// Draws the calculator. `settings` are read and edited in place; `ws` supplies the ruleset
    /// (caps, 4E091 threshold, H100 TPP) and the chip catalogue.
    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, settings: &mut CalculatorSettings) {
        if self.catalogue_sha != ws.engine.loaded().sha256 {
            self.catalogue = build_catalogue(ws);
            self.catalogue_sha = ws.engine.loaded().sha256.clone();
        }
        let cat = match &self.catalogue {
            Ok(cat) => cat,
            Err(e) => {
                ui.colored_label(
                    theme::TIER3_VERMILION,
                    format!("The purchase figures could not be loaded: {e}"),
                );
                return;
            }
        };
        let chips = ws.engine.chips();
        let ruleset = ws.engine.ruleset();
        ui.label(RichText::new("What a cap buys").heading().strong());
        ui.label(
            RichText::new(
                "Time to train a model of C operations on a fleet, from each chip's dense training rate.",
            )
            .weak(),
        );
        ui.add_space(4.0);
        fleet_inputs(ui, cat, chips, settings);
        compute_inputs(
            ui,
            settings,
            ruleset.model_weights_threshold_ops.value,
            &mut self.compute_text,
            &mut self.compute_error,
        );
        ui.separator();
        let result = settings.result(cat, chips, ruleset);
        egui::ScrollArea::vertical()
            .id_salt("calculator_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                match &result {
                    Ok(t) => result_ui(ui, t),
                    Err(e) => {
                        ui.label(
                            RichText::new(format!("No result: {e}"))
                                .color(theme::TIER3_VERMILION)
                                .size(18.0),
                        );
                    }
                }
                ui.add_space(8.0);
                comparison_ui(ui, cat, chips, ruleset, settings);
            });
    }
}

impl CalculatorView {
    /// The calculator as a slide: the result, the formula with its numbers and the chart, with
    /// no inputs (they are the slide's saved settings).
    pub fn slide(&mut self, ui: &mut egui::Ui, ws: &Workspace, s: &CalculatorSettings) {
        if self.catalogue_sha != ws.engine.loaded().sha256 {
            self.catalogue = build_catalogue(ws);
            self.catalogue_sha = ws.engine.loaded().sha256.clone();
        }
        let Ok(cat) = &self.catalogue else {
            ui.label("The purchase figures could not be loaded.");
            return;
        };
        let (chips, ruleset) = (ws.engine.chips(), ws.engine.ruleset());
        match s.result(cat, chips, ruleset) {
            Ok(t) => {
                headline(ui, &t);
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new("Formula").weak());
                    ui.label(RichText::new(&t.worked).monospace());
                });
            }
            Err(e) => {
                ui.label(RichText::new(format!("No result: {e}")).color(theme::TIER3_VERMILION));
            }
        }
        ui.add_space(6.0);
        if let Ok(chart) = chart_for(cat, chips, ruleset, s) {
            ui.label(RichText::new(chart_caption(&chart, s.compute_ops(ruleset), s)).small());
            days_chart(ui, &chart, s.log_scale, true);
        }
    }
}

use crate::ui::presenter::type_scale;

fn build_catalogue(ws: &Workspace) -> Result<Catalogue, String> {
    let fleets = Fleets::embedded().map_err(|e| e.to_string())?;
    Catalogue::new(ws.engine.ruleset(), fleets)
}

/// A combo box with its name on the left, tied to it for screen readers and tests.
fn labelled_combo(
    ui: &mut egui::Ui,
    label: &str,
    id: &str,
    selected: &str,
    add: impl FnOnce(&mut egui::Ui),
) {
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(id)
        .selected_text(selected)
        .show_ui(ui, add)
        .response
        .labelled_by(l.id);
}

/// Figures that convert exactly to H100s (the only ones a purchase fleet can be).
fn convertible(cat: &Catalogue) -> impl Iterator<Item = &crate::fleets::Figure> {
    cat.fleets
        .figures
        .iter()
        .filter(|f| matches!(f.unit, FigureUnit::H100Units | FigureUnit::H100eByTpp))
}

fn chip_label(c: &crate::rules::Chip) -> String {
    match &c.training_rate {
        Some(r) => format!(
            "{} — {} TFLOP/s {}",
            c.name,
            format::thousands(r.tflops.round() as u64),
            r.format
        ),
        None => format!("{} — no training rate", c.name),
    }
}

fn fleet_inputs(
    ui: &mut egui::Ui,
    cat: &Catalogue,
    chips: &ChipCatalogue,
    s: &mut CalculatorSettings,
) {
    ui.horizontal_wrapped(|ui| {
        labelled_combo(ui, "Fleet", "calc_fleet", s.fleet.label(), |ui| {
            for k in FleetKind::ALL {
                ui.selectable_value(&mut s.fleet, k, k.label());
            }
        });
        match s.fleet {
            FleetKind::Cap => {
                let current = cat
                    .caps
                    .iter()
                    .find(|c| c.id == s.cap_id)
                    .map_or_else(|| s.cap_id.clone(), cap_label);
                labelled_combo(ui, "Cap", "calc_cap", &current, |ui| {
                    for c in &cat.caps {
                        ui.selectable_value(&mut s.cap_id, c.id.clone(), cap_label(c));
                    }
                });
                chip_combo(ui, chips, s, "Spent on chip");
            }
            FleetKind::Purchase => {
                let current = cat
                    .fleets
                    .get(&s.figure_id)
                    .map_or_else(|| s.figure_id.clone(), figure_label);
                labelled_combo(ui, "Purchase", "calc_figure", &current, |ui| {
                    for f in convertible(cat) {
                        ui.selectable_value(&mut s.figure_id, f.id.clone(), figure_label(f));
                    }
                })
            }
            FleetKind::Chips => {
                let l = ui.label("Number of chips (N)");
                ui.add(
                    egui::DragValue::new(&mut s.chip_count)
                        .range(1..=training::MAX_CHIPS)
                        .speed(100.0)
                        .custom_formatter(|v, _| format::thousands(v.max(0.0) as u64))
                        .suffix(" units"),
                )
                .labelled_by(l.id);
                chip_combo(ui, chips, s, "Chip");
            }
        }
    });
}

fn cap_label(c: &crate::fleets::Cap) -> String {
    format!("{} — {} TPP", c.label, format::tpp(c.tpp))
}

fn figure_label(f: &crate::fleets::Figure) -> String {
    format!(
        "{} — {} {}",
        f.label,
        format::thousands(f.value),
        f.unit.label()
    )
}

fn chip_combo(ui: &mut egui::Ui, chips: &ChipCatalogue, s: &mut CalculatorSettings, label: &str) {
    let current = chips
        .get(&s.chip_id)
        .map_or_else(|| s.chip_id.clone(), chip_label);
    labelled_combo(ui, label, "calc_chip", &current, |ui| {
        for c in chips.chips.iter().filter(|c| c.orderable) {
            // Chips without a stated rate are listed (so their absence is visible) but not offered.
            ui.add_enabled_ui(c.training_rate.is_some(), |ui| {
                ui.selectable_value(&mut s.chip_id, c.id.clone(), chip_label(c))
                    .on_disabled_hover_text(
                        "The reference gives no dense training rate for this chip; none is guessed.",
                    );
            });
        }
    });
}

fn compute_inputs(
    ui: &mut egui::Ui,
    s: &mut CalculatorSettings,
    threshold: f64,
    text: &mut String,
    error: &mut Option<String>,
) {
    let current = s.compute_ops.unwrap_or(threshold);
    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Compute C (FLOP)");
        let edit = egui::TextEdit::singleline(text)
            .desired_width(90.0)
            .hint_text(fmt_ops(current));
        let resp = ui.add(edit).labelled_by(l.id);
        if !resp.has_focus() && error.is_none() {
            *text = fmt_ops(current);
        }
        if resp.changed() {
            match training::parse_ops(text) {
                Ok(v) => {
                    s.compute_ops = Some(v);
                    *error = None;
                }
                Err(e) => *error = Some(e.to_string()),
            }
        }
        if ui
            .add_enabled(
                s.compute_ops.is_some_and(|c| c != threshold),
                egui::Button::new(format!("4E091 threshold ({})", fmt_ops(threshold))),
            )
            .on_hover_text(
                "Models trained with more operations than this are controlled (ECCN 4E091)",
            )
            .clicked()
        {
            s.compute_ops = None;
            *error = None;
            *text = fmt_ops(threshold);
        }
        ui.add_space(12.0);
        let l = ui.label("Utilisation (u)");
        let mut pct = s.utilisation * 100.0;
        let slider = egui::Slider::new(&mut pct, 1.0..=100.0)
            .suffix(" %")
            .fixed_decimals(0)
            .step_by(1.0);
        if ui.add(slider).labelled_by(l.id).changed() {
            s.utilisation = (pct / 100.0).clamp(0.01, 1.0);
        }
    });
    if let Some(e) = error {
        ui.colored_label(theme::TIER3_VERMILION, e.as_str());
    }
}

/// "≈ 58.6 days to train 1e26 FLOP on 49,898 × NVIDIA H100 SXM at 40 % utilisation".
fn headline(ui: &mut egui::Ui, t: &TrainingTime) {
    let k = type_scale(ui);
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!("≈ {}", fmt_days(t.days)))
                .size(34.0 * k)
                .strong()
                .color(ui.visuals().strong_text_color()),
        );
        ui.label(
            RichText::new(format!(
                "to train {} FLOP on {} × {} at {} utilisation",
                fmt_ops(t.compute_ops),
                format::thousands(t.fleet.count),
                t.fleet.chip.name,
                fmt_percent(t.utilisation)
            ))
            .size(15.0 * k),
        );
    });
}

fn result_ui(ui: &mut egui::Ui, t: &TrainingTime) {
    headline(ui, t);
    egui::Grid::new("calc_details")
        .num_columns(2)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Formula").weak());
            ui.label(RichText::new(&t.formula).monospace());
            ui.end_row();
            ui.label(RichText::new("With the numbers").weak());
            ui.label(RichText::new(&t.worked).monospace());
            ui.end_row();
            ui.label(RichText::new("Chips (N)").weak());
            ui.horizontal_wrapped(|ui| {
                ui.label(&t.fleet.count_derivation);
                if t.fleet.origin != FleetOrigin::Chips {
                    ui.label(RichText::new(format!("— {}", t.fleet.source)).weak());
                    theme::confidence_badge(ui, t.fleet.confidence);
                }
            });
            ui.end_row();
            ui.label(RichText::new("Rate").weak());
            ui.horizontal_wrapped(|ui| {
                ui.label(format!(
                    "{} TFLOP/s dense {} per {} — {}",
                    training::fmt_fraction(t.rate.tflops),
                    t.rate.format,
                    t.fleet.chip.name,
                    t.rate.source
                ));
                theme::confidence_badge(ui, t.rate.confidence);
            });
            ui.end_row();
        });
    ui.add_space(4.0);
    ui.label(RichText::new("Assumptions").strong());
    for a in &t.assumptions {
        ui.label(format!("• {a}"));
    }
}

/// Everything the chart needs, derived from the settings each frame (a dozen bars: cheap).
struct Chart {
    bars: Vec<CompareBar>,
    /// The bar of the fleet timed above, outlined so the two can be read together.
    current: Option<String>,
    skipped: Vec<CompareSkip>,
    chip_name: String,
}

/// The chart's bars for the settings, or why there are none.
fn chart_for(
    cat: &Catalogue,
    chips: &ChipCatalogue,
    ruleset: &crate::rules::Ruleset,
    s: &CalculatorSettings,
) -> Result<Chart, String> {
    let c = s.compute_ops(ruleset);
    let chip = s.chip(chips).map_err(|e| e.to_string())?;
    let (bars, skipped) = training::compare(cat, chips, chip, &s.compare_figures, c, s.utilisation)
        .map_err(|e| e.to_string())?;
    Ok(Chart {
        bars,
        current: match s.fleet {
            FleetKind::Cap => Some(s.cap_id.clone()),
            FleetKind::Purchase => Some(s.figure_id.clone()),
            FleetKind::Chips => None,
        },
        skipped,
        chip_name: chip.name.clone(),
    })
}

fn chart_caption(chart: &Chart, c: f64, s: &CalculatorSettings) -> String {
    format!(
        "{} FLOP at {} utilisation. Blue: each cap of the rule spent entirely on {} (whole chips \
         within the cap). Orange: purchases counted in H100s, timed at the H100 SXM's rate. \
         Outlined: the fleet above. Hover a bar for its source.",
        fmt_ops(c),
        fmt_percent(s.utilisation),
        chart.chip_name
    )
}

fn comparison_ui(
    ui: &mut egui::Ui,
    cat: &Catalogue,
    chips: &ChipCatalogue,
    ruleset: &crate::rules::Ruleset,
    s: &mut CalculatorSettings,
) {
    let c = s.compute_ops(ruleset);
    let chart = chart_for(cat, chips, ruleset, s);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Days to train, compared").strong().size(16.0));
        ui.checkbox(&mut s.log_scale, "Log scale");
        purchase_picker(ui, cat, s);
    });
    let chart = match chart {
        Ok(chart) => chart,
        Err(e) => {
            ui.label(format!("No comparison: {e}"));
            return;
        }
    };
    ui.label(RichText::new(chart_caption(&chart, c, s)).small());
    days_chart(ui, &chart, s.log_scale, false);
    if !chart.skipped.is_empty() {
        egui::CollapsingHeader::new(format!("{} not timed", chart.skipped.len()))
            .id_salt("calc_skipped")
            .show(ui, |ui| {
                for k in &chart.skipped {
                    ui.label(RichText::new(format!("{} — {}", k.label, k.reason)).small());
                }
            });
    }
}

fn purchase_picker(ui: &mut egui::Ui, cat: &Catalogue, s: &mut CalculatorSettings) {
    let n = s.compare_figures.len();
    ui.menu_button(format!("Purchases shown ({n})"), |ui| {
        for f in convertible(cat) {
            let mut on = s.compare_figures.contains(&f.id);
            if ui.checkbox(&mut on, figure_label(f)).changed() {
                if on {
                    s.compare_figures.push(f.id.clone());
                } else {
                    s.compare_figures.retain(|id| id != &f.id);
                }
            }
        }
    });
}

fn bar_color(origin: FleetOrigin) -> Color32 {
    match origin {
        FleetOrigin::Cap => theme::US_BLUE,
        _ => theme::TIER2_AMBER,
    }
}

/// The chart; `fit` keeps it within the height left (on a slide), else each row is full height.
fn days_chart(ui: &mut egui::Ui, chart: &Chart, log: bool, fit: bool) {
    let n = chart.bars.len();
    if n == 0 {
        ui.label("Nothing to compare.");
        return;
    }
    let k = type_scale(ui);
    let axis = DaysAxis::new(chart, log);
    let height = chart_height(ui, n, k, fit);
    let plot = days_plot(row_labels(chart), log, height, &axis);
    let text_color = ui.visuals().text_color();
    let resp = plot.show(ui, |pui| {
        fleet_bars(pui, chart, &axis, text_color);
        day_labels(pui, chart, &axis, 12.5 * k, text_color);
        hovered_bar(pui, n)
    });
    let description = chart_description(chart, log);
    resp.response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::accesskit::Role::Image, true, &description)
    });
    if let Some(i) = resp.inner {
        let t = &chart.bars[i].time;
        resp.response
            .on_hover_ui_at_pointer(|ui| fleet_tooltip(ui, t));
    }
}

/// The value axis: each bar's days in plot units, where bars start and where the axis ends.
struct DaysAxis {
    /// Per bar, its days on the axis (log10 of them on a log scale).
    values: Vec<f64>,
    /// Where bars start: 0 (on a log scale, one day), or the decade below the shortest time when
    /// that is under a day.
    base: f64,
    x_max: f64,
}

impl DaysAxis {
    fn new(chart: &Chart, log: bool) -> Self {
        let values: Vec<f64> = chart
            .bars
            .iter()
            .map(|b| {
                let d = b.time.days;
                if log { d.max(0.1).log10() } else { d }
            })
            .collect();
        let base = if log {
            values
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min)
                .floor()
                .min(0.0)
        } else {
            0.0
        };
        let top = values.iter().copied().fold(base, f64::max);
        // Room on the right for the longest value label ("1,722 days (4.7 years)").
        let x_max = top + (top - base).max(1e-9) * 0.27;
        Self {
            values,
            base,
            x_max,
        }
    }
}

/// The category-axis position of bar `i` of `n`: fastest on top, so row n-1 is the first bar.
fn row_of(i: usize, n: usize) -> f64 {
    (n - 1 - i) as f64
}

/// Category labels by row (bottom to top): each fleet and its chip count.
fn row_labels(chart: &Chart) -> Vec<String> {
    let n = chart.bars.len();
    (0..n)
        .map(|row| {
            let b = &chart.bars[n - 1 - row].time.fleet;
            format!("{} ({} chips)", b.label, format::thousands(b.count))
        })
        .collect()
}

/// A full-height row per bar; within what is left of the slide when `fit`.
fn chart_height(ui: &egui::Ui, n: usize, k: f32, fit: bool) -> f32 {
    let mut height = (n as f32 * ROW_HEIGHT * k + 50.0 * k).max(160.0);
    if fit {
        height = height.min(ui.available_height()).max(160.0);
    }
    height
}

/// The plot with its axes and fixed bounds: no pan or zoom, so the memory is reset each frame.
fn days_plot<'a>(labels: Vec<String>, log: bool, height: f32, axis: &DaysAxis) -> Plot<'a> {
    let n = labels.len();
    let axis_label = format!("Days to train{}", if log { " (log scale)" } else { "" });
    let plot = Plot::new("calc_days")
        .height(height)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .show_grid([true, false])
        .custom_x_axes(vec![AxisHints::new_x().label(axis_label).formatter(
            move |m, _| {
                if log {
                    log_tick(m.value)
                } else if m.value < 0.0 {
                    String::new()
                } else {
                    format::thousands(m.value.round() as u64)
                }
            },
        )])
        .custom_y_axes(vec![
            AxisHints::new_y()
                .formatter(move |m, _| {
                    let i = m.value.round();
                    if (m.value - i).abs() > 1e-6 || i < 0.0 {
                        return String::new();
                    }
                    labels.get(i as usize).cloned().unwrap_or_default()
                })
                .label_spacing(14.0..=18.0),
        ])
        .y_grid_spacer(move |_: GridInput| {
            (0..n)
                .map(|i| GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .default_x_bounds(axis.base, axis.x_max)
        .default_y_bounds(-0.6, n as f64 - 0.4)
        .reset();
    if log {
        plot.x_grid_spacer(log_marks)
    } else {
        plot
    }
}

/// One bar chart per origin (caps, purchases); the fleet timed above is outlined.
fn fleet_bars(pui: &mut egui_plot::PlotUi, chart: &Chart, axis: &DaysAxis, text_color: Color32) {
    let n = chart.bars.len();
    for origin in [FleetOrigin::Cap, FleetOrigin::Purchase] {
        let bars: Vec<Bar> = chart
            .bars
            .iter()
            .enumerate()
            .filter(|(_, b)| b.time.fleet.origin == origin)
            .map(|(i, b)| {
                let stroke = if chart.current.as_deref() == Some(b.id.as_str()) {
                    egui::Stroke::new(2.5, text_color)
                } else {
                    egui::Stroke::new(1.0, bar_color(origin))
                };
                Bar::new(row_of(i, n), axis.values[i] - axis.base)
                    .base_offset(axis.base)
                    .name(&b.time.fleet.label)
                    .fill(bar_color(origin).gamma_multiply(0.85))
                    .stroke(stroke)
            })
            .collect();
        if !bars.is_empty() {
            pui.bar_chart(
                BarChart::new(format!("{origin:?}"), bars)
                    .color(bar_color(origin))
                    .width(0.62)
                    .horizontal()
                    .allow_hover(false),
            );
        }
    }
}

/// Each bar's time, written after its end.
fn day_labels(
    pui: &mut egui_plot::PlotUi,
    chart: &Chart,
    axis: &DaysAxis,
    text_size: f32,
    text_color: Color32,
) {
    let n = chart.bars.len();
    for (i, b) in chart.bars.iter().enumerate() {
        pui.text(
            Text::new(
                "",
                PlotPoint::new(axis.values[i], row_of(i, n)),
                RichText::new(format!("  {}", fmt_days(b.time.days))).size(text_size),
            )
            .id(("calc_value", i))
            .anchor(Align2::LEFT_CENTER)
            .color(text_color)
            .allow_hover(false),
        );
    }
}

/// The bar under the pointer (its index in `chart.bars`), if any of the `n` rows is.
fn hovered_bar(pui: &egui_plot::PlotUi, n: usize) -> Option<usize> {
    let inside = pui.response().contains_pointer();
    pui.pointer_coordinate().filter(|_| inside).and_then(|pt| {
        let a = pt.y.round();
        ((pt.y - a).abs() <= 0.45 && a >= 0.0 && (a as usize) < n).then(|| n - 1 - a as usize)
    })
}

/// What a screen reader announces: every fleet and its time.
fn chart_description(chart: &Chart, log: bool) -> String {
    format!(
        "Days to train, horizontal bar chart{}. {}",
        if log { ", log scale" } else { "" },
        chart
            .bars
            .iter()
            .map(|b| format!("{}: {}", b.time.fleet.label, fmt_days(b.time.days)))
            .collect::<Vec<_>>()
            .join("; ")
    )
}

/// A hovered bar's fleet: its time, how its chips were counted, and the source.
fn fleet_tooltip(ui: &mut egui::Ui, t: &TrainingTime) {
    ui.set_max_width(420.0);
    ui.label(RichText::new(&t.fleet.label).strong());
    ui.label(format!(
        "≈ {} · {}",
        fmt_days(t.days),
        t.fleet.count_derivation
    ));
    ui.label(format!("Source: {}", t.fleet.source));
    ui.horizontal(|ui| {
        ui.label(RichText::new("Confidence").weak());
        theme::confidence_badge(ui, t.fleet.confidence);
    });
}

/// Tick label on a log10 axis: whole decades as plain numbers of days.
fn log_tick(x: f64) -> String {
    if (x - x.round()).abs() > 1e-6 {
        return String::new();
    }
    let v = 10f64.powi(x.round() as i32);
    if v < 1.0 {
        format!("{v}")
    } else {
        format::thousands(v as u64)
    }
}

fn log_marks(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    (lo.floor() as i64..=hi.ceil() as i64)
        .map(|k| k as f64)
        .filter(|x| *x >= lo && *x <= hi)
        .map(|value| GridMark {
            value,
            step_size: 1.0,
        })
        .collect()
}
