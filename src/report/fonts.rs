//! The embedded typeface (DejaVu Sans, `assets/fonts/`), text measurement and line wrapping.
//!
//! Widths come from rustybuzz, the shaper krilla draws with, so a line measured here is exactly
//! as wide as the line drawn.

use rustybuzz::{Face, UnicodeBuffer};

pub const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub const DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Which face of the typeface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// The parsed faces, for measuring.
pub struct Fonts {
    regular: Face<'static>,
    bold: Face<'static>,
}

impl Fonts {
    pub fn new() -> Self {
        Self {
            regular: Face::from_slice(DEJAVU_SANS, 0).expect("the bundled DejaVu Sans parses"),
            bold: Face::from_slice(DEJAVU_SANS_BOLD, 0)
                .expect("the bundled DejaVu Sans Bold parses"),
        }
    }

    fn face(&self, w: Weight) -> &Face<'static> {
        match w {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// Width in points of `text` on one line at `size` points.
    pub fn width(&self, w: Weight, size: f32, text: &str) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        let face = self.face(w);
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(face, &[], buffer);
        let units: i64 = shaped
            .glyph_positions()
            .iter()
            .map(|p| i64::from(p.x_advance))
            .sum();
        units as f32 * size / f32::from(face.units_per_em() as u16)
    }

    /// Characters of `text` the typeface has no glyph for (drawn as its missing-glyph box).
    pub fn missing_glyphs(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = text
            .chars()
            .filter(|c| !c.is_control() && self.regular.glyph_index(*c).is_none())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Breaks `text` into lines no wider than `max_width`: at spaces, at `\n`, and inside a word
    /// only when the word alone is too wide.
    pub fn wrap(&self, w: Weight, size: f32, text: &str, max_width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let space = self.width(w, size, " ");
        for para in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in para.split_whitespace() {
                let word_w = self.width(w, size, word);
                let gap = if line.is_empty() { 0.0 } else { space };
                if line_w + gap + word_w <= max_width {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_w += gap + word_w;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if word_w <= max_width {
                    line.push_str(word);
                    line_w = word_w;
                } else {
                    let mut pieces = self.break_word(w, size, word, max_width);
                    let last = pieces.pop().unwrap_or_default();
                    lines.extend(pieces);
                    line_w = self.width(w, size, &last);
                    line = last;
                }
            }
            lines.push(line);
        }
        lines
    }

    /// Splits a word wider than `max_width` into pieces that fit (at least one char each).
    fn break_word(&self, w: Weight, size: f32, word: &str, max_width: f32) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if self.width(w, size, &piece) > max_width && piece.chars().count() > 1 {
                piece.pop();
                pieces.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        pieces.push(piece);
        pieces
    }
}

impl Default for Fonts {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The symbols the app prints (theme.rs's list plus accented names) are all in the font.
    #[test]
    fn the_apps_symbols_have_glyphs() {
        let fonts = Fonts::new();
        assert_eq!(
            fonts.missing_glyphs("éãçü→≈≤≥–—·×⚠✔•÷²↑↓●▸ℹ€£§"),
            Vec::<char>::new()
        );
        assert_eq!(fonts.missing_glyphs("华为 ok"), vec!['为', '华']);
    }

    #[test]
    fn wrapping_fits_the_width_and_keeps_every_word() {
        let fonts = Fonts::new();
        let text = "Per-country allocation drawn and left, per-consignee LPP use by year, holds \
                    and overrides with their reasons.\nSecond paragraph.";
        let lines = fonts.wrap(Weight::Regular, 10.0, text, 150.0);
        assert!(lines.len() >= 4, "{lines:?}");
        for l in &lines {
            assert!(fonts.width(Weight::Regular, 10.0, l) <= 150.0, "{l}");
        }
        assert_eq!(lines.last().unwrap(), "Second paragraph.");
        let rejoined = lines.join(" ");
        assert_eq!(
            rejoined.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
        // A word wider than the column is broken rather than overflowing.
        let long = fonts.wrap(
            Weight::Bold,
            10.0,
            "https://example.org/a/very/long/path",
            60.0,
        );
        assert!(long.len() > 1);
        assert!(
            long.iter()
                .all(|l| fonts.width(Weight::Bold, 10.0, l) <= 60.0)
        );
        assert_eq!(long.concat(), "https://example.org/a/very/long/path");
    }
}
