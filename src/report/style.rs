//! Type sizes, spacing and colours of printed documents (points; colours print well in grey).

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const INK: Rgb = Rgb(0x1F, 0x23, 0x28);
pub const MUTED: Rgb = Rgb(0x5F, 0x66, 0x6D);
/// The app's US blue (theme::US_BLUE), for the title rule and level-1 headings.
pub const ACCENT: Rgb = Rgb(0x00, 0x5A, 0x9C);
pub const RULE: Rgb = Rgb(0xC8, 0xCD, 0xD2);
pub const HEADER_FILL: Rgb = Rgb(0xE3, 0xEC, 0xF4);
pub const ZEBRA_FILL: Rgb = Rgb(0xF4, 0xF6, 0xF8);

pub const TITLE: f32 = 22.0;
pub const SUBTITLE: f32 = 12.0;
pub const BODY: f32 = 10.0;
pub const TABLE: f32 = 8.8;
pub const NOTE: f32 = 8.2;
pub const CAPTION: f32 = 8.6;
pub const FURNITURE: f32 = 7.8;

pub const SLIDE_TITLE: f32 = 30.0;
pub const SLIDE_CAPTION: f32 = 16.0;

/// Line height as a multiple of the type size.
pub const LEADING: f32 = 1.32;
/// Baseline below the top of a line, as a multiple of the type size (DejaVu's ascender).
pub const ASCENT: f32 = 0.93;
pub const BLOCK_GAP: f32 = 9.0;
pub const HEADING_GAP: f32 = 6.0;
/// Room above the text for the running header, and below it for the footer.
pub const HEADER_BAND: f32 = 12.0;
pub const FOOTER_BAND: f32 = 14.0;
/// Cell padding in tables.
pub const CELL_PAD_X: f32 = 4.0;
pub const CELL_PAD_Y: f32 = 3.0;

pub fn heading_size(level: u8) -> f32 {
    match level {
        0 | 1 => 16.0,
        2 => 13.0,
        _ => 11.0,
    }
}

/// Page margin: 18 mm on A4, proportionally on other sizes.
pub fn margin(size: (f32, f32)) -> f32 {
    (size.0.min(size.1) * 0.0857).round()
}
