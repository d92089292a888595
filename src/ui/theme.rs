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
