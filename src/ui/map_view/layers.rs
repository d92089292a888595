//! The map's meshes: built once per level of detail, recoloured only when the colours change, and
//! moved to the screen only when the view changes. Nothing is triangulated or stroked per frame.

use super::camera::Camera;
use super::colors::MapStyle;
use crate::geo::{Fill, Lines, WorldMap, projection, tessellate};
use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Vec2, pos2, vec2};
use std::sync::Arc;

/// Largest simplification error allowed on screen, in physical pixels.
const MAX_ERROR_PX: f64 = 0.5;

/// Meshes in projected units (x, -y), so screen = origin + pos × scale.
struct BaseMesh {
    mesh: Mesh,
    /// For thin lines: per-vertex offset (screen axes) in units of the feather width.
    offsets: Vec<Vec2>,
}

impl BaseMesh {
    fn from_fill(fill: &Fill, color: impl Fn(usize) -> Color32) -> Self {
        let mesh = Mesh {
            vertices: fill
                .positions
                .iter()
                .enumerate()
                .map(|(i, p)| Vertex {
                    pos: pos2(p[0], -p[1]),
                    uv: WHITE_UV,
                    color: color(i),
                })
                .collect(),
            indices: fill.indices.clone(),
            ..Default::default()
        };
        Self {
            mesh,
            offsets: Vec::new(),
        }
    }

    fn from_lines(lines: &Lines, color: Color32) -> Self {
        let mesh = Mesh {
            vertices: lines
                .positions
                .iter()
                .enumerate()
                .map(|(i, p)| Vertex {
                    pos: pos2(p[0], -p[1]),
                    uv: WHITE_UV,
                    color: if Lines::is_centre(i) {
                        color
                    } else {
                        Color32::TRANSPARENT
                    },
                })
                .collect(),
            indices: lines.indices.clone(),
            ..Default::default()
        };
        let offsets = lines.offsets.iter().map(|o| vec2(o[0], -o[1])).collect();
        Self { mesh, offsets }
    }

    fn recolor_lines(&mut self, color: Color32) {
        for (i, v) in self.mesh.vertices.iter_mut().enumerate() {
            if Lines::is_centre(i) {
                v.color = color;
            }
        }
    }

    /// A copy placed on screen; `feather` is the line half-width in points.
    fn to_screen(&self, origin: Pos2, scale: f32, feather: f32) -> Arc<Mesh> {
        let mut mesh = Mesh {
            indices: self.mesh.indices.clone(),
            vertices: Vec::with_capacity(self.mesh.vertices.len()),
            texture_id: self.mesh.texture_id,
        };
        if self.offsets.is_empty() {
            mesh.vertices
                .extend(self.mesh.vertices.iter().map(|v| Vertex {
                    pos: origin + v.pos.to_vec2() * scale,
                    ..*v
                }));
        } else {
            mesh.vertices
                .extend(
                    self.mesh
                        .vertices
                        .iter()
                        .zip(&self.offsets)
                        .map(|(v, o)| Vertex {
                            pos: origin + v.pos.to_vec2() * scale + *o * feather,
                            ..*v
                        }),
                );
        }
        Arc::new(mesh)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct ScreenKey {
    camera: Camera,
    pixels_per_point: f32,
    level: usize,
    generation: u64,
}

/// The map's cached meshes.
#[derive(Default)]
pub struct Layers {
    level: Option<usize>,
    fill: Option<BaseMesh>,
    fill_country: Vec<u16>,
    lines: Option<BaseMesh>,
    backdrop: Option<(MapStyle, [BaseMesh; 3])>,
    colors: Vec<Color32>,
    border: Color32,
    /// Bumped whenever a base mesh changes, so the screen copies are redone.
    generation: u64,
    screen: Option<(ScreenKey, Vec<Arc<Mesh>>)>,
}

impl Layers {
    /// The level of detail that suits `camera`.
    pub fn level_for(camera: &Camera, pixels_per_point: f32) -> usize {
        WorldMap::level_for(camera.scale * pixels_per_point as f64, MAX_ERROR_PX)
    }

    /// Meshes to paint, in order: ocean, graticule and edge, countries, borders.
    pub fn prepare(
        &mut self,
        world: &WorldMap,
        camera: &Camera,
        pixels_per_point: f32,
        colors: &[Color32],
        style: &MapStyle,
    ) -> &[Arc<Mesh>] {
        let level = Self::level_for(camera, pixels_per_point);
        if self.level != Some(level) {
            let geometry = world.level(level);
            self.fill_country = geometry.fill.country.clone();
            self.fill = Some(BaseMesh::from_fill(&geometry.fill, |i| {
                colors
                    .get(self.fill_country[i] as usize)
                    .copied()
                    .unwrap_or(style.no_data)
            }));
            self.lines = Some(BaseMesh::from_lines(&geometry.lines, style.border));
            self.colors = colors.to_vec();
            self.border = style.border;
            self.level = Some(level);
            self.generation += 1;
        }
        if self.colors != colors {
            if let Some(fill) = &mut self.fill {
                for (v, &c) in fill.mesh.vertices.iter_mut().zip(&self.fill_country) {
                    v.color = colors.get(c as usize).copied().unwrap_or(style.no_data);
                }
            }
            self.colors = colors.to_vec();
            self.generation += 1;
        }
        if self.border != style.border {
            if let Some(lines) = &mut self.lines {
                lines.recolor_lines(style.border);
            }
            self.border = style.border;
            self.generation += 1;
        }
        if self.backdrop.as_ref().is_none_or(|(s, _)| s != style) {
            self.backdrop = Some((*style, backdrop(style)));
            self.generation += 1;
        }
        let key = ScreenKey {
            camera: *camera,
            pixels_per_point,
            level,
            generation: self.generation,
        };
        if self.screen.as_ref().is_none_or(|(k, _)| *k != key) {
            let origin = camera.origin();
            let scale = camera.scale as f32;
            let feather = 1.0 / pixels_per_point;
            let mut meshes = Vec::with_capacity(5);
            if let Some((_, parts)) = &self.backdrop {
                meshes.extend(parts.iter().map(|m| m.to_screen(origin, scale, feather)));
            }
            for m in [&self.fill, &self.lines].into_iter().flatten() {
                meshes.push(m.to_screen(origin, scale, feather));
            }
            self.screen = Some((key, meshes));
        }
        self.screen.as_ref().map_or(&[], |(_, m)| m.as_slice())
    }
}

/// The ocean inside the map's edge, a 30° graticule, and the edge itself.
fn backdrop(style: &MapStyle) -> [BaseMesh; 3] {
    let edge = projection::outline(91);
    let ocean = tessellate::triangulate_ring(&edge);
    let mut graticule: Vec<Vec<[f64; 2]>> = Vec::new();
    for lon in (-150..=150).step_by(30) {
        graticule.push(
            (-90..=90)
                .map(|lat| projection::forward(lon as f64, lat as f64))
                .collect(),
        );
    }
    for lat in (-60..=60).step_by(30) {
        graticule.push(
            (-180..=180)
                .step_by(2)
                .map(|lon| projection::forward(lon as f64, lat as f64))
                .collect(),
        );
    }
    [
        BaseMesh::from_fill(&ocean, |_| style.ocean),
        BaseMesh::from_lines(
            &tessellate::thin_lines(graticule.iter().map(Vec::as_slice)),
            style.graticule,
        ),
        BaseMesh::from_lines(&tessellate::thin_lines([edge.as_slice()]), style.edge),
    ]
}
