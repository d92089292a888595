//! Colours and formatting shared by the views. The palette is Okabe–Ito (colour-blind safe).

use crate::rules::{Confidence, Tier, Verdict};
use egui::Color32;

pub const US_BLUE: Color32 = Color32::from_rgb(0x00, 0x5A, 0x9C);
pub const TIER1_SKY: Color32 = Color32::from_rgb(0x56, 0xB4, 0xE9);
pub const TIER2_AMBER: Color32 = Color32::from_rgb(0xE6, 0x9F, 0x00);
pub const TIER3_VERMILION: Color32 = Color32::from_rgb(0xD5, 0x5E, 0x00);
pub const GREEN: Color32 = Color32::from_rgb(0x00, 0x9E, 0x73);
pub const PURPLE: Color32 = Color32::from_rgb(0xCC, 0x79, 0xA7);
pub const GREY: Color32 = Color32::from_rgb(0x99, 0x99, 0x99);
/// Errors in forms, files and dialogs: a red of its own, so an error never reads as "Tier 3".
pub const ERROR: Color32 = Color32::from_rgb(0xC8, 0x1E, 0x3A);
/// Holds waiting for a person.
pub const HOLD: Color32 = Color32::from_rgb(0x8E, 0x5C, 0xC7);

pub fn tier_color(tier: Tier) -> Color32 {
    match tier {
        Tier::One => TIER1_SKY,
        Tier::Two => TIER2_AMBER,
        Tier::Three => TIER3_VERMILION,
    }
}

pub fn verdict_color(v: Verdict) -> Color32 {
    match v {
        Verdict::NotControlled => GREY,
        Verdict::Authorized => GREEN,
        Verdict::LicenseRequired => TIER2_AMBER,
        Verdict::PresumptionOfDenial => TIER3_VERMILION,
        Verdict::Hold => HOLD,
        Verdict::Invalid => PURPLE,
    }
}

pub fn confidence_color(c: Confidence) -> Color32 {
    match c {
        Confidence::Primary => GREEN,
        Confidence::Secondary => TIER1_SKY,
        Confidence::Derived => GREY,
        Confidence::Unconfirmed => TIER3_VERMILION,
    }
}

/// A small coloured badge with the confidence tag; UNCONFIRMED carries a warning sign.
pub fn confidence_badge(ui: &mut egui::Ui, c: Confidence) -> egui::Response {
    let text = if c.is_uncertain() {
        format!("⚠ {}", c.label())
    } else {
        c.label().to_string()
    };
    ui.label(
        egui::RichText::new(text)
            .small()
            .strong()
            .color(confidence_color(c)),
    )
}

/// Allocation use 0..=1 as a colour ramp from pale to deep vermilion.
pub fn use_ramp(share: f64) -> Color32 {
    let t = share.clamp(0.0, 1.0) as f32;
    let lerp = |a: u8, b: u8| (a as f32 + (b as f32 - a as f32) * t).round() as u8;
    Color32::from_rgb(lerp(0xFD, 0x8C), lerp(0xE8, 0x1F), lerp(0xC8, 0x00))
}

/// Adds the bundled monospace font (Hack) as the last fallback of the proportional family, for
/// arrows and shapes (→ ↑ ● ▸) that neither Ubuntu nor the emoji fonts have. Headless rendering
/// has no system-font fallback, so this keeps the app, screenshots and tests identical.
pub fn install_fonts(ctx: &egui::Context) {
    let mut defs = egui::FontDefinitions::default();
    if let Some(family) = defs.families.get_mut(&egui::FontFamily::Proportional)
        && !family.iter().any(|f| f == "Hack")
    {
        family.push("Hack".to_owned());
    }
    ctx.set_fonts(defs);
}

#[cfg(test)]
mod tests {
    /// Every symbol the views print must be in the bundled fonts: headless rendering (tests and
    /// the `screenshot` command) has no system-font fallback and refuses missing glyphs.
    #[test]
    fn symbols_used_by_the_views_are_in_the_bundled_fonts() {
        let ctx = egui::Context::default();
        super::install_fonts(&ctx);
        let mut out = ctx.run_ui(Default::default(), |_| {});
        out.textures_delta.clear();
        let missing: Vec<char> = "⚠✔⛔ℹ⟳⏶⏷•→↑↓●▸≈≤≥–—·×÷²💻☀🌙"
            .chars()
            .filter(|&c| !ctx.fonts_mut(|f| f.has_glyph(&egui::FontId::proportional(14.0), c)))
            .collect();
        assert!(missing.is_empty(), "missing glyphs: {missing:?}");
    }
}
