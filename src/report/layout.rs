//! Flows a `Document` onto pages of drawing operations (points, y down, text at its baseline).
//! Laying out first and drawing second lets every footer say "page N of M".

use super::ReportError;
use super::fonts::{Fonts, Weight};
use super::model::{Block, Document, Image};
use super::style::{self, Rgb};

/// One drawing operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Text {
        x: f32,
        /// Baseline.
        y: f32,
        size: f32,
        weight: Weight,
        color: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Rgb,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    /// A PNG from the document, by its place among the document's images.
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        png: usize,
    },
}

/// A bookmark: heading text, level, page index and y.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub level: u8,
    pub text: String,
    pub page: usize,
    pub y: f32,
}

/// A laid-out page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub ops: Vec<Op>,
}

/// The laid-out document: pages, bookmarks and the PNGs the image ops refer to.
pub struct Laid<'d> {
    pub size: (f32, f32),
    pub pages: Vec<Page>,
    pub marks: Vec<Mark>,
    pub pngs: Vec<&'d [u8]>,
}

/// The flow cursor: the page being filled and where the next block starts.
pub struct Flow<'d> {
    pub fonts: &'d Fonts,
    pub size: (f32, f32),
    pub left: f32,
    pub width: f32,
    /// Where the text area starts on pages after the first.
    pub top: f32,
    pub bottom: f32,
    pub y: f32,
    pub page: Page,
    pub done: Vec<Page>,
    pub marks: Vec<Mark>,
    pub pngs: Vec<&'d [u8]>,
}

impl<'d> Flow<'d> {
    fn new(fonts: &'d Fonts, size: (f32, f32)) -> Self {
        let m = style::margin(size);
        Self {
            fonts,
            size,
            left: m,
            width: size.0 - 2.0 * m,
            top: m + style::HEADER_BAND,
            bottom: size.1 - m - style::FOOTER_BAND,
            y: m,
            page: Page::default(),
            done: Vec::new(),
            marks: Vec::new(),
            pngs: Vec::new(),
        }
    }

    pub fn page_index(&self) -> usize {
        self.done.len()
    }

    pub fn room(&self) -> f32 {
        self.bottom - self.y
    }

    /// True when nothing has been placed below the header on this page.
    pub fn at_page_top(&self) -> bool {
        self.y <= self.top + 0.01
    }

    pub fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.page));
        self.y = self.top;
    }

    /// Starts a new page unless `h` points fit (or the page is still empty).
    pub fn ensure(&mut self, h: f32) {
        if h > self.room() && !self.at_page_top() {
            self.new_page();
        }
    }

    pub fn text(&mut self, x: f32, y: f32, size: f32, weight: Weight, color: Rgb, text: &str) {
        if !text.is_empty() {
            self.page.ops.push(Op::Text {
                x,
                y,
                size,
                weight,
                color,
                text: text.to_string(),
            });
        }
    }

    /// Wrapped lines at the cursor, breaking pages between lines.
    pub fn lines(&mut self, text: &str, size: f32, weight: Weight, color: Rgb, indent: f32) {
        let leading = size * style::LEADING;
        for line in self.fonts.wrap(weight, size, text, self.width - indent) {
            self.ensure(leading);
            let baseline = self.y + size * style::ASCENT;
            self.text(self.left + indent, baseline, size, weight, color, &line);
            self.y += leading;
        }
    }

    fn finish(mut self) -> (Vec<Page>, Vec<Mark>, Vec<&'d [u8]>) {
        if !self.page.ops.is_empty() || self.done.is_empty() {
            self.done.push(self.page);
        }
        (self.done, self.marks, self.pngs)
    }
}

/// Lays the whole document out and adds headers and footers.
pub fn layout<'d>(doc: &'d Document, fonts: &'d Fonts) -> Result<Laid<'d>, ReportError> {
    let size = doc.page_size.size_pt();
    let mut flow = Flow::new(fonts, size);
    if doc.is_deck() {
        for block in &doc.blocks {
            if let Block::Slide(s) = block {
                super::slide::slide(&mut flow, s, true)?;
            }
        }
    } else {
        title_block(&mut flow, doc);
        for (i, block) in doc.blocks.iter().enumerate() {
            place(&mut flow, block, doc.blocks.get(i + 1))?;
        }
    }
    let (mut pages, marks, pngs) = flow.finish();
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        furniture(fonts, size, page, doc, i, total);
    }
    Ok(Laid {
        size,
        pages,
        marks,
        pngs,
    })
}

fn title_block(flow: &mut Flow, doc: &Document) {
    flow.y = style::margin(flow.size);
    flow.lines(&doc.title, style::TITLE, Weight::Bold, style::INK, 0.0);
    if !doc.subtitle.is_empty() {
        flow.y += 2.0;
        flow.lines(
            &doc.subtitle,
            style::SUBTITLE,
            Weight::Regular,
            style::MUTED,
            0.0,
        );
    }
    flow.y += 6.0;
    let (x1, x2, y) = (flow.left, flow.left + flow.width, flow.y);
    flow.page.ops.push(Op::Line {
        x1,
        y1: y,
        x2,
        y2: y,
        width: 1.2,
        color: style::ACCENT,
    });
    flow.y += style::BLOCK_GAP;
}

fn place<'d>(
    flow: &mut Flow<'d>,
    block: &'d Block,
    next: Option<&Block>,
) -> Result<(), ReportError> {
    match block {
        Block::Heading(level, text) => heading(flow, *level, text, next),
        Block::Paragraph(text) => {
            flow.lines(text, style::BODY, Weight::Regular, style::INK, 0.0);
            flow.y += style::BLOCK_GAP;
        }
        Block::Note(text) => {
            flow.lines(text, style::NOTE, Weight::Regular, style::MUTED, 0.0);
            flow.y += style::BLOCK_GAP;
        }
        Block::KeyValues(kv) => key_values(flow, kv),
        Block::Table(t) => super::table::table(flow, t)?,
        Block::Image(img) => image(flow, img)?,
        Block::PageBreak => {
            if !flow.at_page_top() {
                flow.new_page();
            }
        }
        Block::Slide(s) => super::slide::slide(flow, s, false)?,
    }
    Ok(())
}

fn heading(flow: &mut Flow, level: u8, text: &str, next: Option<&Block>) {
    let size = style::heading_size(level);
    let lines = flow.fonts.wrap(Weight::Bold, size, text, flow.width);
    let own = lines.len() as f32 * size * style::LEADING + style::HEADING_GAP;
    // Keep a heading with the start of what follows: never alone at the foot of a page.
    let follow = match next {
        Some(Block::Paragraph(_) | Block::Note(_) | Block::KeyValues(_)) => {
            3.0 * style::BODY * style::LEADING
        }
        Some(Block::Table(_)) => 4.0 * style::TABLE * style::LEADING + 8.0,
        Some(Block::Image(_)) => 120.0,
        _ => 0.0,
    };
    if !flow.at_page_top() {
        flow.y += style::HEADING_GAP;
    }
    flow.ensure(own + follow);
    if level <= 2 {
        let (page, y) = (flow.page_index(), flow.y);
        flow.marks.push(Mark {
            level,
            text: text.to_string(),
            page,
            y,
        });
    }
    let color = if level == 1 {
        style::ACCENT
    } else {
        style::INK
    };
    flow.lines(text, size, Weight::Bold, color, 0.0);
    flow.y += style::HEADING_GAP * 0.5;
}

fn key_values(flow: &mut Flow, kv: &[(String, String)]) {
    let key_w = (flow.width * 0.3).min(170.0);
    let size = style::BODY;
    let leading = size * style::LEADING;
    for (k, v) in kv {
        let keys = flow.fonts.wrap(Weight::Bold, size, k, key_w - 8.0);
        let vals = flow
            .fonts
            .wrap(Weight::Regular, size, v, flow.width - key_w);
        let n = keys.len().max(vals.len());
        flow.ensure(n as f32 * leading);
        for i in 0..n {
            flow.ensure(leading);
            let baseline = flow.y + size * style::ASCENT;
            if let Some(k) = keys.get(i) {
                flow.text(flow.left, baseline, size, Weight::Bold, style::MUTED, k);
            }
            if let Some(v) = vals.get(i) {
                flow.text(
                    flow.left + key_w,
                    baseline,
                    size,
                    Weight::Regular,
                    style::INK,
                    v,
                );
            }
            flow.y += leading;
        }
        flow.y += 2.0;
    }
    flow.y += style::BLOCK_GAP;
}

/// Pixel size of a PNG, or why it cannot be used.
pub fn png_size(png: &[u8]) -> Result<(u32, u32), ReportError> {
    let reader =
        image::ImageReader::with_format(std::io::Cursor::new(png), image::ImageFormat::Png);
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| ReportError::Image(e.to_string()))?;
    if w == 0 || h == 0 {
        return Err(ReportError::Image("the PNG has no pixels".into()));
    }
    Ok((w, h))
}

/// Scales (w, h) to fit in (max_w, max_h), at most `max_scale` × its size.
pub fn fit(w: f32, h: f32, max_w: f32, max_h: f32, max_scale: f32) -> (f32, f32) {
    let s = (max_w / w).min(max_h / h).min(max_scale);
    (w * s, h * s)
}

fn image<'d>(flow: &mut Flow<'d>, img: &'d Image) -> Result<(), ReportError> {
    let (pw, ph) = png_size(&img.png_bytes)?;
    let caption_lines = if img.caption.is_empty() {
        Vec::new()
    } else {
        flow.fonts
            .wrap(Weight::Regular, style::CAPTION, &img.caption, flow.width)
    };
    let caption_h = caption_lines.len() as f32 * style::CAPTION * style::LEADING
        + if caption_lines.is_empty() { 0.0 } else { 4.0 };
    let page_h = flow.bottom - flow.top - caption_h;
    let max_h = img.max_height.map_or(page_h, |m| m.min(page_h)).max(20.0);
    // Screenshots are made at 1 px per point; 2× keeps small images from turning to mush.
    let (w, h) = fit(pw as f32, ph as f32, flow.width, max_h, 2.0);
    flow.ensure(h + caption_h);
    let x = flow.left + (flow.width - w) / 2.0;
    let index = flow.pngs.len();
    flow.pngs.push(&img.png_bytes);
    let y = flow.y;
    flow.page.ops.push(Op::Rect {
        x: x - 0.5,
        y: y - 0.5,
        w: w + 1.0,
        h: h + 1.0,
        fill: style::RULE,
    });
    flow.page.ops.push(Op::Image {
        x,
        y,
        w,
        h,
        png: index,
    });
    flow.y += h + 4.0;
    for line in caption_lines {
        let baseline = flow.y + style::CAPTION * style::ASCENT;
        flow.text(
            flow.left,
            baseline,
            style::CAPTION,
            Weight::Regular,
            style::MUTED,
            &line,
        );
        flow.y += style::CAPTION * style::LEADING;
    }
    flow.y += style::BLOCK_GAP;
    Ok(())
}

/// Running header (not on a report's first page) and footer with "page N of M".
fn furniture(
    fonts: &Fonts,
    size: (f32, f32),
    page: &mut Page,
    doc: &Document,
    index: usize,
    total: usize,
) {
    let m = style::margin(size);
    let (left, right) = (m, size.0 - m);
    // Slides are read from across a room: their footer is a little larger.
    let fs = if doc.is_deck() {
        style::FURNITURE * 1.3
    } else {
        style::FURNITURE
    };
    let page_no = if doc.is_deck() {
        format!("{} / {}", index + 1, total)
    } else {
        format!("page {} of {}", index + 1, total)
    };
    let foot = size.1 - m * 0.55;
    let mut ops = Vec::new();
    let mut text = |x: f32, y: f32, t: &str| {
        ops.push(Op::Text {
            x,
            y,
            size: fs,
            weight: Weight::Regular,
            color: style::MUTED,
            text: t.to_string(),
        })
    };
    let no_w = fonts.width(Weight::Regular, fs, &page_no);
    text(right - no_w, foot, &page_no);
    // Leave room for the page number; a long generated-at line is cut rather than overlapping it.
    let room = right - left - no_w - 12.0;
    let left_text = if doc.is_deck() {
        &doc.title
    } else {
        &doc.generated_at
    };
    if let Some(first) = fonts.wrap(Weight::Regular, fs, left_text, room).first() {
        text(left, foot, first);
    }
    if !doc.is_deck() && index > 0 {
        let head = m * 0.75;
        let title = fonts.wrap(Weight::Regular, fs, &doc.title, (right - left) * 0.6);
        if let Some(t) = title.first() {
            text(left, head, t);
        }
        if !doc.subtitle.is_empty() {
            let sub = fonts.wrap(Weight::Regular, fs, &doc.subtitle, (right - left) * 0.38);
            if let Some(s) = sub.first() {
                let w = fonts.width(Weight::Regular, fs, s);
                text(right - w, head, s);
            }
        }
        ops.push(Op::Line {
            x1: left,
            y1: head + 4.0,
            x2: right,
            y2: head + 4.0,
            width: 0.5,
            color: style::RULE,
        });
    }
    page.ops.extend(ops);
}
