//! Plot 1: horizontal bars of the rule's caps beside purchase figures, in one unit.

use super::axis;
use crate::fleets::{Cap, Catalogue, Comparison, Entry, Figure, Measure, RowClass, UnitFamily};
use crate::format;
use crate::session::{PlotScale, PlotSettings};
use crate::ui::theme;
use crate::ui::what_if::WHAT_IF;
use egui::{Align2, Color32, RichText, Stroke};
use egui_plot::{AxisHints, Bar, BarChart, LineStyle, Plot, PlotPoint, PlotTransform, Text, VLine};

const BAR_WIDTH: f64 = 0.62;
/// A cap the what-if changes: two thinner bars, as written above and the what-if below.
const PAIR_WIDTH: f64 = 0.36;
const PAIR_OFFSET: f64 = 0.19;
/// Minimum height of a row, so category labels never overlap.
const ROW_MIN_HEIGHT: f32 = 22.0;

pub fn class_color(class: RowClass) -> Color32 {
    match class {
        RowClass::Cap => theme::US_BLUE,
        RowClass::Company => theme::TIER2_AMBER,
        RowClass::NationalProgramme => theme::GREEN,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn citations_lose_their_caveats_but_keep_paragraphs() {
        assert_eq!(
            super::without_parentheticals(
                "15 CFR 742.6(b)(10) (exact paragraph UNCONFIRMED); 15 CFR 748.15 (NVEU phase-in; table not read)"
            ),
            "15 CFR 742.6(b)(10); 15 CFR 748.15"
        );
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Key {
    selected: Vec<String>,
    measure: Measure,
    scale: PlotScale,
    /// The what-if shown beside the rule: its name and the caps it changes (id, TPP under it).
    what_if: Option<(String, Vec<(String, u64)>)>,
}

/// Everything drawn that depends only on the settings, computed when they change.
struct Prepared {
    cmp: Comparison,
    /// Bar position of `cmp.rows[i]` on the category axis (largest on top).
    args: Vec<f64>,
    /// Category labels by argument (bottom to top).
    labels: Vec<String>,
    plot_values: Vec<f64>,
    value_texts: Vec<String>,
    /// Per row: the value under the what-if, for caps it changes (plot units and text).
    what_if_values: Vec<Option<(f64, String)>>,
    /// Where bars start: 0, or the decade below the smallest value on a log scale.
    base: f64,
    x_max: f64,
    axis_label: String,
    caption: String,
    description: String,
}

#[derive(Default)]
pub struct CapsPlot {
    cache: Option<(Key, Prepared)>,
    /// The caps a what-if changes, by the what-if ruleset's hash (read once per what-if).
    what_if_caps: Option<(String, Vec<(String, u64)>)>,
    /// Where the last frame drew the plot, to find bars on screen.
    transform: Option<PlotTransform>,
}

pub const TITLE: &str = "National caps vs corporate purchases";

impl super::Plot for CapsPlot {
    fn id(&self) -> &'static str {
        super::CAPS_PLOT
    }

    fn label(&self) -> &'static str {
        "Caps vs purchases"
    }

    fn export_stem(&self, _settings: &PlotSettings) -> String {
        "caps-vs-purchases".into()
    }

    fn uses_figure_list(&self) -> bool {
        true
    }

    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &mut crate::session::Workspace,
        cx: &super::PlotCx,
    ) -> Vec<crate::ui::AppAction> {
        match cx.catalogue {
            Ok(cat) => {
                let what_if = cx
                    .what_if
                    .map(|b| (b.name().to_string(), self.changed_caps(cat, b)));
                self.draw(ui, cat, &ws.session.view.plots, cx.measure, what_if)
            }
            Err(e) => {
                ui.colored_label(
                    crate::ui::theme::ERROR,
                    format!("The purchase figures could not be loaded: {e}"),
                );
            }
        }
        Vec::new()
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl CapsPlot {
    /// The caps whose value the what-if changes, with their value under it.
    fn changed_caps(
        &mut self,
        cat: &Catalogue,
        book: &crate::session::what_if_eval::WhatIfBook,
    ) -> Vec<(String, u64)> {
        let sha = &book.engine.loaded().sha256;
        if self.what_if_caps.as_ref().is_none_or(|(s, _)| s != sha) {
            let changed = crate::fleets::caps_from_ruleset(book.engine.ruleset())
                .unwrap_or_default()
                .into_iter()
                .filter(|c| cat.caps.iter().any(|b| b.id == c.id && b.tpp != c.tpp))
                .map(|c| (c.id, c.tpp))
                .collect();
            self.what_if_caps = Some((sha.clone(), changed));
        }
        self.what_if_caps
            .as_ref()
            .map_or_else(Vec::new, |(_, c)| c.clone())
    }

    pub fn bar_screen_pos(&self, id: &str) -> Option<egui::Pos2> {
        let (_, p) = self.cache.as_ref()?;
        let i = p.cmp.rows.iter().position(|r| r.id == id)?;
        let mid = p.base + (p.plot_values[i] - p.base) / 2.0;
        Some(
            self.transform?
                .position_from_point(&PlotPoint::new(mid, p.args[i])),
        )
    }

    pub fn draw(
        &mut self,
        ui: &mut egui::Ui,
        cat: &Catalogue,
        settings: &PlotSettings,
        measure: Measure,
        what_if: Option<(String, Vec<(String, u64)>)>,
    ) {
        let key = Key {
            selected: settings.selected_figures.clone(),
            measure,
            scale: settings.scale,
            what_if,
        };
        if self.cache.as_ref().is_none_or(|(k, _)| *k != key) {
            let prepared = prepare(cat, &key);
            self.cache = Some((key, prepared));
        }
        let Some((key, p)) = &self.cache else {
            return;
        };

        ui.label(RichText::new(TITLE).heading().strong());
        ui.horizontal_wrapped(|ui| legend(ui, key, p));

        if p.cmp.rows.is_empty() {
            ui.add_space(20.0);
            ui.label("Nothing to show in this unit: every selected figure is listed below with the reason.");
            caption_and_exclusions(ui, p);
            self.transform = None;
            return;
        }

        // On a slide the type is larger: rows and the caption grow with it.
        let k = crate::ui::presenter::type_scale(ui);
        let plot = plot_frame(p, key.scale, plot_height(ui, p, k));
        let text_color = ui.visuals().text_color();
        let what_if_text = crate::ui::what_if::text_color(ui);
        let resp = plot.show(ui, |pui| {
            let hovered_row = hovered_row(pui, p);
            // Cap reference lines first, so bars draw over them.
            cap_lines(pui, p);
            rule_bars(pui, p, hovered_row, text_color);
            what_if_bars(pui, p, 12.5 * k, what_if_text);
            value_labels(pui, p, 12.5 * k, text_color);
            hovered_row
        });

        resp.response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::accesskit::Role::Image, true, &p.description)
        });
        if let Some(i) = resp.inner
            && let Some(entry) = cat.entry(&p.cmp.rows[i].id)
        {
            let value_text = p.value_texts[i].trim_start();
            hovered_bar_ui(ui, resp.response, cat, entry, value_text, measure);
        }

        self.transform = Some(resp.transform);
        caption_and_exclusions(ui, p);
    }
}

/// The unit and scale, a swatch per kind of row shown, and the what-if's bars (or that it
/// changes none of the caps shown).
fn legend(ui: &mut egui::Ui, key: &Key, p: &Prepared) {
    ui.label(
        RichText::new(format!(
            "in {} · {}",
            key.measure.label(),
            scale_name(key.scale)
        ))
        .weak(),
    );
    ui.add_space(12.0);
    for class in [
        RowClass::Cap,
        RowClass::Company,
        RowClass::NationalProgramme,
    ] {
        if p.cmp.rows.iter().any(|r| r.class == class) {
            legend_entry(ui, class_color(class), class.label());
        }
    }
    if let Some((name, _)) = &key.what_if {
        if p.what_if_values.iter().any(Option::is_some) {
            legend_entry(ui, WHAT_IF, &format!("What-if “{name}” (paired bar)"));
        } else {
            ui.label(
                RichText::new(format!("What-if “{name}” changes none of these caps"))
                    .color(crate::ui::what_if::text_color(ui)),
            );
        }
    }
}

/// The plot's height: what the caption below leaves, but never rows too thin to label.
fn plot_height(ui: &egui::Ui, p: &Prepared, k: f32) -> f32 {
    let n = p.cmp.rows.len();
    // Leave room below the plot for the caption.
    let caption_h = ui
        .painter()
        .layout(
            p.caption.clone(),
            egui::FontId::proportional(11.5 * k),
            Color32::WHITE,
            ui.available_width(),
        )
        .size()
        .y;
    // 29 points at normal size go to what the plot draws below its height (the axis).
    let caption_room = (58.0 * k).max(caption_h + 29.0 * k)
        + if p.cmp.excluded.is_empty() {
            0.0
        } else {
            22.0 * k
        };
    let row_min = ROW_MIN_HEIGHT.max(ui.text_style_height(&egui::TextStyle::Body) + 6.0);
    (ui.available_height() - caption_room)
        .max(n as f32 * row_min + 50.0)
        .max(160.0)
}

/// The plot with its axes: a category per row, values on the settings' scale.
fn plot_frame(p: &Prepared, scale: PlotScale, height: f32) -> Plot<'_> {
    let n = p.cmp.rows.len();
    let labels = &p.labels;
    let plot = axis::fixed(Plot::new("caps_vs_purchases"))
        .height(height)
        .custom_x_axes(vec![
            AxisHints::new_x()
                .label(p.axis_label.clone())
                .formatter(move |m, r| axis::tick_label(m, r, scale)),
        ])
        .custom_y_axes(vec![
            AxisHints::new_y()
                .formatter(move |m, _| axis::category_label(labels, m.value))
                .label_spacing(14.0..=18.0),
        ])
        .y_grid_spacer(axis::category_marks(n))
        .show_grid([true, false])
        .show_y(false)
        // Fixed bounds from the settings; no pan or zoom, so the memory is reset each frame.
        .default_x_bounds(p.base, p.x_max)
        .default_y_bounds(-0.6, n as f64 - 0.4)
        .reset();
    match scale {
        PlotScale::Log => plot.x_grid_spacer(axis::log_marks),
        PlotScale::Linear => plot,
    }
}

/// The row under the pointer (its index in `p.cmp.rows`), if any.
fn hovered_row(pui: &egui_plot::PlotUi, p: &Prepared) -> Option<usize> {
    let inside = pui.response().contains_pointer();
    let hovered = pui.pointer_coordinate().filter(|_| inside).and_then(|pt| {
        let a = pt.y.round();
        ((pt.y - a).abs() <= 0.45).then_some(a)
    });
    hovered.and_then(|a| p.args.iter().position(|&x| x == a))
}

/// A dashed vertical line at each cap's value, to read the purchases against.
fn cap_lines(pui: &mut egui_plot::PlotUi, p: &Prepared) {
    for (i, row) in p.cmp.rows.iter().enumerate() {
        if row.class == RowClass::Cap {
            pui.vline(
                VLine::new("", p.plot_values[i])
                    .id(("cap-line", i))
                    .color(theme::US_BLUE.gamma_multiply(0.45))
                    .style(LineStyle::dashed_dense())
                    .width(1.0)
                    .allow_hover(false),
            );
        }
    }
}

/// Where the bar of row `i` as written stands, and its width: a row the what-if changes holds
/// two bars, as written above and the what-if below.
fn rule_bar_place(p: &Prepared, i: usize) -> (f64, f64) {
    match p.what_if_values[i] {
        Some(_) => (p.args[i] + PAIR_OFFSET, PAIR_WIDTH),
        None => (p.args[i], BAR_WIDTH),
    }
}

/// The bars as written, one chart per class of row; the hovered bar is outlined.
fn rule_bars(
    pui: &mut egui_plot::PlotUi,
    p: &Prepared,
    hovered_row: Option<usize>,
    text_color: Color32,
) {
    for class in [
        RowClass::Cap,
        RowClass::Company,
        RowClass::NationalProgramme,
    ] {
        let color = class_color(class);
        let bars: Vec<Bar> = p
            .cmp
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.class == class)
            .map(|(i, r)| {
                let stroke = if hovered_row == Some(i) {
                    Stroke::new(2.5, text_color)
                } else {
                    Stroke::new(1.0, color.gamma_multiply(0.9))
                };
                let (arg, width) = rule_bar_place(p, i);
                Bar::new(arg, p.plot_values[i] - p.base)
                    .base_offset(p.base)
                    .name(&r.label)
                    .fill(color.gamma_multiply(0.85))
                    .stroke(stroke)
                    .width(width)
            })
            .collect();
        if bars.is_empty() {
            continue;
        }
        pui.bar_chart(
            BarChart::new(class.label(), bars)
                .color(color)
                .width(BAR_WIDTH)
                .horizontal()
                .allow_hover(false),
        );
    }
}

/// Each bar's value as written, after its end.
fn value_labels(pui: &mut egui_plot::PlotUi, p: &Prepared, text_size: f32, color: Color32) {
    for (i, t) in p.value_texts.iter().enumerate() {
        let (arg, _) = rule_bar_place(p, i);
        pui.text(
            Text::new(
                "",
                PlotPoint::new(p.plot_values[i], arg),
                RichText::new(t).size(text_size),
            )
            .id(("value", i))
            .anchor(Align2::LEFT_CENTER)
            .color(color)
            .allow_hover(false),
        );
    }
}

/// The hovered bar's provenance in a tooltip; a click on a purchase's bar opens its source.
fn hovered_bar_ui(
    ui: &egui::Ui,
    response: egui::Response,
    cat: &Catalogue,
    entry: Entry<'_>,
    value_text: &str,
    measure: Measure,
) {
    if let Entry::Figure(f) = entry
        && response.clicked()
    {
        ui.ctx().open_url(egui::OpenUrl::new_tab(&f.source.url));
    }
    response.on_hover_ui_at_pointer(|ui| {
        ui.set_max_width(440.0);
        match entry {
            Entry::Cap(c) => cap_tooltip(ui, cat, c, value_text, measure),
            Entry::Figure(f) => figure_tooltip(ui, cat, f, value_text, measure),
        }
    });
}

/// A colour swatch and its meaning; the plot's own legend would sit on top of the bars.
pub fn legend_entry(ui: &mut egui::Ui, color: Color32, text: &str) {
    let h = ui.text_style_height(&egui::TextStyle::Body);
    // Whole points keep the row on the pixel grid at any type size.
    let size = egui::vec2((h * 0.9).round(), h.round());
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    ui.painter().rect_filled(
        egui::Rect::from_center_size(rect.center(), egui::vec2(h * 0.8, h * 0.6)),
        2.0,
        color,
    );
    ui.label(text);
    ui.add_space(6.0);
}

/// The what-if's bars (below the rule's, in rows it changes) with their values.
fn what_if_bars(pui: &mut egui_plot::PlotUi, p: &Prepared, text_size: f32, color: Color32) {
    let bars: Vec<Bar> = p
        .what_if_values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.as_ref().map(|(value, _)| (i, *value)))
        .map(|(i, value)| {
            Bar::new(p.args[i] - PAIR_OFFSET, value - p.base)
                .base_offset(p.base)
                .name(format!("{} (what-if)", p.cmp.rows[i].label))
                .fill(WHAT_IF.gamma_multiply(0.85))
                .stroke(Stroke::new(1.0, WHAT_IF))
                .width(PAIR_WIDTH)
        })
        .collect();
    if bars.is_empty() {
        return;
    }
    pui.bar_chart(
        BarChart::new("What-if", bars)
            .color(WHAT_IF)
            .horizontal()
            .allow_hover(false),
    );
    for (i, v) in p.what_if_values.iter().enumerate() {
        if let Some((value, t)) = v {
            pui.text(
                Text::new(
                    "",
                    PlotPoint::new(*value, p.args[i] - PAIR_OFFSET),
                    RichText::new(t).size(text_size),
                )
                .id(("what_if_value", i))
                .anchor(Align2::LEFT_CENTER)
                .color(color)
                .allow_hover(false),
            );
        }
    }
}

fn scale_name(s: PlotScale) -> &'static str {
    match s {
        PlotScale::Linear => "linear scale",
        PlotScale::Log => "log scale",
    }
}

fn caption_and_exclusions(ui: &mut egui::Ui, p: &Prepared) {
    ui.add_space(2.0);
    let k = crate::ui::presenter::type_scale(ui);
    ui.label(RichText::new(&p.caption).size(11.5 * k));
    if !p.cmp.excluded.is_empty() {
        egui::CollapsingHeader::new(format!(
            "{} selected figure(s) not shown in {}",
            p.cmp.excluded.len(),
            p.cmp.measure.label()
        ))
        .id_salt("caps_excluded")
        .show(ui, |ui| {
            for e in &p.cmp.excluded {
                ui.label(RichText::new(format!("{} — {}", e.label, e.reason)).small());
            }
        });
    }
}

pub fn axis_label(measure: Measure, h100_tpp: u64, scale: PlotScale) -> String {
    let base = match measure {
        Measure::H100eByTpp => format!(
            "H100-equivalents by TPP (1 H100e = {} TPP)",
            format::thousands(h100_tpp)
        ),
        Measure::Tpp => "Total Processing Performance (TPP)".to_string(),
        Measure::Source(UnitFamily::H100) => format!(
            "H100 units as the sources counted them (caps: TPP ÷ {})",
            format::thousands(h100_tpp)
        ),
        Measure::Source(f) => format!("{} (as the sources counted them)", f.label()),
    };
    format!("{base}{}", super::scale_suffix(scale))
}

fn value_text(measure: Measure, value: f64, approx: bool) -> String {
    let v = value.round().max(0.0) as u64;
    let s = match measure {
        // The axis names the unit; "TPP" after every bar would crowd the labels.
        Measure::Tpp => format::tpp(v),
        _ => format::thousands(v),
    };
    if approx { format!("~{s}") } else { s }
}

fn prepare(cat: &Catalogue, key: &Key) -> Prepared {
    let cmp = cat.compare(&key.selected, key.measure);
    let n = cmp.rows.len();
    let scale = key.scale;
    let args: Vec<f64> = (0..n).map(|i| (n - 1 - i) as f64).collect();
    let mut labels = vec![String::new(); n];
    for (i, r) in cmp.rows.iter().enumerate() {
        labels[n - 1 - i] = r.label.clone();
    }
    let plot_values: Vec<f64> = cmp
        .rows
        .iter()
        .map(|r| axis::to_plot(r.value, scale))
        .collect();
    let what_if_raw = what_if_raw_values(cat, key, &cmp);
    let base = match scale {
        PlotScale::Linear => 0.0,
        // Bars start at the decade below the smallest value (keeping at least 0.3 decade of
        // bar), so every bar is visible and their ends compare.
        PlotScale::Log => {
            let min = plot_values.iter().copied().fold(f64::INFINITY, f64::min);
            (min - 0.3).floor().max(0.0)
        }
    };
    let what_if_values: Vec<Option<(f64, String)>> = what_if_raw
        .iter()
        .map(|v| {
            v.map(|v| {
                (
                    axis::to_plot(v, scale).max(base),
                    format!("  what-if: {}", value_text(key.measure, v, false)),
                )
            })
        })
        .collect();
    let top = plot_values
        .iter()
        .copied()
        .chain(what_if_values.iter().flatten().map(|(v, _)| *v))
        .fold(base, f64::max);
    // Room on the right for the value labels.
    let x_max = top + (top - base).max(1e-9) * 0.22;
    let value_texts: Vec<String> = cmp
        .rows
        .iter()
        .map(|r| {
            let approx = matches!(cat.entry(&r.id), Some(Entry::Figure(f)) if f.approx);
            // Leading spaces keep the label off the bar's end.
            format!("  {}", value_text(key.measure, r.value, approx))
        })
        .collect();
    let axis_label = axis_label(key.measure, cat.converter.h100_tpp(), scale);
    let caption = caption(cat, &cmp);
    let description = format!(
        "{TITLE}. Horizontal bar chart. X axis: {axis_label}. {}{}",
        cmp.rows
            .iter()
            .zip(&value_texts)
            .zip(&what_if_values)
            .map(|((r, t), w)| match w {
                Some((_, wt)) => format!("{}: {} ({})", r.label, t.trim_start(), wt.trim_start()),
                None => format!("{}: {}", r.label, t.trim_start()),
            })
            .collect::<Vec<_>>()
            .join("; "),
        key.what_if.as_ref().map_or(String::new(), |(n, _)| format!(
            ". What-if “{n}”: not the rule as written"
        ))
    );
    Prepared {
        cmp,
        args,
        labels,
        plot_values,
        value_texts,
        what_if_values,
        base,
        x_max,
        axis_label,
        caption,
        description,
    }
}

/// Per row, the value in the key's measure under the what-if, for the caps it changes.
fn what_if_raw_values(cat: &Catalogue, key: &Key, cmp: &Comparison) -> Vec<Option<f64>> {
    let Some((_, caps)) = &key.what_if else {
        return vec![None; cmp.rows.len()];
    };
    cmp.rows
        .iter()
        .map(|r| {
            let (_, tpp) = caps.iter().find(|(id, _)| *id == r.id)?;
            let Some(Entry::Cap(c)) = cat.entry(&r.id) else {
                return None;
            };
            let cap = crate::fleets::Cap {
                tpp: *tpp,
                ..c.clone()
            };
            cat.converter.cap_value(&cap, key.measure).ok()
        })
        .collect()
}

fn caption(cat: &Catalogue, cmp: &Comparison) -> String {
    let mut cites: Vec<String> = Vec::new();
    let mut publishers: Vec<&str> = Vec::new();
    for r in &cmp.rows {
        match cat.entry(&r.id) {
            Some(Entry::Cap(c)) => {
                // The short citation; caveats are in the tooltip.
                for cite in without_parentheticals(&c.provenance.cite).split("; ") {
                    let cite = cite.trim().to_string();
                    if !cites.contains(&cite) {
                        cites.push(cite);
                    }
                }
            }
            Some(Entry::Figure(f)) if !publishers.contains(&f.source.publisher.as_str()) => {
                publishers.push(&f.source.publisher);
            }
            _ => {}
        }
    }
    let mut s = String::from(if cmp.is_demo_preset {
        "The article's comparison. "
    } else {
        ""
    });
    let has = |class| cmp.rows.iter().any(|r| r.class == class);
    if has(RowClass::Cap) {
        s.push_str(&format!(
            "Blue: the rule's caps (ruleset: {}), which bind a whole country, or one NVEU entity \
             in a country, or one LPP consignee a year.",
            cites.join("; ")
        ));
    }
    let kinds: Vec<&str> = [
        (RowClass::Company, "orange: company purchases and fleets"),
        (RowClass::NationalProgramme, "green: national programmes"),
    ]
    .into_iter()
    .filter(|(c, _)| has(*c))
    .map(|(_, t)| t)
    .collect();
    if !kinds.is_empty() {
        s.push_str(&format!(" {}", capitalise(&kinds.join("; "))));
        if !publishers.is_empty() {
            s.push_str(&format!(" ({})", publishers.join("; ")));
        }
        s.push('.');
    }
    s.push_str(" Hover a bar for its source and confidence.");
    s
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// "15 CFR 748.15 (NVEU phase-in; table not read)" → "15 CFR 748.15"; keeps "742.6(b)(10)".
fn without_parentheticals(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if depth == 0 && c == ' ' && chars.peek() == Some(&'(') {
            depth = 1;
            chars.next();
            continue;
        }
        if depth > 0 {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            continue;
        }
        out.push(c);
    }
    out
}

fn provenance_rows(ui: &mut egui::Ui, rows: &[(&str, String)]) {
    egui::Grid::new("tooltip_rows")
        .num_columns(2)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            for (k, v) in rows {
                if v.is_empty() {
                    continue;
                }
                ui.label(RichText::new(*k).weak());
                ui.label(v);
                ui.end_row();
            }
        });
}

fn figure_tooltip(ui: &mut egui::Ui, cat: &Catalogue, f: &Figure, value: &str, measure: Measure) {
    ui.label(RichText::new(format!("{} — {}", f.owner, f.what)).strong());
    let counted = format!(
        "{}{} {}",
        if f.approx { "~" } else { "" },
        format::thousands(f.value),
        f.unit.label()
    );
    let shown = match measure {
        Measure::Source(_) => counted.clone(),
        Measure::Tpp => format!(
            "{value} (= {counted} × {} TPP)",
            format::thousands(cat.converter.h100_tpp())
        ),
        Measure::H100eByTpp => format!("{value} H100e by TPP (= {counted})"),
    };
    let source = format!(
        "\u{201c}{}\u{201d} — {}",
        f.source.title, f.source.publisher
    );
    let accessed = f
        .source
        .accessed
        .map_or_else(|| "not recorded".to_string(), |d| d.to_string());
    provenance_rows(
        ui,
        &[
            ("Value", shown),
            ("Year", f.period.clone()),
            ("Unit", f.unit.label().to_string()),
            ("Chips", f.chip.clone()),
            ("Source", source),
            ("Quality", f.source.quality.label().to_string()),
            ("Confidence", f.confidence.label().to_string()),
            ("URL", f.source.url.clone()),
            ("Accessed", accessed),
            ("Note", f.note.clone()),
        ],
    );
    ui.label(
        RichText::new("Click the bar to open the source.")
            .small()
            .weak(),
    );
}

fn cap_tooltip(ui: &mut egui::Ui, cat: &Catalogue, c: &Cap, value: &str, measure: Measure) {
    ui.label(RichText::new(&c.what).strong());
    let shown = match measure {
        Measure::Tpp => format!("{value} ({})", c.derivation),
        _ => format!("{value} H100e ({})", cat.converter.h100e_derivation(c.tpp)),
    };
    provenance_rows(
        ui,
        &[
            ("Value", shown),
            ("Ruleset", c.parameter.clone()),
            ("Cite", c.provenance.cite.clone()),
            ("Source", c.provenance.source.clone()),
            ("Note", c.provenance.note.clone()),
        ],
    );
    ui.horizontal(|ui| {
        ui.label(RichText::new("Confidence").weak());
        theme::confidence_badge(ui, c.provenance.confidence);
    });
}
