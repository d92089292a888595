//! The document model: what a report or deck says, independent of the PDF crate.

/// Paper or slide size and orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PageSize {
    /// 210 × 297 mm: period reports.
    #[default]
    A4Portrait,
    /// 297 × 210 mm: wide tables, slides to print.
    A4Landscape,
    /// 16:9 at 960 × 540 pt (13.33 × 7.5 in, the presentation-software default): slide decks.
    Wide16x9,
}

impl PageSize {
    /// Width and height in PDF points (1/72 in).
    pub fn size_pt(self) -> (f32, f32) {
        const A4_W: f32 = 595.276;
        const A4_H: f32 = 841.89;
        match self {
            PageSize::A4Portrait => (A4_W, A4_H),
            PageSize::A4Landscape => (A4_H, A4_W),
            PageSize::Wide16x9 => (960.0, 540.0),
        }
    }
}

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// A table column: header, share of the table width, alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    /// Fraction of the text width; the fractions are normalised, so they need not sum to 1.
    pub width: f32,
    pub align: Align,
}

impl Column {
    pub fn new(header: impl Into<String>, width: f32, align: Align) -> Self {
        Self {
            header: header.into(),
            width,
            align,
        }
    }
}

/// A table: wrapped cells, zebra rows, the header repeated on every page it runs onto.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Cells by row; a short row is padded with empty cells, extra cells are an error.
    pub rows: Vec<Vec<String>>,
    /// Shown below the table; empty for none.
    pub caption: String,
}

/// A PNG image scaled to the text width (never enlarged past 2× its pixel size).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Image {
    pub png_bytes: Vec<u8>,
    /// Shown below the image; empty for none.
    pub caption: String,
    /// Largest height in points; `None` for the page's text height.
    pub max_height: Option<f32>,
}

/// One slide of a deck: its own page, big title, the image fitted, the caption below.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SlidePage {
    pub title: String,
    pub caption: String,
    pub image_png: Vec<u8>,
}

/// A piece of a document's flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 (largest) to 3. Levels 1 and 2 become PDF bookmarks.
    Heading(u8, String),
    /// Wrapped body text; `\n` starts a new line.
    Paragraph(String),
    Table(Table),
    Image(Image),
    /// Label–value pairs in two columns (e.g. a report's period and scope).
    KeyValues(Vec<(String, String)>),
    PageBreak,
    /// Small grey text: caveats, sources.
    Note(String),
    /// A full page in the slide layout.
    Slide(SlidePage),
}

/// A printable document. Output is a pure function of this value: no clock is read, so the
/// caller passes `generated_at` (e.g. "Generated 2026-12-01 14:03 UTC") and tests are stable.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub title: String,
    /// Under the title on the first page and in the running header; empty for none.
    pub subtitle: String,
    /// Printed in every page's footer.
    pub generated_at: String,
    pub page_size: PageSize,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(title: impl Into<String>, page_size: PageSize) -> Self {
        Self {
            title: title.into(),
            page_size,
            ..Default::default()
        }
    }

    /// A deck: one 16:9 page per slide, no title page.
    pub fn deck(
        title: impl Into<String>,
        generated_at: impl Into<String>,
        slides: Vec<SlidePage>,
    ) -> Self {
        Self {
            title: title.into(),
            generated_at: generated_at.into(),
            page_size: PageSize::Wide16x9,
            blocks: slides.into_iter().map(Block::Slide).collect(),
            ..Default::default()
        }
    }

    /// Adds a block (builder style).
    pub fn push(&mut self, block: Block) -> &mut Self {
        self.blocks.push(block);
        self
    }

    /// True when every block is a slide: no title block, slide-style footer.
    pub fn is_deck(&self) -> bool {
        !self.blocks.is_empty() && self.blocks.iter().all(|b| matches!(b, Block::Slide(_)))
    }

    /// Every piece of text the document prints, for glyph checks.
    pub fn texts(&self) -> Vec<&str> {
        let mut out = vec![
            self.title.as_str(),
            self.subtitle.as_str(),
            self.generated_at.as_str(),
        ];
        for b in &self.blocks {
            match b {
                Block::Heading(_, t) | Block::Paragraph(t) | Block::Note(t) => out.push(t),
                Block::Table(t) => {
                    out.extend(t.columns.iter().map(|c| c.header.as_str()));
                    out.extend(t.rows.iter().flatten().map(String::as_str));
                    out.push(&t.caption);
                }
                Block::Image(i) => out.push(&i.caption),
                Block::KeyValues(kv) => {
                    for (k, v) in kv {
                        out.push(k);
                        out.push(v);
                    }
                }
                Block::Slide(s) => {
                    out.push(&s.title);
                    out.push(&s.caption);
                }
                Block::PageBreak => {}
            }
        }
        out
    }
}
