//! Map geometry, pure: TopoJSON decoding, the Equal Earth projection, the antimeridian cut,
//! one-time simplification and triangulation into plain buffers, and hit-testing.
//! Nothing here knows about egui.

pub mod antimeridian;
pub mod projection;
pub mod simplify;
pub mod tessellate;
pub mod topojson;
pub mod world;

pub use tessellate::{Fill, Lines};
pub use world::{BBox, Level, MapCountry, WorldMap};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeoError {
    #[error("map data is not valid JSON: {0}")]
    Json(String),
    #[error("map data: {0}")]
    Invalid(String),
}
