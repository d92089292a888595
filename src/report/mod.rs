//! Printable documents: period reports and slide decks as PDF.
//!
//! A small document model ([`Document`] of [`Block`]s, [`SlidePage`] for decks) that knows
//! nothing of the PDF crate, a layout pass that flows it onto pages (wrapped text, tables whose
//! header repeats on every page, images fitted to the page, running header and "page N of M"
//! footer), and a painter.
//!
//! **Why krilla.** krilla (0.8, by the author of typst's PDF export, MIT/Apache-2.0) is a
//! high-level, actively maintained writer: it embeds TrueType fonts as subsets with ToUnicode maps
//! (so text is real, selectable and extractable), shapes text with rustybuzz, embeds PNGs
//! (alpha included) and writes outlines and metadata, all deterministically (no clock, stable
//! ids). `printpdf` 0.8+ ties text layout to its HTML/azul stack and is much heavier to build;
//! `pdf-writer` (which krilla builds on) is the low-level layer, leaving font subsetting,
//! CID fonts and ToUnicode to us.
//!
//! **Type.** DejaVu Sans and DejaVu Sans Bold (`assets/fonts/`, Bitstream Vera + Arev licence,
//! see `DejaVuSans.LICENSE.md`): it has every glyph the app prints (é ã → ≈ ≤ ≥ – — · × ⚠ ✔ •),
//! which egui's Ubuntu-Light lacks. Characters outside it (e.g. CJK names) are drawn as the
//! font's missing-glyph box; [`missing_glyphs`] lists them so a caller can warn.
//!
//! Output is a pure function of the [`Document`]: the caller passes the "generated at" line.

mod fonts;
mod layout;
mod model;
mod paint;
pub mod period;
mod slide;
mod style;
mod table;

pub use model::{Align, Block, Column, Document, Image, PageSize, SlidePage, Table};

use std::path::Path;

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("image: {0}")]
    Image(String),
    #[error("table: {0}")]
    Table(String),
    #[error("PDF: {0}")]
    Pdf(String),
    #[error("{path}: cannot write: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// The document as PDF bytes.
pub fn render_pdf(doc: &Document) -> Result<Vec<u8>, ReportError> {
    let fonts = fonts::Fonts::new();
    let laid = layout::layout(doc, &fonts)?;
    paint::paint(&laid, &doc.title, &doc.subtitle)
}

/// Renders `doc` and writes it to `path` atomically (a reader never sees half a file).
pub fn write_pdf(doc: &Document, path: &Path) -> Result<(), ReportError> {
    let bytes = render_pdf(doc)?;
    crate::session::file::write_atomically(path, &bytes).map_err(|source| ReportError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Characters of the document the embedded font has no glyph for, sorted, each once.
pub fn missing_glyphs(doc: &Document) -> Vec<char> {
    let fonts = fonts::Fonts::new();
    let mut out: Vec<char> = doc
        .texts()
        .into_iter()
        .flat_map(|t| fonts.missing_glyphs(t))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// How many pages `doc` lays out to (without painting it).
pub fn page_count(doc: &Document) -> Result<usize, ReportError> {
    let fonts = fonts::Fonts::new();
    Ok(layout::layout(doc, &fonts)?.pages.len())
}

#[cfg(test)]
mod tests;
