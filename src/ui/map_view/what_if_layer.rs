//! The map beside a what-if: its label, the countries whose tier it changes outlined, colouring
//! by the what-if's tiers, and what-if mode, where a click moves a country to the next tier.
//!
//! The outline is a mesh built once per what-if change and level of detail (a thick feathered
//! strip around each changed country, in projected units) and placed on screen only when the
//! view moves, like the map's other layers: nothing is stroked per frame.

use super::camera::Camera;
use crate::geo::{WorldMap, tessellate};
use crate::rules::{CountryCode, Tier};
use crate::session::Workspace;
use crate::session::what_if_edit::cycle_tier;
use crate::session::what_if_eval::{WhatIfBook, WhatIfCache};
use crate::ui::theme;
use crate::ui::what_if::{self, WHAT_IF};
#[cfg(test)]
use egui::Pos2;
use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, RichText, Vec2, pos2, vec2};
use std::sync::Arc;

/// Half the outline's width, in points.
const HALF_WIDTH: f32 = 1.6;

/// What the outline mesh was built from.
#[derive(Debug, Clone, PartialEq)]
struct OutlineKey {
    countries: Vec<usize>,
    level: usize,
    pixels_per_point: f32,
}

/// The outline in projected units (x, -y), with each vertex's offset on screen in points.
struct Outline {
    key: OutlineKey,
    mesh: Mesh,
    offsets: Vec<Vec2>,
    screen: Option<(Camera, Arc<Mesh>)>,
}

pub struct WhatIfLayer {
    cache: WhatIfCache,
    /// Outline the countries whose tier the what-if changes.
    pub outline: bool,
    /// Colour countries by their tier under the what-if (else as written).
    pub colour_by_what_if: bool,
    /// What-if mode: a click on a country moves it to the next tier in the chosen what-if.
    pub edit_mode: bool,
    /// The book the changed-country list was computed for, and that list.
    changed: Option<(Arc<WhatIfBook>, Vec<usize>)>,
    outline_mesh: Option<Outline>,
    /// The outcome of the last click in what-if mode.
    notice: Option<String>,
}

impl Default for WhatIfLayer {
    fn default() -> Self {
        Self {
            cache: WhatIfCache::default(),
            outline: true,
            colour_by_what_if: false,
            edit_mode: false,
            changed: None,
            outline_mesh: None,
            notice: None,
        }
    }
}

impl WhatIfLayer {
    /// The chosen what-if, evaluated (`None` without one, or when it cannot be evaluated: then
    /// its label says why).
    pub fn book(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<Arc<WhatIfBook>> {
        let book = what_if::active_or_banner(ui, ws, &mut self.cache);
        if book.is_none() {
            self.edit_mode = false;
        }
        book
    }

    /// The label and the what-if row above the map; the evaluated what-if.
    pub fn controls(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        actions: &mut Vec<crate::ui::AppAction>,
    ) -> Option<Arc<WhatIfBook>> {
        let book = self.book(ui, ws)?;
        what_if::banner(ui, &book);
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut self.outline, "Outline tier changes")
                .on_hover_text("Outline the countries whose tier the what-if changes");
            ui.label("Colour");
            ui.selectable_value(&mut self.colour_by_what_if, false, "As written");
            ui.selectable_value(&mut self.colour_by_what_if, true, "Under the what-if");
            ui.separator();
            ui.toggle_value(&mut self.edit_mode, "What-if mode: click to change tiers")
                .on_hover_text(format!(
                    "Each click on a country moves it to the next tier (1 → 2 → 3 → 1) in “{}”; \
                     every click is recorded in the session's history",
                    book.name()
                ));
            if ui.button("Edit what-ifs…").clicked() {
                actions.push(crate::ui::AppAction::EditWhatIfs);
            }
            if let Some(n) = &self.notice {
                ui.label(RichText::new(n).small());
            }
        });
        Some(book)
    }

    /// In what-if mode, a click on `code` moves it to the next tier (an audited change).
    pub fn click(&mut self, ws: &mut Workspace, code: CountryCode) {
        let Some(name) = ws.session.view.what_if.clone() else {
            return;
        };
        let Some(w) = ws.session.what_if(&name).cloned() else {
            return;
        };
        let name_of = ws.engine.countries().name(code).to_string();
        self.notice = Some(match cycle_tier(&w, &ws.engine, code) {
            Ok((new, tier)) => match ws.save_what_if(Some(&name), new) {
                Ok(()) => format!("{name_of}: {tier} in “{name}”"),
                Err(e) => format!("⚠ {name_of} not changed: {e}"),
            },
            Err(e) => format!("⚠ {e}"),
        });
    }

    /// Map indices of the countries whose tier differs under the what-if (a territory counted
    /// as its parent moves with it), computed once per evaluation.
    fn refresh_changed(&mut self, world: &WorldMap, ws: &Workspace, book: &Arc<WhatIfBook>) {
        if self
            .changed
            .as_ref()
            .is_none_or(|(b, _)| !Arc::ptr_eq(b, book))
        {
            let list = world
                .countries()
                .iter()
                .enumerate()
                .filter(|(_, c)| ws.engine.countries().tier(c.code) != book.tier(c.code))
                .map(|(i, _)| i)
                .collect();
            self.changed = Some((Arc::clone(book), list));
        }
    }

    /// The outline of the changed countries, placed for `camera` (empty when off or none).
    pub fn outline_mesh(
        &mut self,
        world: &WorldMap,
        ws: &Workspace,
        book: &Arc<WhatIfBook>,
        camera: &Camera,
        level: usize,
        pixels_per_point: f32,
    ) -> Option<Arc<Mesh>> {
        if !self.outline {
            return None;
        }
        self.refresh_changed(world, ws, book);
        let changed = self.changed.as_ref().map_or(&[][..], |(_, l)| l.as_slice());
        if changed.is_empty() {
            return None;
        }
        let stale = self.outline_mesh.as_ref().is_none_or(|o| {
            o.key.countries != changed
                || o.key.level != level
                || o.key.pixels_per_point != pixels_per_point
        });
        if stale {
            let key = OutlineKey {
                countries: changed.to_vec(),
                level,
                pixels_per_point,
            };
            let (mesh, offsets) = build_outline(world, &key);
            self.outline_mesh = Some(Outline {
                key,
                mesh,
                offsets,
                screen: None,
            });
        }
        let o = self.outline_mesh.as_mut()?;
        if o.screen.as_ref().is_none_or(|(c, _)| c != camera) {
            let origin = camera.origin();
            let scale = camera.scale as f32;
            let vertices = o
                .mesh
                .vertices
                .iter()
                .zip(&o.offsets)
                .map(|(v, off)| Vertex {
                    pos: origin + v.pos.to_vec2() * scale + *off,
                    ..*v
                })
                .collect();
            let placed = Arc::new(Mesh {
                indices: o.mesh.indices.clone(),
                vertices,
                texture_id: o.mesh.texture_id,
            });
            o.screen = Some((*camera, placed));
        }
        o.screen.as_ref().map(|(_, m)| Arc::clone(m))
    }

    /// The legend's what-if lines: what the outline means and the first changes.
    pub fn legend(&self, ui: &mut egui::Ui, ws: &Workspace, book: &WhatIfBook) {
        ui.add_space(4.0);
        ui.label(
            RichText::new("What-if")
                .small()
                .strong()
                .color(crate::ui::what_if::text_color(ui)),
        );
        if self.outline && !book.tier_changes.is_empty() {
            ui.horizontal(|ui| {
                let h = ui.text_style_height(&egui::TextStyle::Small);
                let (r, _) = ui.allocate_exact_size(vec2(h * 0.9, h), egui::Sense::hover());
                ui.painter().rect_stroke(
                    egui::Rect::from_center_size(r.center(), vec2(h * 0.8, h * 0.6)),
                    1.0,
                    egui::Stroke::new(2.0, WHAT_IF),
                    egui::StrokeKind::Inside,
                );
                ui.label(RichText::new("Outlined: tier changed").small());
            });
        }
        let countries = ws.engine.countries();
        for (c, from, to) in book.tier_changes.iter().take(5) {
            ui.label(
                RichText::new(format!(
                    "{}: {} → {}",
                    countries.name(*c),
                    tier_short(*from),
                    tier_short(*to)
                ))
                .small(),
            );
        }
        if book.tier_changes.len() > 5 {
            ui.label(RichText::new(format!("… {} more", book.tier_changes.len() - 5)).small());
        }
        if book.tier_changes.is_empty() {
            ui.label(RichText::new("No country changes tier").small().weak());
        }
        let shown = if self.colour_by_what_if {
            "Colours under the what-if"
        } else {
            "Colours as written"
        };
        ui.label(RichText::new(shown).small().color(theme::GREY));
    }
}

fn tier_short(t: Tier) -> String {
    format!("T{}", t.number())
}

/// A strip of width 2 × HALF_WIDTH points (plus one pixel of feather on each side) around the
/// rings of the key's countries, in projected units; offsets in points.
fn build_outline(world: &WorldMap, key: &OutlineKey) -> (Mesh, Vec<Vec2>) {
    let rings = &world.level(key.level).rings;
    let lines = tessellate::thin_lines(key.countries.iter().flat_map(|&i| rings.country_rings(i)));
    let feather = 1.0 / key.pixels_per_point.max(0.1);
    let across = [
        (-(HALF_WIDTH + feather), Color32::TRANSPARENT),
        (-HALF_WIDTH, WHAT_IF),
        (HALF_WIDTH, WHAT_IF),
        (HALF_WIDTH + feather, Color32::TRANSPARENT),
    ];
    let points = lines.positions.len() / 3;
    let mut mesh = Mesh::default();
    let mut offsets = Vec::with_capacity(points * 4);
    for k in 0..points {
        let p = lines.positions[3 * k];
        let o = lines.offsets[3 * k + 2];
        let normal = vec2(o[0], -o[1]);
        for (w, color) in across {
            mesh.vertices.push(Vertex {
                pos: pos2(p[0], -p[1]),
                uv: WHITE_UV,
                color,
            });
            offsets.push(normal * w);
        }
    }
    // `thin_lines` joins point k to k + 1 with 12 indices starting at vertex 3k.
    for seg in lines.indices.chunks_exact(12) {
        let a = (seg[0] / 3) * 4;
        let b = a + 4;
        for band in 0..3 {
            let (a0, a1, b0, b1) = (a + band, a + band + 1, b + band, b + band + 1);
            mesh.indices.extend([a0, a1, b1, a0, b1, b0]);
        }
    }
    (mesh, offsets)
}

/// Where the outline's vertices land for an origin and scale (tests).
#[cfg(test)]
fn placed(mesh: &Mesh, offsets: &[Vec2], origin: Pos2, scale: f32) -> Vec<Pos2> {
    mesh.vertices
        .iter()
        .zip(offsets)
        .map(|(v, o)| origin + v.pos.to_vec2() * scale + *o)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cc;

    #[test]
    fn the_outline_of_poland_is_a_valid_strip_of_the_stated_width() {
        let world = WorldMap::embedded();
        let pl = world.index_of(cc!("PL")).unwrap();
        let key = OutlineKey {
            countries: vec![pl],
            level: 0,
            pixels_per_point: 1.0,
        };
        let (mesh, offsets) = build_outline(&world, &key);
        assert!(mesh.is_valid());
        assert!(mesh.indices.len() > 100);
        assert_eq!(mesh.vertices.len(), offsets.len());
        // The opaque band is 2 × HALF_WIDTH wide (offsets are unit normals scaled; miters are longer).
        let w = (offsets[2] - offsets[1]).length();
        assert!(w >= 2.0 * HALF_WIDTH - 1e-3, "{w}");
        let pts = placed(&mesh, &offsets, Pos2::ZERO, 100.0);
        assert!(pts.iter().all(|p| p.x.is_finite() && p.y.is_finite()));
    }
}
