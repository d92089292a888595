//! TopoJSON decoding: quantized, delta-encoded arcs shared between neighbouring polygons.
//!
//! Only what the world atlas uses: `Polygon` and `MultiPolygon` geometries of one object.
//! Arcs stay shared here (outlines draw each border once); rings are stitched on demand.

use super::GeoError;
use serde::Deserialize;

/// Longitude, latitude in degrees.
pub type LonLat = [f64; 2];

/// A reference to an arc: `i` for arc `i` as stored, `!i` (= `-i - 1`) for arc `i` reversed.
pub type ArcRef = i32;

/// One geometry of the object, with its rings as arc references.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// ISO 3166-1 numeric code, when the geometry carries one.
    pub numeric: Option<u16>,
    pub name: String,
    /// Polygons; each is an exterior ring followed by its holes.
    pub polygons: Vec<Vec<Vec<ArcRef>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Topology {
    /// Decoded arcs in degrees.
    pub arcs: Vec<Vec<LonLat>>,
    pub features: Vec<Feature>,
}

#[derive(Deserialize)]
struct RawTopology {
    #[serde(rename = "type")]
    kind: String,
    transform: Option<RawTransform>,
    arcs: Vec<Vec<[f64; 2]>>,
    objects: std::collections::HashMap<String, RawObject>,
}

#[derive(Deserialize)]
struct RawTransform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
struct RawObject {
    #[serde(default)]
    geometries: Vec<RawGeometry>,
}

#[derive(Deserialize, Default)]
struct RawProperties {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum RawGeometry {
    Polygon {
        arcs: Vec<Vec<ArcRef>>,
        id: Option<String>,
        #[serde(default)]
        properties: RawProperties,
    },
    MultiPolygon {
        arcs: Vec<Vec<Vec<ArcRef>>>,
        id: Option<String>,
        #[serde(default)]
        properties: RawProperties,
    },
    /// Points, lines and null geometries carry no area: skipped.
    #[serde(other)]
    Other,
}

/// Decodes the geometries of `object` (e.g. `"countries"`).
pub fn decode(json: &[u8], object: &str) -> Result<Topology, GeoError> {
    let raw: RawTopology =
        serde_json::from_slice(json).map_err(|e| GeoError::Json(e.to_string()))?;
    if raw.kind != "Topology" {
        return Err(GeoError::Invalid(format!(
            "type is `{}`, not `Topology`",
            raw.kind
        )));
    }
    let arcs = decode_arcs(raw.arcs, raw.transform.as_ref());
    let obj = raw
        .objects
        .get(object)
        .ok_or_else(|| GeoError::Invalid(format!("no object `{object}`")))?;
    let mut features = Vec::with_capacity(obj.geometries.len());
    for g in &obj.geometries {
        let (polygons, id, props) = match g {
            RawGeometry::Polygon {
                arcs,
                id,
                properties,
            } => (vec![arcs.clone()], id, properties),
            RawGeometry::MultiPolygon {
                arcs,
                id,
                properties,
            } => (arcs.clone(), id, properties),
            RawGeometry::Other => continue,
        };
        for r in polygons.iter().flatten().flatten() {
            if arc_index(*r) >= arcs.len() {
                return Err(GeoError::Invalid(format!(
                    "`{}` refers to arc {r}, but there are {} arcs",
                    props.name,
                    arcs.len()
                )));
            }
        }
        features.push(Feature {
            // Ids like "-99" (no code) parse to nothing and are mapped by name.
            numeric: id.as_deref().and_then(|s| s.parse::<u16>().ok()),
            name: props.name.clone(),
            polygons,
        });
    }
    Ok(Topology { arcs, features })
}

/// Quantized arcs store the first position absolutely and the rest as deltas.
fn decode_arcs(raw: Vec<Vec<[f64; 2]>>, t: Option<&RawTransform>) -> Vec<Vec<LonLat>> {
    let Some(t) = t else {
        return raw;
    };
    raw.into_iter()
        .map(|arc| {
            let (mut x, mut y) = (0.0, 0.0);
            arc.into_iter()
                .map(|[dx, dy]| {
                    x += dx;
                    y += dy;
                    [
                        x * t.scale[0] + t.translate[0],
                        y * t.scale[1] + t.translate[1],
                    ]
                })
                .collect()
        })
        .collect()
}

pub fn arc_index(r: ArcRef) -> usize {
    if r < 0 { !r as usize } else { r as usize }
}

/// Concatenates a ring's arcs; each arc after the first repeats the previous one's last point.
/// `keep`, when given, says per arc which points survive simplification.
pub fn stitch_ring(
    arcs: &[Vec<LonLat>],
    ring: &[ArcRef],
    keep: Option<&[Vec<bool>]>,
) -> Vec<LonLat> {
    let mut out: Vec<LonLat> = Vec::new();
    for &r in ring {
        let i = arc_index(r);
        let arc = &arcs[i];
        let kept = |j: usize| keep.is_none_or(|k| k[i][j]);
        let start = out.len();
        if r >= 0 {
            out.extend((0..arc.len()).filter(|&j| kept(j)).map(|j| arc[j]));
        } else {
            out.extend((0..arc.len()).rev().filter(|&j| kept(j)).map(|j| arc[j]));
        }
        if start > 0 && out.len() > start && out[start] == out[start - 1] {
            out.remove(start);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = r#"{
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [-10, 20]},
        "arcs": [[[0, 0], [4, 0], [0, 4]], [[4, 4], [-4, 0], [0, -4]]],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0, 1]], "id": "250", "properties": {"name": "Square"}},
            {"type": "MultiPolygon", "arcs": [[[-2, -1]]], "properties": {"name": "Nameless"}},
            {"type": "Point", "coordinates": [0, 0]}
        ]}}
    }"#;

    #[test]
    fn decodes_deltas_transform_and_reversed_arcs() {
        let t = decode(TINY.as_bytes(), "countries").unwrap();
        assert_eq!(t.arcs[0], vec![[-10.0, 20.0], [-8.0, 20.0], [-8.0, 21.0]]);
        assert_eq!(t.arcs[1], vec![[-8.0, 21.0], [-10.0, 21.0], [-10.0, 20.0]]);
        assert_eq!(t.features.len(), 2);
        assert_eq!(t.features[0].numeric, Some(250));
        assert_eq!(t.features[1].numeric, None);
        assert_eq!(t.features[1].name, "Nameless");
        let ring = stitch_ring(&t.arcs, &t.features[0].polygons[0][0], None);
        assert_eq!(
            ring,
            vec![
                [-10.0, 20.0],
                [-8.0, 20.0],
                [-8.0, 21.0],
                [-10.0, 21.0],
                [-10.0, 20.0]
            ]
        );
        let rev = stitch_ring(&t.arcs, &t.features[1].polygons[0][0], None);
        assert_eq!(rev.first(), rev.last());
        assert_eq!(rev[1], [-10.0, 21.0]);
        assert_eq!(rev.len(), 5);
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        assert!(matches!(decode(b"{", "countries"), Err(GeoError::Json(_))));
        let wrong = TINY.replace("\"Topology\"", "\"FeatureCollection\"");
        assert!(decode(wrong.as_bytes(), "countries").is_err());
        let dangling = TINY.replace("[[0, 1]]", "[[0, 7]]");
        let err = decode(dangling.as_bytes(), "countries").unwrap_err();
        assert!(err.to_string().contains("arc 7"), "{err}");
        assert!(decode(TINY.as_bytes(), "land").is_err());
    }
}
