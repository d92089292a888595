//! The map's meshes: built once per level of detail, recoloured only when the colours change, and
//! placed on screen only when the view changes. Nothing is triangulated or stroked per frame.
//!
//! Each layer is cut into a grid of chunks so that, zoomed in, only the chunks in view are placed
//! on screen and handed to egui (which copies every mesh it is given, every frame).

use super::camera::Camera;
use super::colors::MapStyle;
use crate::geo::{Fill, Lines, WorldMap, projection, tessellate};
use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Vec2, pos2, vec2};
use std::sync::Arc;

/// Largest simplification error allowed on screen, in physical pixels.
const MAX_ERROR_PX: f64 = 0.5;
/// Chunk grid over the map (columns, rows).
const GRID: (usize, usize) = (16, 8);

/// A piece of a layer in projected units (x, -y): screen = origin + pos × scale.
struct Chunk {
    mesh: Mesh,
    /// For thin lines: per-vertex offset (screen axes) in units of the feather width.
    offsets: Vec<Vec2>,
    /// For fills: the country of each vertex (an index into `WorldMap::countries`).
    country: Vec<u16>,
    bounds: Rect,
}

impl Chunk {
    /// A copy placed on screen; `feather` is the line half-width in points.
    fn to_screen(&self, origin: Pos2, scale: f32, feather: f32) -> Arc<Mesh> {
        let place = |v: &Vertex, o: Vec2| Vertex {
            pos: origin + v.pos.to_vec2() * scale + o * feather,
            ..*v
        };
        let vertices = if self.offsets.is_empty() {
            self.mesh
                .vertices
                .iter()
                .map(|v| place(v, Vec2::ZERO))
                .collect()
        } else {
            self.mesh
                .vertices
                .iter()
                .zip(&self.offsets)
                .map(|(v, o)| place(v, *o))
                .collect()
        };
        Arc::new(Mesh {
            indices: self.mesh.indices.clone(),
            vertices,
            texture_id: self.mesh.texture_id,
        })
    }

    fn screen_bounds(&self, origin: Pos2, scale: f32) -> Rect {
        Rect::from_min_max(
            origin + self.bounds.min.to_vec2() * scale,
            origin + self.bounds.max.to_vec2() * scale,
        )
    }
}

/// Cuts a triangle mesh into grid chunks by triangle centroid (a triangle stays whole).
fn chunked(
    vertices: Vec<Vertex>,
    offsets: &[Vec2],
    country: &[u16],
    indices: &[u32],
    grid: (usize, usize),
) -> Vec<Chunk> {
    let all = Rect::from_points(&vertices.iter().map(|v| v.pos).collect::<Vec<_>>());
    let (nx, ny) = grid;
    let cell_of = |p: Pos2| {
        let fx = ((p.x - all.min.x) / all.width().max(f32::EPSILON) * nx as f32) as usize;
        let fy = ((p.y - all.min.y) / all.height().max(f32::EPSILON) * ny as f32) as usize;
        fy.min(ny - 1) * nx + fx.min(nx - 1)
    };
    let mut cells: Vec<Vec<usize>> = vec![Vec::new(); nx * ny];
    for (t, tri) in indices.chunks_exact(3).enumerate() {
        let c = tri
            .iter()
            .fold(Vec2::ZERO, |s, &i| s + vertices[i as usize].pos.to_vec2())
            / 3.0;
        cells[cell_of(c.to_pos2())].push(t);
    }
    let mut remap = vec![u32::MAX; vertices.len()];
    let mut chunks = Vec::new();
    for tris in cells.iter().filter(|t| !t.is_empty()) {
        let mut chunk = Chunk {
            mesh: Mesh::default(),
            offsets: Vec::new(),
            country: Vec::new(),
            bounds: Rect::NOTHING,
        };
        let mut touched = Vec::new();
        for &t in tris {
            for &v in &indices[3 * t..3 * t + 3] {
                let v = v as usize;
                if remap[v] == u32::MAX {
                    remap[v] = chunk.mesh.vertices.len() as u32;
                    chunk.mesh.vertices.push(vertices[v]);
                    if let Some(o) = offsets.get(v) {
                        chunk.offsets.push(*o);
                    }
                    if let Some(c) = country.get(v) {
                        chunk.country.push(*c);
                    }
                    touched.push(v);
                }
                chunk.mesh.indices.push(remap[v]);
            }
        }
        for v in touched {
            remap[v] = u32::MAX;
        }
        chunk.bounds = Rect::from_points(
            &chunk
                .mesh
                .vertices
                .iter()
                .map(|v| v.pos)
                .collect::<Vec<_>>(),
        );
        chunks.push(chunk);
    }
    chunks
}

fn fill_chunks(fill: &Fill, grid: (usize, usize), color: impl Fn(u16) -> Color32) -> Vec<Chunk> {
    let vertices = fill
        .positions
        .iter()
        .zip(&fill.country)
        .map(|(p, &c)| Vertex {
            pos: pos2(p[0], -p[1]),
            uv: WHITE_UV,
            color: color(c),
        })
        .collect();
    chunked(vertices, &[], &fill.country, &fill.indices, grid)
}

fn line_chunks(lines: &Lines, grid: (usize, usize), color: Color32) -> Vec<Chunk> {
    let vertices = lines
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
        .collect();
    let offsets: Vec<Vec2> = lines.offsets.iter().map(|o| vec2(o[0], -o[1])).collect();
    chunked(vertices, &offsets, &[], &lines.indices, grid)
}

/// Sets the colour of the centre vertices of line chunks (edges stay transparent).
fn recolor_lines(chunks: &mut [Chunk], color: Color32) {
    for v in chunks.iter_mut().flat_map(|c| c.mesh.vertices.iter_mut()) {
        if v.color != Color32::TRANSPARENT {
            v.color = color;
        }
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
    fill: Vec<Chunk>,
    lines: Vec<Chunk>,
    /// Ocean, graticule and the map's edge, for one style.
    backdrop: Option<(MapStyle, Vec<Chunk>)>,
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
        let color_of = |c: u16| colors.get(c as usize).copied().unwrap_or(style.no_data);
        let level = Self::level_for(camera, pixels_per_point);
        if self.level != Some(level) {
            let geometry = world.level(level);
            self.fill = fill_chunks(&geometry.fill, GRID, color_of);
            self.lines = line_chunks(&geometry.lines, GRID, style.border);
            self.colors = colors.to_vec();
            self.border = style.border;
            self.level = Some(level);
            self.generation += 1;
        }
        if self.colors != colors {
            for chunk in &mut self.fill {
                for (v, &c) in chunk.mesh.vertices.iter_mut().zip(&chunk.country) {
                    v.color = color_of(c);
                }
            }
            self.colors = colors.to_vec();
            self.generation += 1;
        }
        if self.border != style.border {
            recolor_lines(&mut self.lines, style.border);
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
            let visible = camera.rect.expand(2.0 * feather);
            let backdrop = self.backdrop.iter().flat_map(|(_, c)| c);
            let meshes = backdrop
                .chain(&self.fill)
                .chain(&self.lines)
                .filter(|c| c.screen_bounds(origin, scale).intersects(visible))
                .map(|c| c.to_screen(origin, scale, feather))
                .collect();
            self.screen = Some((key, meshes));
        }
        self.screen.as_ref().map_or(&[], |(_, m)| m.as_slice())
    }
}

/// The ocean inside the map's edge, a 30° graticule, and the edge itself.
fn backdrop(style: &MapStyle) -> Vec<Chunk> {
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
    let mut out = fill_chunks(&ocean, (1, 1), |_| style.ocean);
    out.extend(line_chunks(
        &tessellate::thin_lines(graticule.iter().map(Vec::as_slice)),
        (1, 1),
        style.graticule,
    ));
    out.extend(line_chunks(
        &tessellate::thin_lines([edge.as_slice()]),
        (1, 1),
        style.edge,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_keep_every_triangle_once() {
        let world = WorldMap::embedded();
        let fill = &world.level(0).fill;
        let chunks = fill_chunks(fill, GRID, |_| Color32::RED);
        let tris: usize = chunks.iter().map(|c| c.mesh.indices.len() / 3).sum();
        assert_eq!(tris, fill.indices.len() / 3);
        assert!(chunks.len() > 20, "{} chunks", chunks.len());
        for c in &chunks {
            assert!(c.mesh.is_valid());
            assert_eq!(c.country.len(), c.mesh.vertices.len());
        }
        let area = |v: &[Pos2]| {
            ((v[1] - v[0]).x * (v[2] - v[0]).y - (v[1] - v[0]).y * (v[2] - v[0]).x).abs()
        };
        let total: f32 = chunks
            .iter()
            .flat_map(|c| {
                c.mesh
                    .triangles()
                    .map(|t| area(&t.map(|i| c.mesh.vertices[i as usize].pos)))
            })
            .sum();
        let original: f32 = fill
            .indices
            .chunks_exact(3)
            .map(|t| {
                area(&[0, 1, 2].map(|k| {
                    let p = fill.positions[t[k] as usize];
                    pos2(p[0], -p[1])
                }))
            })
            .sum();
        assert!((total - original).abs() < original * 1e-5);
    }
}
