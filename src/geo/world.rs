//! The world map's geometry: atlas features grouped by country, projected, hit-testable, with
//! simplified and triangulated levels of detail built once on first use.

use super::GeoError;
use super::antimeridian::split_polygon;
use super::projection;
use super::simplify::rdp_mask;
use super::tessellate::{Fill, Lines, thin_lines, triangulate};
use super::topojson::{self, LonLat, Topology, arc_index, stitch_ring};
use crate::cc;
use crate::rules::{Countries, CountryCode, LoadedRuleset};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// Natural Earth 1:50m admin-0 countries, TopoJSON from npm `world-atlas@2.0.2`
/// (see `assets/countries-50m.LICENSE.md`).
pub const COUNTRIES_50M: &[u8] = include_bytes!("../../assets/countries-50m.json");

/// ISO 3166-1 numeric code of Antarctica: not an export destination, and encoded as a polar cap
/// with the coastline as a hole, which a planar triangulation cannot fill.
const ANTARCTICA: u16 = 10;

/// Features the atlas ships without an ISO numeric id, mapped by their name.
const BY_NAME: [(&str, CountryCode); 5] = [
    ("Kosovo", cc!("XK")),
    // Natural Earth draws the de facto division of Cyprus; the EAR knows one destination.
    ("N. Cyprus", cc!("CY")),
    ("Somaliland", cc!("SO")),
    // Christmas Island and the Cocos (Keeling) Islands, Australian external territories; split
    // into their own ISO codes by `TERRITORIES` when the table has them.
    ("Indian Ocean Ter.", cc!("AU")),
    // A disputed area (India / Pakistan) that Natural Earth draws on its own. It is drawn with
    // India, which administers it; this takes no position on the dispute.
    ("Siachen Glacier", cc!("IN")),
];

/// Polygons Natural Earth draws inside one feature that the country table places elsewhere: a
/// polygon of `parent`'s feature whose bounding-box centre lies in the lon/lat box
/// `[west, south, east, north]` is drawn as `territory`. Mostly overseas territories with an ISO
/// code (and a tier) of their own: without this, French Guiana would show France's tier although
/// the ruleset reads it as Tier 2.
const TERRITORIES: [(CountryCode, CountryCode, [f64; 4]); 13] = [
    (cc!("FR"), cc!("GF"), [-54.7, 2.0, -51.5, 6.0]),
    (cc!("FR"), cc!("GP"), [-61.9, 15.8, -61.0, 16.6]),
    (cc!("FR"), cc!("MQ"), [-61.3, 14.3, -60.7, 14.95]),
    (cc!("FR"), cc!("RE"), [55.1, -21.5, 55.9, -20.8]),
    (cc!("FR"), cc!("YT"), [44.9, -13.1, 45.4, -12.5]),
    // Svalbard (with Bjørnøya) and Jan Mayen share one ISO code.
    (cc!("NO"), cc!("SJ"), [10.0, 74.0, 35.0, 81.5]),
    (cc!("NO"), cc!("SJ"), [-9.3, 70.7, -7.8, 71.3]),
    // Bonaire, and Sint Eustatius with Saba.
    (cc!("NL"), cc!("BQ"), [-68.5, 11.9, -68.1, 12.4]),
    (cc!("NL"), cc!("BQ"), [-63.3, 17.4, -62.9, 17.7]),
    (cc!("NZ"), cc!("TK"), [-172.7, -9.5, -171.0, -8.4]),
    // "Indian Ocean Ter." (mapped to Australia by name) is Christmas Island and the Cocos Islands.
    (cc!("AU"), cc!("CX"), [105.4, -10.7, 105.8, -10.3]),
    (cc!("AU"), cc!("CC"), [96.7, -12.3, 97.0, -11.9]),
    // Natural Earth 4.1 draws Crimea de facto, inside Russia; the EAR treats it as a region of
    // Ukraine (15 CFR 746.6, "Crimea region of Ukraine"), which is how the United States sees it.
    (cc!("RU"), cc!("UA"), [32.4, 44.3, 36.7, 46.3]),
];

/// Simplification tolerances of the levels of detail, in projected units; the last is exact.
pub const LEVEL_TOLERANCES: [f64; 7] = [0.008, 0.004, 0.002, 0.001, 0.0005, 0.000_25, 0.0];

/// An axis-aligned box in projected units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub min: [f64; 2],
    pub max: [f64; 2],
}

impl BBox {
    pub const EMPTY: BBox = BBox {
        min: [f64::INFINITY; 2],
        max: [f64::NEG_INFINITY; 2],
    };

    pub fn extend(&mut self, p: [f64; 2]) {
        self.min = [self.min[0].min(p[0]), self.min[1].min(p[1])];
        self.max = [self.max[0].max(p[0]), self.max[1].max(p[1])];
    }

    pub fn union(self, o: BBox) -> BBox {
        BBox {
            min: [self.min[0].min(o.min[0]), self.min[1].min(o.min[1])],
            max: [self.max[0].max(o.max[0]), self.max[1].max(o.max[1])],
        }
    }

    pub fn contains(&self, p: [f64; 2]) -> bool {
        p[0] >= self.min[0] && p[0] <= self.max[0] && p[1] >= self.min[1] && p[1] <= self.max[1]
    }

    pub fn width(&self) -> f64 {
        self.max[0] - self.min[0]
    }

    pub fn height(&self) -> f64 {
        self.max[1] - self.min[1]
    }

    pub fn center(&self) -> [f64; 2] {
        [
            (self.min[0] + self.max[0]) / 2.0,
            (self.min[1] + self.max[1]) / 2.0,
        ]
    }
}

/// A polygon of [`Rings`]: its exterior ring then its holes.
#[derive(Debug, Clone, PartialEq)]
pub struct PolygonRef {
    /// Index into [`WorldMap::countries`].
    pub country: u16,
    /// Range in [`Rings::rings`].
    pub rings: Range<usize>,
    /// Bounding box of the exterior ring.
    pub bbox: BBox,
}

/// Projected, closed rings grouped into polygons, grouped by country.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rings {
    pub points: Vec<[f64; 2]>,
    /// Each ring's range in `points`; the last point repeats the first.
    pub rings: Vec<Range<usize>>,
    pub polygons: Vec<PolygonRef>,
    /// Range in `polygons` for each country.
    pub by_country: Vec<Range<usize>>,
}

impl Rings {
    pub fn ring(&self, i: usize) -> &[[f64; 2]] {
        &self.points[self.rings[i].clone()]
    }

    pub fn polygon_rings<'a>(&'a self, p: &PolygonRef) -> impl Iterator<Item = &'a [[f64; 2]]> {
        p.rings.clone().map(move |r| self.ring(r))
    }

    /// All rings (exteriors and holes) of country `i`.
    pub fn country_rings(&self, i: usize) -> impl Iterator<Item = &[[f64; 2]]> {
        let polys = self.by_country.get(i).cloned().unwrap_or(0..0);
        self.polygons[polys]
            .iter()
            .flat_map(move |p| p.rings.clone().map(move |r| self.ring(r)))
    }

    /// Appends a polygon of projected rings (exterior first) for country `country`.
    pub fn push_polygon(&mut self, country: u16, rings: impl Iterator<Item = Vec<[f64; 2]>>) {
        let first = self.rings.len();
        let mut bbox = BBox::EMPTY;
        for ring in rings {
            if self.rings.len() == first {
                ring.iter().for_each(|&p| bbox.extend(p));
            }
            let start = self.points.len();
            self.points.extend(ring);
            self.rings.push(start..self.points.len());
        }
        if self.rings.len() > first {
            self.polygons.push(PolygonRef {
                country,
                rings: first..self.rings.len(),
                bbox,
            });
        }
    }

    /// Even-odd point-in-polygon over the exterior and holes.
    pub fn polygon_contains(&self, poly: &PolygonRef, p: [f64; 2]) -> bool {
        poly.bbox.contains(p)
            && self
                .polygon_rings(poly)
                .fold(false, |inside, r| inside ^ ring_contains(r, p))
    }
}

fn ring_contains(ring: &[[f64; 2]], p: [f64; 2]) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a[1] > p[1]) != (b[1] > p[1]) {
            let x = a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
            if p[0] < x {
                inside = !inside;
            }
        }
    }
    inside
}

fn signed_area(ring: &[[f64; 2]]) -> f64 {
    ring.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum::<f64>()
        / 2.0
}

fn centroid(ring: &[[f64; 2]]) -> Option<[f64; 2]> {
    let (mut cx, mut cy, mut a2) = (0.0, 0.0, 0.0);
    for w in ring.windows(2) {
        let cross = w[0][0] * w[1][1] - w[1][0] * w[0][1];
        cx += (w[0][0] + w[1][0]) * cross;
        cy += (w[0][1] + w[1][1]) * cross;
        a2 += cross;
    }
    (a2.abs() > 1e-18).then(|| [cx / (3.0 * a2), cy / (3.0 * a2)])
}

/// The middle of the widest inside span of a horizontal line through the polygon.
fn widest_span_mid(rings: &Rings, poly: &PolygonRef, y: f64) -> Option<[f64; 2]> {
    let mut xs: Vec<f64> = Vec::new();
    for r in rings.polygon_rings(poly) {
        for w in r.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a[1] > y) != (b[1] > y) {
                xs.push(a[0] + (y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]));
            }
        }
    }
    xs.sort_by(f64::total_cmp);
    xs.chunks_exact(2)
        .max_by(|a, b| (a[1] - a[0]).total_cmp(&(b[1] - b[0])))
        .map(|s| [(s[0] + s[1]) / 2.0, y])
}

/// A point inside the polygon, near its visual middle.
fn label_point(rings: &Rings, poly: &PolygonRef) -> [f64; 2] {
    let exterior = rings.ring(poly.rings.start);
    let c = centroid(exterior).unwrap_or_else(|| poly.bbox.center());
    if rings.polygon_contains(poly, c) {
        return c;
    }
    [c[1], poly.bbox.center()[1]]
        .into_iter()
        .find_map(|y| widest_span_mid(rings, poly, y))
        .unwrap_or(exterior[0])
}

/// A country as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct MapCountry {
    pub code: CountryCode,
    /// Bounding box of all its polygons (for hit-test prefiltering).
    pub bbox: BBox,
    /// The box to zoom to: its largest polygon and the sizeable ones near it (not far-flung
    /// territories, which would zoom France out to the Atlantic).
    pub focus: BBox,
    /// Inside its largest polygon: where markers and labels go.
    pub label: [f64; 2],
    /// Projected area (equal-area projection: proportional to the real area).
    pub area: f64,
}

/// One level of detail, ready to become meshes.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub tolerance: f64,
    pub rings: Rings,
    pub fill: Fill,
    /// Borders and coasts, each shared arc once.
    pub lines: Lines,
}

#[derive(Debug)]
pub struct WorldMap {
    topology: Topology,
    countries: Vec<MapCountry>,
    /// The atlas polygons drawn for each country.
    country_parts: Vec<Vec<Part>>,
    by_code: Vec<Option<u16>>,
    /// Arcs projected as stored (longitudes within ±180), for simplification and outlines.
    arcs_projected: Vec<Vec<[f64; 2]>>,
    used_arcs: Vec<usize>,
    full: Rings,
    /// Country indices, smallest first: where features overlap, the smaller one is meant.
    hit_order: Vec<u16>,
    levels: Vec<OnceLock<Level>>,
    unmapped: Vec<String>,
}

impl WorldMap {
    /// The embedded atlas, decoded once per process. The country codes come from the embedded
    /// country table's numeric column, which no ruleset changes.
    pub fn embedded() -> Arc<WorldMap> {
        static WORLD: OnceLock<Arc<WorldMap>> = OnceLock::new();
        WORLD
            .get_or_init(|| {
                let countries = Countries::embedded(&LoadedRuleset::embedded().ruleset);
                Arc::new(
                    WorldMap::new(COUNTRIES_50M, &countries)
                        .expect("the embedded atlas is checked by tests"),
                )
            })
            .clone()
    }

    /// Decodes a TopoJSON world atlas (object `countries`) and maps its features to countries.
    pub fn new(json: &[u8], countries: &Countries) -> Result<Self, GeoError> {
        let topology = topojson::decode(json, "countries")?;
        let mut grouped: BTreeMap<CountryCode, Vec<Part>> = BTreeMap::new();
        let mut unmapped = Vec::new();
        for (i, f) in topology.features.iter().enumerate() {
            if f.numeric == Some(ANTARCTICA) {
                continue;
            }
            let code = match f.numeric {
                Some(n) => countries.by_numeric(n).map(|c| c.alpha2),
                None => BY_NAME
                    .iter()
                    .find(|(name, _)| *name == f.name)
                    .map(|&(_, c)| c),
            };
            let Some(code) = code else {
                unmapped.push(f.name.clone());
                continue;
            };
            for (k, polygon) in f.polygons.iter().enumerate() {
                let territory = polygon.first().and_then(|exterior| {
                    let c = lonlat_box_center(&stitch_ring(&topology.arcs, exterior, None))?;
                    TERRITORIES
                        .iter()
                        .find(|(parent, t, b)| {
                            *parent == code
                                && countries.get(*t).is_some()
                                && (b[0]..=b[2]).contains(&c[0])
                                && (b[1]..=b[3]).contains(&c[1])
                        })
                        .map(|&(_, t, _)| t)
                });
                grouped
                    .entry(territory.unwrap_or(code))
                    .or_default()
                    .push(Part {
                        feature: i,
                        polygon: k,
                    });
            }
        }
        if grouped.len() > u16::MAX as usize {
            return Err(GeoError::Invalid("too many countries".into()));
        }
        let codes: Vec<CountryCode> = grouped.keys().copied().collect();
        let country_parts: Vec<Vec<Part>> = grouped.into_values().collect();
        let arcs_projected: Vec<Vec<[f64; 2]>> = topology
            .arcs
            .iter()
            .map(|a| a.iter().map(|p| projection::forward(p[0], p[1])).collect())
            .collect();
        let mut used = vec![false; topology.arcs.len()];
        for p in country_parts.iter().flatten() {
            for &r in topology.features[p.feature].polygons[p.polygon]
                .iter()
                .flatten()
            {
                used[arc_index(r)] = true;
            }
        }
        let used_arcs = (0..used.len()).filter(|&i| used[i]).collect();
        let full = build_rings(&topology, &country_parts, None);
        let mut by_code = vec![None; CountryCode::SLOTS];
        let countries: Vec<MapCountry> = codes
            .iter()
            .enumerate()
            .map(|(i, &code)| {
                by_code[code.index()] = Some(i as u16);
                describe_country(&full, i, code)
            })
            .collect();
        let mut hit_order: Vec<u16> = (0..countries.len() as u16).collect();
        hit_order.sort_by(|&a, &b| {
            countries[a as usize]
                .area
                .total_cmp(&countries[b as usize].area)
        });
        Ok(Self {
            hit_order,
            topology,
            countries,
            country_parts,
            by_code,
            arcs_projected,
            used_arcs,
            full,
            levels: LEVEL_TOLERANCES.iter().map(|_| OnceLock::new()).collect(),
            unmapped,
        })
    }

    pub fn countries(&self) -> &[MapCountry] {
        &self.countries
    }

    pub fn index_of(&self, code: CountryCode) -> Option<usize> {
        self.by_code[code.index()].map(usize::from)
    }

    pub fn country(&self, code: CountryCode) -> Option<&MapCountry> {
        self.index_of(code).map(|i| &self.countries[i])
    }

    /// Names of features no country could be found for (empty for the embedded atlas).
    pub fn unmapped(&self) -> &[String] {
        &self.unmapped
    }

    /// Exact rings (the hit-test geometry).
    pub fn rings(&self) -> &Rings {
        &self.full
    }

    /// How many atlas features `code` is drawn from (several for Cyprus, Somalia, India…).
    pub fn feature_count(&self, code: CountryCode) -> usize {
        self.index_of(code).map_or(0, |i| {
            let mut f: Vec<usize> = self.country_parts[i].iter().map(|p| p.feature).collect();
            f.dedup();
            f.len()
        })
    }

    /// The country under a projected point, if any.
    pub fn hit_test(&self, p: [f64; 2]) -> Option<CountryCode> {
        self.hit_index(p).map(|i| self.countries[i].code)
    }

    pub fn hit_index(&self, p: [f64; 2]) -> Option<usize> {
        self.hit_order.iter().find_map(|&i| {
            let i = usize::from(i);
            (self.countries[i].bbox.contains(p)
                && self.full.polygons[self.full.by_country[i].clone()]
                    .iter()
                    .any(|poly| self.full.polygon_contains(poly, p)))
            .then_some(i)
        })
    }

    /// The coarsest level whose simplification error stays under `max_error_px` at
    /// `px_per_unit` screen pixels per projected unit.
    pub fn level_for(px_per_unit: f64, max_error_px: f64) -> usize {
        LEVEL_TOLERANCES
            .iter()
            .position(|&t| t * px_per_unit <= max_error_px)
            .unwrap_or(LEVEL_TOLERANCES.len() - 1)
    }

    /// Level `k` of [`LEVEL_TOLERANCES`], simplified and triangulated on first use.
    pub fn level(&self, k: usize) -> &Level {
        let k = k.min(LEVEL_TOLERANCES.len() - 1);
        self.levels[k].get_or_init(|| self.build_level(LEVEL_TOLERANCES[k]))
    }

    fn build_level(&self, tolerance: f64) -> Level {
        let keep: Option<Vec<Vec<bool>>> = (tolerance > 0.0).then(|| {
            let mut keep: Vec<Vec<bool>> = Vec::with_capacity(self.arcs_projected.len());
            keep.resize(self.arcs_projected.len(), Vec::new());
            for &i in &self.used_arcs {
                keep[i] = rdp_mask(&self.arcs_projected[i], tolerance);
            }
            keep
        });
        let rings = match &keep {
            Some(k) => build_rings(&self.topology, &self.country_parts, Some(k)),
            None => self.full.clone(),
        };
        let fill = triangulate(&rings);
        let mut polylines: Vec<Vec<[f64; 2]>> = Vec::new();
        for &i in &self.used_arcs {
            let arc = &self.topology.arcs[i];
            let mut current: Vec<[f64; 2]> = Vec::new();
            let mut prev_lon: Option<f64> = None;
            for (j, p) in arc.iter().enumerate() {
                if keep.as_ref().is_some_and(|k| !k[i][j]) {
                    continue;
                }
                // A jump across the antimeridian ends the stroke; the other side starts anew.
                if prev_lon.is_some_and(|l| (p[0] - l).abs() > 180.0) {
                    polylines.push(std::mem::take(&mut current));
                }
                prev_lon = Some(p[0]);
                current.push(self.arcs_projected[i][j]);
            }
            polylines.push(current);
        }
        let lines = thin_lines(polylines.iter().map(Vec::as_slice));
        Level {
            tolerance,
            rings,
            fill,
            lines,
        }
    }
}

/// One polygon of an atlas feature.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Part {
    feature: usize,
    polygon: usize,
}

fn lonlat_box_center(ring: &[LonLat]) -> Option<LonLat> {
    let first = ring.first()?;
    let (mut lo, mut hi) = (*first, *first);
    for p in ring {
        lo = [lo[0].min(p[0]), lo[1].min(p[1])];
        hi = [hi[0].max(p[0]), hi[1].max(p[1])];
    }
    Some([(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0])
}

fn build_rings(
    topology: &Topology,
    country_parts: &[Vec<Part>],
    keep: Option<&[Vec<bool>]>,
) -> Rings {
    let mut rings = Rings::default();
    for (ci, parts) in country_parts.iter().enumerate() {
        let start = rings.polygons.len();
        for part in parts {
            let polygon = &topology.features[part.feature].polygons[part.polygon];
            let mut lonlat: Vec<Vec<LonLat>> = Vec::with_capacity(polygon.len());
            for (k, ring) in polygon.iter().enumerate() {
                let r = stitch_ring(&topology.arcs, ring, keep);
                if r.len() >= 4 {
                    lonlat.push(r);
                } else if k == 0 {
                    // The exterior simplified away: the whole polygon is below tolerance.
                    break;
                }
            }
            for piece in split_polygon(lonlat) {
                rings.push_polygon(
                    ci as u16,
                    piece.into_iter().map(|r| {
                        r.into_iter()
                            .map(|p| projection::forward(p[0], p[1]))
                            .collect()
                    }),
                );
            }
        }
        rings.by_country.push(start..rings.polygons.len());
    }
    rings
}

fn describe_country(rings: &Rings, i: usize, code: CountryCode) -> MapCountry {
    let polys = &rings.polygons[rings.by_country[i].clone()];
    let areas: Vec<f64> = polys
        .iter()
        .map(|p| {
            let mut it = rings.polygon_rings(p).map(|r| signed_area(r).abs());
            let exterior = it.next().unwrap_or(0.0);
            (exterior - it.sum::<f64>()).max(0.0)
        })
        .collect();
    let bbox = polys.iter().fold(BBox::EMPTY, |b, p| b.union(p.bbox));
    let largest = (0..polys.len()).max_by(|&a, &b| areas[a].total_cmp(&areas[b]));
    let (label, focus) = match largest {
        Some(l) => {
            let core = polys[l].bbox;
            let near = BBox {
                min: [core.min[0] - core.width(), core.min[1] - core.height()],
                max: [core.max[0] + core.width(), core.max[1] + core.height()],
            };
            let focus = polys
                .iter()
                .zip(&areas)
                .filter(|(p, a)| **a >= areas[l] * 0.01 && near.contains(p.bbox.center()))
                .fold(core, |b, (p, _)| b.union(p.bbox));
            (label_point(rings, &polys[l]), focus)
        }
        None => ([0.0, 0.0], bbox),
    };
    MapCountry {
        code,
        bbox,
        focus,
        label,
        area: areas.iter().sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Engine;

    fn world() -> Arc<WorldMap> {
        WorldMap::embedded()
    }

    fn at(lon: f64, lat: f64) -> Option<CountryCode> {
        let [x, y] = projection::forward(lon, lat);
        world().hit_test([x, y])
    }

    #[test]
    fn every_feature_maps_to_a_country_in_the_table() {
        let w = world();
        assert!(w.unmapped().is_empty(), "unmapped: {:?}", w.unmapped());
        let engine = Engine::embedded();
        for c in w.countries() {
            assert!(
                engine.countries().get(c.code).is_some(),
                "{} not in the table",
                c.code
            );
            assert!(
                engine.countries().tier(c.code).is_some(),
                "{} has no tier",
                c.code
            );
        }
        // 241 features minus Antarctica; Kosovo is new, and five features join a country drawn
        // already (N. Cyprus, Somaliland, Indian Ocean Ter., Siachen, Ashmore and Cartier Is.);
        // ten territories are split out of their parents' features (Crimea joins Ukraine).
        assert_eq!(w.countries().len(), 240 - 5 + 10);
        assert_eq!(
            w.feature_count(cc!("AU")),
            2,
            "Australia and Ashmore and Cartier Is."
        );
        assert_eq!(w.feature_count(cc!("CY")), 2);
        assert_eq!(w.feature_count(cc!("IN")), 2);
        assert!(w.country(cc!("AQ")).is_none(), "Antarctica is skipped");
        for code in [
            cc!("SG"),
            cc!("MO"),
            cc!("HK"),
            cc!("BH"),
            cc!("MT"),
            cc!("VA"),
            cc!("XK"),
        ] {
            assert!(w.country(code).is_some(), "{code} is drawn");
        }
    }

    #[test]
    fn hit_tests() {
        assert_eq!(at(2.35, 48.86), Some(cc!("FR")), "Paris");
        assert_eq!(at(103.82, 1.35), Some(cc!("SG")), "Singapore");
        assert_eq!(at(-30.0, 30.0), None, "mid-Atlantic");
        assert_eq!(at(77.2, 28.6), Some(cc!("IN")), "Delhi");
        assert_eq!(
            at(12.434, 41.902),
            Some(cc!("VA")),
            "the Vatican, a hole in Italy"
        );
        assert_eq!(at(12.5, 41.9), Some(cc!("IT")), "Rome");
        assert_eq!(
            at(-175.0, 67.0),
            Some(cc!("RU")),
            "Chukotka, east of the antimeridian"
        );
        assert_eq!(
            at(179.0, 67.5),
            Some(cc!("RU")),
            "Chukotka, west of the antimeridian"
        );
        assert_eq!(at(178.0, -17.8), Some(cc!("FJ")), "Viti Levu");
    }

    #[test]
    fn label_points_lie_inside_their_country() {
        let w = world();
        for c in w.countries() {
            assert_eq!(w.hit_test(c.label), Some(c.code), "label of {}", c.code);
            assert!(c.area > 0.0, "{}", c.code);
        }
    }

    #[test]
    fn russia_has_no_streak_across_the_map() {
        let w = world();
        let ru = w.index_of(cc!("RU")).unwrap() as u16;
        for k in [0, LEVEL_TOLERANCES.len() - 1] {
            let fill = &w.level(k).fill;
            let mut n = 0;
            for t in fill.indices.chunks(3) {
                if fill.country[t[0] as usize] != ru {
                    continue;
                }
                n += 1;
                let xs = [t[0], t[1], t[2]].map(|i| fill.positions[i as usize][0]);
                let span = xs.iter().cloned().fold(f32::MIN, f32::max)
                    - xs.iter().cloned().fold(f32::MAX, f32::min);
                assert!(span < projection::X_MAX as f32, "triangle spans {span}");
            }
            assert!(n > 100, "Russia is drawn at level {k}");
        }
        // Chukotka's tip is on the far left of the map, the rest on the right.
        let ru_box = w.country(cc!("RU")).unwrap().bbox;
        assert!(ru_box.min[0] < -1.9 && ru_box.max[0] > 1.95, "{ru_box:?}");
    }

    #[test]
    fn coarse_levels_are_smaller_and_pick_by_scale() {
        let w = world();
        let coarse = w.level(0);
        let fine = w.level(LEVEL_TOLERANCES.len() - 1);
        assert!(coarse.fill.positions.len() * 3 < fine.fill.positions.len());
        assert!(coarse.lines.positions.len() * 3 < fine.lines.positions.len());
        assert_eq!(coarse.fill.positions.len(), coarse.fill.country.len());
        assert_eq!(WorldMap::level_for(50.0, 0.5), 0);
        assert_eq!(WorldMap::level_for(250.0, 0.5), 2);
        assert_eq!(WorldMap::level_for(1e7, 0.5), LEVEL_TOLERANCES.len() - 1);
    }

    #[test]
    fn overseas_territories_are_their_own_destinations() {
        assert_eq!(at(-53.0, 4.0), Some(cc!("GF")), "French Guiana");
        assert_eq!(at(55.5, -21.1), Some(cc!("RE")), "Réunion");
        assert_eq!(at(15.5, 78.5), Some(cc!("SJ")), "Svalbard");
        assert_eq!(at(105.63, -10.49), Some(cc!("CX")), "Christmas Island");
        assert_eq!(at(2.35, 48.86), Some(cc!("FR")));
        assert_eq!(at(9.1, 42.2), Some(cc!("FR")), "Corsica stays French");
        assert_eq!(at(10.75, 59.91), Some(cc!("NO")), "Oslo");
        assert_eq!(at(34.1, 44.95), Some(cc!("UA")), "Simferopol, Crimea");
        // France zooms to Europe, not to the Atlantic.
        let fr = world().country(cc!("FR")).unwrap().clone();
        let [lon, _] = projection::inverse(fr.focus.center()[0], fr.focus.center()[1]).unwrap();
        assert!((-5.0..10.0).contains(&lon), "{lon}");
    }
}
