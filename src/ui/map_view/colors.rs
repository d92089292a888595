//! What colour each country gets, and the map's own colours per light/dark theme.

use crate::geo::WorldMap;
use crate::rules::{CountryCode, Engine, Tier};
use crate::session::{BookSummary, MapOverlay, Workspace};
use crate::ui::theme;
use egui::Color32;

/// Colours of the map itself (not of the data).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapStyle {
    pub dark: bool,
    pub ocean: Color32,
    pub graticule: Color32,
    pub edge: Color32,
    /// Borders and coasts: the background colour, so countries read as separate tiles.
    pub border: Color32,
    /// Outline of the selected country.
    pub highlight: Color32,
    pub no_data: Color32,
    /// What non-Tier-2 countries fade towards in the allocation overlay.
    pub muted_towards: Color32,
}

impl MapStyle {
    pub fn of(visuals: &egui::Visuals) -> Self {
        if visuals.dark_mode {
            Self {
                dark: true,
                ocean: Color32::from_rgb(0x1D, 0x27, 0x30),
                graticule: Color32::from_rgba_unmultiplied(0xFF, 0xFF, 0xFF, 18),
                edge: Color32::from_rgb(0x3C, 0x4B, 0x57),
                border: Color32::from_rgba_unmultiplied(0x14, 0x14, 0x14, 230),
                highlight: Color32::WHITE,
                no_data: Color32::from_rgb(0x55, 0x55, 0x55),
                muted_towards: Color32::from_rgb(0x3A, 0x3A, 0x3A),
            }
        } else {
            Self {
                dark: false,
                ocean: Color32::from_rgb(0xE6, 0xEE, 0xF4),
                graticule: Color32::from_rgba_unmultiplied(0x50, 0x6E, 0x8C, 40),
                edge: Color32::from_rgb(0xA9, 0xB8, 0xC4),
                border: Color32::from_rgba_unmultiplied(0xFF, 0xFF, 0xFF, 235),
                highlight: Color32::from_rgb(0x10, 0x10, 0x10),
                no_data: theme::GREY,
                muted_towards: Color32::from_rgb(0xE2, 0xE2, 0xE2),
            }
        }
    }

    /// How a destination without an allocation shows in the allocation overlay: faded so only
    /// Tier 2 carries the data, and kept off the overlay's warm ramp (Tier 1 a pale blue-grey,
    /// Tier 3 a plain grey).
    pub fn no_allocation(&self, tier: Tier) -> Color32 {
        match tier {
            Tier::Three => {
                let c = theme::TIER3_VERMILION;
                let luma = (0.299 * c.r() as f32 + 0.587 * c.g() as f32 + 0.114 * c.b() as f32)
                    .round() as u8;
                lerp(Color32::from_gray(luma), self.muted_towards, 0.4)
            }
            t => lerp(theme::tier_color(t), self.muted_towards, 0.75),
        }
    }
}

fn lerp(a: Color32, b: Color32, t: f32) -> Color32 {
    let m = |x: u8, y: u8| (x as f32 + (y as f32 - x as f32) * t).round() as u8;
    Color32::from_rgb(m(a.r(), b.r()), m(a.g(), b.g()), m(a.b(), b.b()))
}

/// The tier colour, with the United States distinct from the rest of Tier 1.
pub fn tier_fill(tier: Tier, is_us: bool) -> Color32 {
    if is_us {
        theme::US_BLUE
    } else {
        theme::tier_color(tier)
    }
}

pub fn country_color(
    engine: &Engine,
    summary: &BookSummary,
    code: CountryCode,
    overlay: MapOverlay,
    style: &MapStyle,
) -> Color32 {
    let Some(tier) = engine.countries().tier(code) else {
        return style.no_data;
    };
    let base = tier_fill(tier, code == engine.ruleset().us);
    match overlay {
        MapOverlay::Tier => base,
        MapOverlay::AllocationUse => match summary.country(code).share_drawn() {
            Some(share) => theme::use_ramp(share),
            None => style.no_allocation(tier),
        },
    }
}

/// One colour per drawn country, in `WorldMap::countries` order, under the rule as written.
/// Cheap (a few hundred lookups), so it runs every frame and the meshes are recoloured only when
/// the result differs.
pub fn country_colors(
    ws: &Workspace,
    world: &WorldMap,
    overlay: MapOverlay,
    style: &MapStyle,
) -> Vec<Color32> {
    country_colors_under(&ws.engine, ws.summary(), world, overlay, style)
}

/// As [`country_colors`], under another engine and book summary (a what-if's).
pub fn country_colors_under(
    engine: &Engine,
    summary: &BookSummary,
    world: &WorldMap,
    overlay: MapOverlay,
    style: &MapStyle,
) -> Vec<Color32> {
    world
        .countries()
        .iter()
        .map(|c| country_color(engine, summary, c.code, overlay, style))
        .collect()
}
