//! The world tier map: countries coloured by tier or by allocation use, pan and zoom, hover
//! details, selection with a details panel, search, and markers for countries too small to see.
//!
//! Geometry comes from [`crate::geo`], decoded and triangulated once; this module only recolours
//! cached meshes when colours change and moves them when the view changes.

mod camera;
mod colors;
mod details;
mod layers;
mod toolbar;
mod what_if_layer;

use super::AppAction;
use crate::geo::WorldMap;
use crate::rules::CountryCode;
use crate::session::Workspace;
use crate::session::what_if_eval::WhatIfBook;
use camera::Camera;
use colors::MapStyle;
use egui::{CursorIcon, Pos2, Rect, Sense, Shape, Stroke};
use layers::Layers;
use std::sync::Arc;
use toolbar::{Toolbar, ToolbarOutput};
use what_if_layer::WhatIfLayer;

/// A country whose on-screen size (√area) is below this many points gets a marker.
const MARKER_BELOW: f64 = 2.5;
const MARKER_RADIUS: f32 = 2.5;
/// How close (points) the pointer must be to a marker to pick it.
const MARKER_PICK: f32 = 6.0;
/// Searching zooms in at most this far (Macau, Monaco and the Vatican stay recognisable).
const SEARCH_MAX_ZOOM: f32 = 48.0;

/// Outline rings of one country at one level, in projected (x, -y) units.
struct Highlight {
    country: usize,
    level: usize,
    rings: Vec<Vec<Pos2>>,
}

/// The view's id in the view registry.
pub const ID: &str = "map";

impl super::view::View for MapView {
    fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction> {
        MapView::ui(self, ui, ws)
    }

    fn slide_ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        camera::sanitize(&mut ws.session.view.map);
        let book = self.what_if.book(ui, ws);
        if let Some(b) = &book {
            crate::ui::what_if::banner(ui, b);
            ui.add_space(4.0);
        }
        self.canvas(ui, ws, &ToolbarOutput::default(), book, false);
    }

    fn reset(&mut self, _ws: &Workspace) {
        // The world's meshes do not depend on the session: keep them, drop the rest.
        *self = Self::with_world(Arc::clone(&self.world));
    }

    crate::view_any!();
}

pub struct MapView {
    world: Arc<WorldMap>,
    layers: Layers,
    toolbar: Toolbar,
    /// The map's rect in the last frame.
    last_rect: Option<Rect>,
    legend_rect: Option<Rect>,
    hovered: Option<CountryCode>,
    selected_outline: Option<Highlight>,
    hovered_outline: Option<Highlight>,
    /// The chosen what-if on the map: outlines, colouring, what-if mode.
    what_if: WhatIfLayer,
}

impl MapView {
    pub fn new(_ws: &Workspace) -> Self {
        Self::with_world(WorldMap::embedded())
    }

    /// A view over other geometry than the embedded atlas.
    pub fn with_world(world: Arc<WorldMap>) -> Self {
        Self {
            world,
            layers: Layers::default(),
            toolbar: Toolbar::default(),
            last_rect: None,
            legend_rect: None,
            hovered: None,
            selected_outline: None,
            hovered_outline: None,
            what_if: WhatIfLayer::default(),
        }
    }

    /// Turns what-if mode on or off (clicks move countries to the next tier).
    pub fn set_what_if_mode(&mut self, on: bool) {
        self.what_if.edit_mode = on;
    }

    pub fn what_if_mode(&self) -> bool {
        self.what_if.edit_mode
    }

    pub fn world(&self) -> &WorldMap {
        &self.world
    }

    /// The map's own area (without the toolbar and details panel) in the last frame, in points:
    /// what a printed report crops to.
    pub fn map_rect(&self) -> Option<Rect> {
        self.last_rect
    }

    /// The country under the pointer in the last frame.
    pub fn hovered(&self) -> Option<CountryCode> {
        self.hovered
    }

    /// Where a country's label point (or marker) is on screen, as of the last frame.
    pub fn screen_pos_of(&self, ws: &Workspace, code: CountryCode) -> Option<Pos2> {
        let rect = self.last_rect?;
        let c = self.world.country(code)?;
        let p = Camera::new(rect, &ws.session.view.map).to_screen(c.label);
        rect.contains(p).then_some(p)
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) -> Vec<AppAction> {
        let mut actions = Vec::new();
        camera::sanitize(&mut ws.session.view.map);
        let tools = self
            .toolbar
            .ui(ui, &ws.engine, &mut ws.session.view.map.overlay);
        let book = self.what_if.controls(ui, ws, &mut actions);
        ui.add_space(2.0);
        if let Some(code) = tools.picked {
            ws.session.view.map.selected = Some(code);
        }
        if let Some(code) = ws.session.view.map.selected {
            let drawn = self.world.country(code).is_some();
            let close = egui::Panel::right("map_details")
                .resizable(true)
                .default_size(360.0)
                .size_range(280.0..=520.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("map_details_scroll")
                        .show(ui, |ui| details::panel(ui, ws, code, drawn, &mut actions))
                        .inner
                })
                .inner;
            if close {
                ws.session.view.map.selected = None;
            }
        }
        self.canvas(ui, ws, &tools, book, true);
        actions
    }

    /// The map itself with its legend: interactive in the view, a still picture on a slide.
    fn canvas(
        &mut self,
        ui: &mut egui::Ui,
        ws: &mut Workspace,
        tools: &ToolbarOutput,
        book: Option<Arc<WhatIfBook>>,
        interactive: bool,
    ) {
        let sense = if interactive {
            Sense::click_and_drag()
        } else {
            Sense::hover()
        };
        let (rect, response) = ui.allocate_exact_size(ui.available_size(), sense);
        response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::accesskit::Role::Image,
                true,
                "World map of export tiers",
            )
        });
        self.last_rect = Some(rect);
        if interactive {
            self.navigate(ui, ws, tools, rect, &response);
        }
        let state = &ws.session.view.map;
        let cam = Camera::new(rect, state);
        let overlay = state.overlay;

        let style = MapStyle::of(ui.visuals());
        let markers = self.markers(&cam);
        let over_legend = |p: Pos2| self.legend_rect.is_some_and(|r| r.contains(p));
        self.hovered = response
            .hover_pos()
            .filter(|p| interactive && !over_legend(*p))
            .and_then(|p| self.pick(&cam, &markers, p));
        if response.clicked() {
            let at = response
                .interact_pointer_pos()
                .filter(|p| !over_legend(*p))
                .and_then(|p| self.pick(&cam, &markers, p));
            match at {
                Some(code) if self.what_if.edit_mode && book.is_some() => {
                    self.what_if.click(ws, code)
                }
                _ => ws.session.view.map.selected = at,
            }
        }
        if response.dragged() {
            ui.set_cursor_icon(CursorIcon::Grabbing);
        } else if self.hovered.is_some() {
            ui.set_cursor_icon(CursorIcon::PointingHand);
        }

        let colors = match &book {
            Some(b) if self.what_if.colour_by_what_if => {
                colors::country_colors_under(&b.engine, &b.summary, &self.world, overlay, &style)
            }
            _ => colors::country_colors(ws, &self.world, overlay, &style),
        };
        let ppp = ui.pixels_per_point();
        let painter = ui.painter_at(rect);
        for mesh in self.layers.prepare(&self.world, &cam, ppp, &colors, &style) {
            painter.add(Shape::Mesh(mesh.clone()));
        }
        let level = Layers::level_for(&cam, ppp);
        if let Some(b) = &book
            && let Some(mesh) = self
                .what_if
                .outline_mesh(&self.world, ws, b, &cam, level, ppp)
        {
            painter.add(Shape::Mesh(mesh));
        }
        self.highlights(&painter, ws, &cam, &markers, &colors, &style, level);
        self.legend(ui, rect, ws, &style, book.as_deref());

        if let Some(code) = self.hovered
            && !response.dragged()
        {
            egui::Tooltip::for_enabled(&response)
                .at_pointer()
                .gap(12.0)
                .accessible_name("Country details")
                .show(|ui| details::tooltip(ui, ws, code));
        }
    }

    /// Pan, zoom, search focus and reset, from the toolbar and the pointer.
    fn navigate(
        &mut self,
        ui: &egui::Ui,
        ws: &mut Workspace,
        tools: &ToolbarOutput,
        rect: Rect,
        response: &egui::Response,
    ) {
        let state = &mut ws.session.view.map;
        if let Some(code) = tools.picked
            && let Some(c) = self.world.country(code)
        {
            camera::focus(state, rect, c.focus, SEARCH_MAX_ZOOM);
        }
        if tools.reset_view || response.double_clicked() {
            camera::reset(state);
        }
        if let Some(f) = tools.zoom_by {
            camera::zoom_about(state, rect, rect.center(), f);
        }
        if response.dragged() {
            camera::pan(state, rect, response.drag_delta());
        }
        if let Some(pointer) = response.hover_pos() {
            let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
            let factor = pinch * (scroll * 0.0025).exp();
            if factor != 1.0 {
                camera::zoom_about(state, rect, pointer, factor);
            }
        }
    }

    /// Hover and selection outlines, and the markers of countries too small to see.
    #[allow(clippy::too_many_arguments)]
    fn highlights(
        &mut self,
        painter: &egui::Painter,
        ws: &Workspace,
        cam: &Camera,
        markers: &[(usize, Pos2)],
        colors: &[egui::Color32],
        style: &MapStyle,
        level: usize,
    ) {
        if let Some(i) = self.hovered.and_then(|c| self.world.index_of(c)) {
            let rings = outline(&self.world, &mut self.hovered_outline, i, level);
            paint_rings(
                painter,
                cam,
                rings,
                Stroke::new(1.5, style.highlight.gamma_multiply(0.6)),
            );
        }
        let selected = ws.session.view.map.selected;
        if let Some(i) = selected.and_then(|c| self.world.index_of(c)) {
            let rings = outline(&self.world, &mut self.selected_outline, i, level);
            paint_rings(painter, cam, rings, Stroke::new(2.0, style.highlight));
        }
        for &(i, pos) in markers {
            let code = self.world.countries()[i].code;
            let emphasised = Some(code) == selected || Some(code) == self.hovered;
            let stroke = if Some(code) == selected {
                Stroke::new(2.0, style.highlight)
            } else {
                Stroke::new(1.0, style.border.to_opaque())
            };
            let r = if emphasised {
                MARKER_RADIUS + 1.0
            } else {
                MARKER_RADIUS
            };
            painter.circle(pos, r, colors[i], stroke);
        }
    }

    /// The legend floats over the map's bottom-left corner; its rect keeps hover off the map.
    fn legend(
        &mut self,
        ui: &mut egui::Ui,
        rect: Rect,
        ws: &Workspace,
        style: &MapStyle,
        book: Option<&WhatIfBook>,
    ) {
        let overlay = ws.session.view.map.overlay;
        // An area takes the context's style: give it the map's own (larger type on a slide).
        let ui_style = ui.style().clone();
        let frame = egui::Frame::NONE
            .fill(ui.visuals().panel_fill.gamma_multiply(0.92))
            .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
            .corner_radius(6.0)
            .inner_margin(8.0);
        let r = egui::Area::new(egui::Id::unique("map_legend"))
            .pivot(egui::Align2::LEFT_BOTTOM)
            .fixed_pos(rect.left_bottom() + egui::vec2(10.0, -10.0))
            .constrain_to(rect)
            .interactable(false)
            .show(ui.ctx(), |ui| {
                ui.set_style(ui_style);
                frame.show(ui, |ui| {
                    ui.spacing_mut().item_spacing.y = 3.0;
                    details::legend(ui, ws, overlay, style);
                    if let Some(b) = book {
                        self.what_if.legend(ui, ws, b);
                    }
                })
            })
            .response;
        self.legend_rect = Some(r.rect);
    }

    /// Countries too small to see at this scale, with their marker position on screen.
    fn markers(&self, cam: &Camera) -> Vec<(usize, Pos2)> {
        let visible = cam.rect.expand(MARKER_RADIUS);
        self.world
            .countries()
            .iter()
            .enumerate()
            .filter(|(_, c)| c.area.sqrt() * cam.scale < MARKER_BELOW)
            .map(|(i, c)| (i, cam.to_screen(c.label)))
            .filter(|(_, p)| visible.contains(*p))
            .collect()
    }

    /// The country at a screen position: a marker first, then the shapes.
    fn pick(&self, cam: &Camera, markers: &[(usize, Pos2)], p: Pos2) -> Option<CountryCode> {
        let near = markers
            .iter()
            .map(|&(i, m)| (i, m.distance(p)))
            .filter(|&(_, d)| d <= MARKER_PICK)
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, _)) = near {
            return Some(self.world.countries()[i].code);
        }
        self.world.hit_test(cam.to_map(p))
    }
}

/// The cached outline of country `i` at `level`, rebuilt when either changes.
fn outline<'a>(
    world: &WorldMap,
    cache: &'a mut Option<Highlight>,
    i: usize,
    level: usize,
) -> &'a [Vec<Pos2>] {
    if cache
        .as_ref()
        .is_none_or(|h| h.country != i || h.level != level)
    {
        let rings = world
            .level(level)
            .rings
            .country_rings(i)
            .map(|r| {
                r.iter()
                    .map(|p| Pos2::new(p[0] as f32, -p[1] as f32))
                    .collect()
            })
            .collect();
        *cache = Some(Highlight {
            country: i,
            level,
            rings,
        });
    }
    cache.as_ref().map_or(&[], |h| h.rings.as_slice())
}

fn paint_rings(painter: &egui::Painter, cam: &Camera, rings: &[Vec<Pos2>], stroke: Stroke) {
    let origin = cam.origin();
    let scale = cam.scale as f32;
    let clip = painter.clip_rect().expand(stroke.width);
    for ring in rings {
        let pts: Vec<Pos2> = ring.iter().map(|p| origin + p.to_vec2() * scale).collect();
        let bounds = Rect::from_points(&pts);
        if bounds.intersects(clip) && pts.len() >= 2 {
            painter.add(Shape::line(pts, stroke));
        }
    }
}
