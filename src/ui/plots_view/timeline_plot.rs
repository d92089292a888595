//! Plot 2: a Tier 2 country's allocation over time against the session's cumulative draw-down.

use super::axis;
use crate::fleets::timeline::day_number;
use crate::fleets::{AllocationTimeline, DrawPoint, RunOut};
use crate::format;
use crate::rules::{CountryCode, Engine, Ruleset, Tier};
use crate::session::{PlotScale, PlotSettings, PlotUnit, Workspace};
use crate::ui::{AppAction, theme};
use egui::{Align2, RichText};
use egui_plot::{
    AxisHints, GridInput, GridMark, Line, LineStyle, MarkerShape, Plot, PlotPoint, PlotTransform,
    Points, Text,
};
use jiff::civil::Date;

#[derive(Debug, Clone, PartialEq)]
struct Key {
    country: CountryCode,
    unit: PlotUnit,
    scale: PlotScale,
    limit: Option<u64>,
    /// Hash of (order id, date, TPP) of the country's drawing orders, in book order: edits
    /// that move the line change it, and no order data is copied per frame.
    draws: u64,
    n_orders: usize,
}

/// What one key shows, computed when it changes: the texts, and the geometry apart.
struct Prepared {
    timeline: AllocationTimeline,
    y_label: String,
    run_out_text: String,
    limit_legend: String,
    /// "NVEU steps above this range: …" on a linear axis, when they are.
    above_note: Option<String>,
    caption: String,
    description: String,
    geometry: Geometry,
}

/// What the plot draws, in plot coordinates, so frames only hand egui_plot borrowed slices.
struct Geometry {
    x_range: (f64, f64),
    y_range: (f64, f64),
    limit_line: Vec<PlotPoint>,
    nveu: Vec<PlotPoint>,
    draw: Vec<PlotPoint>,
    markers: Vec<PlotPoint>,
    projection: Vec<PlotPoint>,
    run_out_label: Option<(PlotPoint, String)>,
    /// The NVEU steps (indices into the timeline's) above `y_range`, which a linear axis leaves
    /// out to keep the allocation in view.
    nveu_above: Vec<usize>,
}

/// Plot coordinates: dates as day numbers, amounts in the unit shown, on the scale.
#[derive(Clone, Copy)]
struct Coords {
    /// TPP per unit shown.
    divisor: f64,
    scale: PlotScale,
}

impl Coords {
    fn x(self, d: Date) -> f64 {
        day_number(d) as f64
    }

    fn y(self, tpp: u64) -> f64 {
        self.y_of(tpp as f64)
    }

    fn y_of(self, tpp: f64) -> f64 {
        axis::to_plot(tpp / self.divisor, self.scale)
    }
}

#[derive(Default)]
pub struct TimelinePlot {
    cache: Option<(Key, Result<Prepared, String>)>,
    transform: Option<PlotTransform>,
    /// What is typed in the country picker's search field.
    country_query: String,
}

impl super::Plot for TimelinePlot {
    fn id(&self) -> &'static str {
        super::ALLOCATION_PLOT
    }

    fn label(&self) -> &'static str {
        "Allocation over time"
    }

    fn export_stem(&self, settings: &PlotSettings) -> String {
        match settings.country {
            Some(c) => format!("allocation-{}", c.as_str().to_ascii_lowercase()),
            None => "allocation".to_string(),
        }
    }

    fn controls(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        country_combo(
            ui,
            &ws.engine,
            &mut ws.session.view.plots,
            &mut self.country_query,
        );
    }

    fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, _cx: &super::PlotCx) -> Vec<AppAction> {
        self.draw(ui, ws)
    }

    fn reset(&mut self) {
        self.cache = None;
        self.transform = None;
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl TimelinePlot {
    pub fn point_screen_pos(&self, order_id: &str) -> Option<egui::Pos2> {
        let (_, Ok(p)) = self.cache.as_ref()? else {
            return None;
        };
        let i = p
            .timeline
            .draws
            .iter()
            .position(|d| d.order_id == order_id)?;
        Some(
            self.transform?
                .position_from_point(p.geometry.markers.get(i)?),
        )
    }

    pub fn draw(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction> {
        let settings = &ws.session.view.plots;
        let Some(country) = settings.country.or_else(|| most_drawn(ws)) else {
            ui.label(RichText::new("Allocation over time").heading().strong());
            ui.label("Choose a Tier 2 country in the Country list above (or from the map).");
            self.transform = None;
            return Vec::new();
        };
        let key = key(ws, country, settings);
        if self.cache.as_ref().is_none_or(|(k, _)| *k != key) {
            let prepared = prepare(ws, country, settings);
            self.cache = Some((key, prepared));
        }
        let Some((key, prepared)) = &self.cache else {
            return Vec::new();
        };
        let actions = heading(ui, ws.engine.countries().name(country), country);
        let p = match prepared {
            Ok(p) => p,
            Err(e) => {
                ui.label(e);
                self.transform = None;
                return actions;
            }
        };
        legend(ui, p);

        let plot = plot_frame(p, key.scale, (ui.available_height() - 48.0).max(180.0));
        let text_color = ui.visuals().text_color();
        let resp = plot.show(ui, |pui| {
            lines(pui, &p.geometry, text_color);
            hovered_marker(pui, &p.geometry.markers)
        });
        resp.response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::accesskit::Role::Image, true, &p.description)
        });
        let t = &p.timeline;
        if let Some(i) = resp.inner
            && let Some(d) = t.draws.get(i)
        {
            let h100 = ws.engine.ruleset().h100_tpp.value.max(1) as f64;
            resp.response
                .clone()
                .on_hover_ui_at_pointer(|ui| draw_tooltip(ui, d, t.limit_tpp, h100));
        }
        self.transform = Some(resp.transform);
        ui.label(RichText::new(&p.caption).small());
        actions
    }
}

/// The plot's title, with buttons to show the country on the map and to order for it.
fn heading(ui: &mut egui::Ui, name: &str, country: CountryCode) -> Vec<AppAction> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!("Allocation over time: {name} ({country})"))
                .heading()
                .strong(),
        );
        if ui.small_button("Show on map").clicked() {
            actions.push(AppAction::SelectCountry(country));
            actions.push(AppAction::ShowView(crate::ui::map_view::ID));
        }
        if ui.small_button(format!("New order for {name}")).clicked() {
            actions.push(AppAction::StartOrderFor(country));
        }
    });
    actions
}

/// When the allocation runs out, what each line is, and the NVEU steps above the range.
fn legend(ui: &mut egui::Ui, p: &Prepared) {
    ui.label(RichText::new(&p.run_out_text).strong());
    ui.horizontal_wrapped(|ui| {
        super::caps_plot::legend_entry(ui, theme::US_BLUE, &p.limit_legend);
        super::caps_plot::legend_entry(ui, theme::PURPLE, "NVEU limit per validated end user");
        super::caps_plot::legend_entry(
            ui,
            theme::TIER3_VERMILION,
            "Session orders, cumulative (dashed: projection)",
        );
    });
    if let Some(note) = &p.above_note {
        ui.label(RichText::new(note).small().weak());
    }
}

/// The plot with its axes: order dates, amounts on the settings' scale.
fn plot_frame(p: &Prepared, scale: PlotScale, height: f32) -> Plot<'_> {
    let g = &p.geometry;
    let plot = axis::fixed(Plot::new("allocation_over_time"))
        .height(height)
        .custom_x_axes(vec![
            AxisHints::new_x()
                .label("Order date")
                .formatter(|m, _| date_tick(m.value))
                .label_spacing(48.0..=64.0),
        ])
        .custom_y_axes(vec![
            AxisHints::new_y()
                .label(p.y_label.as_str())
                .formatter(move |m, r| axis::tick_label(m, r, scale)),
        ])
        .x_grid_spacer(month_marks)
        .show_y(false)
        // Bounds are the settings', not the data's: the view cannot be panned or zoomed, so
        // the plot memory is reset every frame and a unit or scale switch shows at once.
        .default_x_bounds(g.x_range.0, g.x_range.1)
        .default_y_bounds(g.y_range.0, g.y_range.1)
        .reset();
    match scale {
        PlotScale::Log => plot.y_grid_spacer(axis::log_marks),
        PlotScale::Linear => plot,
    }
}

/// The allocation, the NVEU steps, the session's draw-down with its orders, and its projection.
fn lines<'a>(pui: &mut egui_plot::PlotUi<'a>, g: &'a Geometry, text_color: egui::Color32) {
    pui.line(
        Line::new("allocation", &g.limit_line[..])
            .color(theme::US_BLUE)
            .width(2.5)
            .allow_band(false)
            .allow_hover(false),
    );
    pui.line(
        Line::new("nveu", &g.nveu[..])
            .color(theme::PURPLE)
            .style(LineStyle::dashed_loose())
            .width(1.5)
            .allow_band(false)
            .allow_hover(false),
    );
    if !g.draw.is_empty() {
        pui.line(
            Line::new("draw-down", &g.draw[..])
                .color(theme::TIER3_VERMILION)
                .width(2.5)
                .allow_band(false)
                .allow_hover(false),
        );
        pui.points(
            Points::new("draw-points", &g.markers[..])
                .shape(MarkerShape::Circle)
                .radius(3.5)
                .filled(true)
                .color(theme::TIER3_VERMILION)
                .allow_hover(false),
        );
    }
    if !g.projection.is_empty() {
        pui.line(
            Line::new("projection", &g.projection[..])
                .color(theme::TIER3_VERMILION)
                .style(LineStyle::dashed_dense())
                .width(1.5)
                .allow_band(false)
                .allow_hover(false),
        );
    }
    if let Some((at, text)) = &g.run_out_label {
        pui.text(
            Text::new("", *at, RichText::new(text).size(12.0))
                .id("run-out-label")
                .anchor(Align2::LEFT_BOTTOM)
                .color(text_color)
                .allow_hover(false),
        );
    }
}

/// The order marker nearest the pointer, within 10 points of it (its index in the draws).
fn hovered_marker(pui: &egui_plot::PlotUi, markers: &[PlotPoint]) -> Option<usize> {
    let inside = pui.response().contains_pointer();
    let pointer = pui.pointer_coordinate().filter(|_| inside)?;
    let tr = *pui.transform();
    let at = tr.position_from_point(&pointer);
    markers
        .iter()
        .enumerate()
        .map(|(i, m)| (i, tr.position_from_point(m).distance(at)))
        .filter(|(_, d)| *d <= 10.0)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// A hovered order: its date and draw, and what is drawn so far of the limit.
fn draw_tooltip(ui: &mut egui::Ui, d: &DrawPoint, limit_tpp: u64, h100: f64) {
    let h100e = |tpp: u64| format::thousands((tpp as f64 / h100).round() as u64);
    ui.label(RichText::new(format!("Order {}", d.order_id)).strong());
    ui.label(format!(
        "{} · draws {} TPP ({} H100e)",
        d.date,
        format::tpp(d.tpp),
        h100e(d.tpp)
    ));
    ui.label(format!(
        "Drawn so far {} TPP ({} H100e) of {} TPP",
        format::tpp(d.cumulative_tpp),
        h100e(d.cumulative_tpp),
        format::tpp(limit_tpp)
    ));
}

/// The Tier 2 destination whose allocation the session draws most (for a first look).
fn most_drawn(ws: &Workspace) -> Option<CountryCode> {
    ws.engine
        .countries()
        .all()
        .iter()
        .map(|c| (c.alpha2, ws.summary().country(c.alpha2).drawn_tpp))
        .filter(|(_, d)| *d > 0)
        .max_by_key(|(_, d)| *d)
        .map(|(c, _)| c)
}

fn key(ws: &Workspace, country: CountryCode, s: &PlotSettings) -> Key {
    use std::hash::{Hash, Hasher};
    let use_ = ws.summary().country(country);
    let orders = ws.orders();
    let decisions = ws.decisions();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for &i in &use_.orders {
        if let (Some(o), Some(d)) = (orders.get(i), decisions.get(i))
            && d.counts_against_allocation()
        {
            (&o.id, o.date, d.allocation_draw).hash(&mut h);
        }
    }
    Key {
        country,
        unit: s.unit,
        scale: s.scale,
        limit: use_.allocation_tpp,
        draws: h.finish(),
        n_orders: use_.orders.len(),
    }
}

/// The country's timeline, its geometry in plot coordinates, then the texts around it.
fn prepare(ws: &Workspace, country: CountryCode, s: &PlotSettings) -> Result<Prepared, String> {
    let engine = &ws.engine;
    let t = AllocationTimeline::new(
        engine,
        &ws.session.scenario,
        ws.orders(),
        ws.decisions(),
        country,
    )
    .map_err(|e| e.to_string())?;
    let rs = engine.ruleset();
    let (divisor, unit_short, y_base) = unit_terms(s.unit, rs.h100_tpp.value.max(1));
    let geometry = geometry(
        &t,
        Coords {
            divisor,
            scale: s.scale,
        },
    );
    let above_note = above_note(&t, &geometry.nveu_above, divisor, unit_short);
    let limit_legend = limit_legend(&t, rs);
    let y_label = format!("{y_base}{}", super::scale_suffix(s.scale));
    let caption = caption(&t, engine, country, s.unit);
    let run_out_text = t.run_out_text();
    let description = format!(
        "Allocation over time for {}. Line chart. X axis: order date. Y axis: {y_label}. {run_out_text}",
        t.country_name
    );
    Ok(Prepared {
        timeline: t,
        y_label,
        run_out_text,
        limit_legend,
        above_note,
        caption,
        description,
        geometry,
    })
}

/// What one TPP is divided by in the unit shown, the unit's short name, and the y axis title.
fn unit_terms(unit: PlotUnit, h100: u64) -> (f64, &'static str, String) {
    match unit {
        PlotUnit::H100eByTpp => (
            h100 as f64,
            "H100e",
            format!(
                "Cumulative H100e by TPP (1 H100e = {} TPP)",
                format::thousands(h100)
            ),
        ),
        PlotUnit::Tpp => (1.0, "TPP", "Cumulative TPP".to_string()),
        PlotUnit::SourceUnits => (
            1.0,
            "TPP",
            "Cumulative TPP (the rule's own unit)".to_string(),
        ),
    }
}

/// The lines, markers and bounds of the timeline in plot coordinates.
fn geometry(t: &AllocationTimeline, c: Coords) -> Geometry {
    let (x0, x1) = (c.x(t.start), c.x(t.end));
    let limit_line = vec![
        PlotPoint::new(x0, c.y(t.limit_tpp)),
        PlotPoint::new(x1, c.y(t.limit_tpp)),
    ];
    let nveu = nveu_steps(t, c);
    let (draw, markers) = draw_down(t, c);
    let (projection, run_out_label) = projection(t, c);
    let (y_min, y_max) = y_bounds(t, c, [&nveu[..], &limit_line, &draw]);
    let nveu_above = t
        .nveu_steps
        .iter()
        .enumerate()
        .filter(|(_, step)| c.y(step.cumulative_tpp) > y_max)
        .map(|(i, _)| i)
        .collect();
    Geometry {
        x_range: (x0 - 15.0, x1),
        y_range: (y_min, y_max.max(y_min + 1e-9)),
        limit_line,
        nveu,
        draw,
        markers,
        projection,
        run_out_label,
        nveu_above,
    }
}

/// The NVEU phase-in: flat at each step's limit until the step's date.
fn nveu_steps(t: &AllocationTimeline, c: Coords) -> Vec<PlotPoint> {
    let mut nveu = Vec::with_capacity(t.nveu_steps.len() * 2);
    let mut from = c.x(t.start);
    for step in &t.nveu_steps {
        nveu.push(PlotPoint::new(from, c.y(step.cumulative_tpp)));
        nveu.push(PlotPoint::new(c.x(step.until), c.y(step.cumulative_tpp)));
        from = c.x(step.until);
    }
    nveu
}

/// The session's cumulative draw as a staircase, flat until an order's date, then up by what it
/// draws; and a marker per order at its step's top.
fn draw_down(t: &AllocationTimeline, c: Coords) -> (Vec<PlotPoint>, Vec<PlotPoint>) {
    let mut draw = Vec::with_capacity(t.draws.len() * 2 + 1);
    let mut markers = Vec::with_capacity(t.draws.len());
    let mut prev = 0u64;
    if c.scale == PlotScale::Linear && !t.draws.is_empty() {
        draw.push(PlotPoint::new(c.x(t.start), 0.0));
    }
    for d in &t.draws {
        // Zero has no place on a log axis: the staircase starts at the first order.
        if prev > 0 || c.scale == PlotScale::Linear {
            draw.push(PlotPoint::new(c.x(d.date), c.y(prev)));
        }
        draw.push(PlotPoint::new(c.x(d.date), c.y(d.cumulative_tpp)));
        markers.push(PlotPoint::new(c.x(d.date), c.y(d.cumulative_tpp)));
        prev = d.cumulative_tpp;
    }
    (draw, markers)
}

/// The dashed line from the last order at the session's pace: to the run-out date (labelled),
/// or to the period's end when the allocation lasts.
fn projection(t: &AllocationTimeline, c: Coords) -> (Vec<PlotPoint>, Option<(PlotPoint, String)>) {
    match (&t.run_out, t.draws.last()) {
        (RunOut::Projected { on, .. }, Some(last)) => (
            vec![
                PlotPoint::new(c.x(last.date), c.y(last.cumulative_tpp)),
                PlotPoint::new(c.x(*on), c.y(t.limit_tpp)),
            ],
            Some((
                PlotPoint::new(c.x(*on), c.y(t.limit_tpp)),
                format!(" runs out {on}"),
            )),
        ),
        (RunOut::NotBefore { end, tpp_per_day }, Some(last)) => {
            let days = (day_number(*end) - day_number(last.date)) as f64;
            let at_end = (last.cumulative_tpp as f64 + tpp_per_day * days).min(t.limit_tpp as f64);
            (
                vec![
                    PlotPoint::new(c.x(last.date), c.y(last.cumulative_tpp)),
                    PlotPoint::new(c.x(*end), c.y_of(at_end)),
                ],
                None,
            )
        }
        _ => (Vec::new(), None),
    }
}

/// The y axis range for `lines`. On a linear axis the NVEU steps (per entity, up to ~6× a
/// country's cap) would flatten the allocation and the orders: the range keeps the allocation
/// in view and `above_note` names the steps above it.
fn y_bounds(t: &AllocationTimeline, c: Coords, lines: [&[PlotPoint]; 3]) -> (f64, f64) {
    let ys = || lines.iter().flat_map(|l| l.iter()).map(|p| p.y);
    let all_max = ys().fold(0.0, f64::max);
    let focus = c.y(t.limit_tpp.max(t.drawn_tpp)) * 1.35;
    match c.scale {
        PlotScale::Linear if all_max > focus => (0.0, focus),
        PlotScale::Linear => (0.0, all_max * 1.08),
        PlotScale::Log => {
            let lo = ys().fold(f64::INFINITY, f64::min).floor().max(0.0);
            (lo, all_max + (all_max - lo).max(1e-9) * 0.08)
        }
    }
}

/// "NVEU steps above this range: …", when a linear axis leaves steps out.
fn above_note(
    t: &AllocationTimeline,
    above: &[usize],
    divisor: f64,
    unit_short: &str,
) -> Option<String> {
    let above: Vec<String> = above
        .iter()
        .map(|&i| {
            let step = &t.nveu_steps[i];
            format!(
                "{} by {}",
                axis::compact(step.cumulative_tpp as f64 / divisor),
                step.until
            )
        })
        .collect();
    (!above.is_empty()).then(|| {
        format!(
            "NVEU steps above this range: {} {unit_short} (the log scale shows them).",
            above.join(", ")
        )
    })
}

/// The allocation line's legend: the limit, doubled under a g2g arrangement.
fn limit_legend(t: &AllocationTimeline, rs: &Ruleset) -> String {
    if t.g2g {
        format!(
            "Allocation ×{} with G2G ({} TPP)",
            rs.g2g_multiplier.value,
            format::tpp(t.limit_tpp)
        )
    } else {
        format!("Country allocation ({} TPP)", format::tpp(t.limit_tpp))
    }
}

/// Where each line comes from: the ruleset parameters with their citations and confidence.
fn caption(
    t: &AllocationTimeline,
    engine: &Engine,
    country: CountryCode,
    unit: PlotUnit,
) -> String {
    let rs = engine.ruleset();
    let nveu_param = &rs.nveu_schedule;
    let name = &t.country_name;
    let period = format!("{}–{}", t.start.year(), t.end.year());
    let limit_source = limit_source(t, rs);
    let mut caption = format!(
        "Blue: {name}'s {period} allocation from the ruleset, {limit_source}. \
         Purple: the NVEU phase-in for one validated end user in {name} (nveu_schedule; {}; confidence {}); \
         NVEU shipments do not draw the country's allocation. \
         Vermilion: the session's orders to {name} that draw the allocation (licensed, non-VEU), cumulative by order date; \
         dashed: straight-line extrapolation from the first to the last drawing order.",
        nveu_param.cite, nveu_param.confidence
    );
    if unit == PlotUnit::SourceUnits {
        caption.push_str(" Source units: the rule states these caps in TPP.");
    }
    if let Some(tier) = engine.countries().tier(country)
        && tier != Tier::Two
    {
        caption.push_str(&format!(" {name} is in {tier}."));
    }
    caption
}

/// The allocation's ruleset parameters (with the g2g multiplier when it applies), cited.
fn limit_source(t: &AllocationTimeline, rs: &Ruleset) -> String {
    let alloc = &rs.country_allocation_tpp;
    let g2g = &rs.g2g_multiplier;
    if t.g2g {
        format!(
            "country_allocation_tpp × g2g_multiplier ({}; {}; confidence {})",
            alloc.cite,
            g2g.cite,
            alloc.confidence.max(g2g.confidence)
        )
    } else {
        format!(
            "country_allocation_tpp ({}; confidence {})",
            alloc.cite, alloc.confidence
        )
    }
}

fn date_tick(day: f64) -> String {
    match crate::fleets::timeline::date_from_day_number(day.round() as i64) {
        Some(d) => format!("{:04}-{:02}", d.year(), d.month()),
        None => String::new(),
    }
}

/// Grid marks on the first of each month; quarters and years get stronger marks.
fn month_marks(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let (Some(start), Some(end)) = (
        crate::fleets::timeline::date_from_day_number(lo.floor() as i64),
        crate::fleets::timeline::date_from_day_number(hi.ceil() as i64),
    ) else {
        return Vec::new();
    };
    let mut marks = Vec::new();
    let (mut y, mut m) = (start.year(), start.month());
    loop {
        let Ok(d) = Date::new(y, m, 1) else { break };
        if d > end || marks.len() > 600 {
            break;
        }
        let v = day_number(d) as f64;
        if v >= lo {
            let step_size = if m == 1 {
                365.25
            } else if (m - 1) % 3 == 0 {
                91.3
            } else {
                30.44
            };
            marks.push(GridMark {
                value: v,
                step_size,
            });
        }
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    marks
}

/// The Country picker: a combo with a search field; Tier 2 destinations listed when not searching.
pub fn country_combo(ui: &mut egui::Ui, engine: &Engine, p: &mut PlotSettings, query: &mut String) {
    let countries = engine.countries();
    let label = ui.label("Country");
    let selected = p
        .country
        .map(|c| format!("{} ({c})", countries.name(c)))
        .unwrap_or_else(|| "Choose…".to_string());
    egui::ComboBox::from_id_salt("plots_country")
        .selected_text(selected)
        .height(320.0)
        .show_ui(ui, |ui| {
            ui.horizontal(|ui| {
                let l = ui.label("Search countries");
                ui.add(
                    egui::TextEdit::singleline(query)
                        .hint_text("name or ISO code")
                        .desired_width(140.0),
                )
                .labelled_by(l.id);
            });
            let list: Vec<_> = if query.trim().is_empty() {
                let mut all: Vec<_> = countries
                    .all()
                    .iter()
                    .filter(|c| countries.tier(c.alpha2) == Some(Tier::Two))
                    .collect();
                all.sort_by(|a, b| a.name.cmp(&b.name));
                all
            } else {
                countries.search(query)
            };
            for c in list {
                let tier = countries.tier(c.alpha2);
                let text = match tier {
                    Some(Tier::Two) | None => format!("{} ({})", c.name, c.alpha2),
                    Some(t) => format!("{} ({}) · {t}", c.name, c.alpha2),
                };
                if ui
                    .selectable_label(p.country == Some(c.alpha2), text)
                    .clicked()
                {
                    p.country = Some(c.alpha2);
                }
            }
        })
        .response
        .labelled_by(label.id);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_ticks_read_as_year_month() {
        let d: Date = "2025-04-01".parse().unwrap();
        assert_eq!(date_tick(day_number(d) as f64), "2025-04");
    }

    #[test]
    fn month_marks_are_firsts_of_months() {
        let lo = day_number("2025-01-13".parse().unwrap()) as f64;
        let hi = day_number("2025-07-02".parse().unwrap()) as f64;
        let marks = month_marks(GridInput {
            bounds: (lo, hi),
            base_step_size: 1.0,
        });
        let labels: Vec<String> = marks.iter().map(|m| date_tick(m.value)).collect();
        assert_eq!(
            labels,
            [
                "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07"
            ]
        );
        assert_eq!(marks[2].step_size, 91.3);
    }
}
