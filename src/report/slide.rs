//! The slide layout: one page, a big title, the image fitted to the space left, the caption
//! below in large type.

use super::ReportError;
use super::fonts::Weight;
use super::layout::{Flow, Op, fit, png_size};
use super::model::SlidePage;
use super::style;

/// At most this many title lines and caption lines; longer text is cut with an ellipsis, since a
/// slide that scrolls off its page is worse than a shortened caption.
const MAX_TITLE_LINES: usize = 2;
const MAX_CAPTION_LINES: usize = 3;

/// Draws `s` on a page of its own. `deck` is true for a deck page (no running header above).
pub fn slide<'d>(flow: &mut Flow<'d>, s: &'d SlidePage, deck: bool) -> Result<(), ReportError> {
    if !flow.page.ops.is_empty() {
        flow.new_page();
    }
    // Slide type scales with the page, so an A4 landscape slide looks like a 16:9 one.
    let k = flow.size.1 / 540.0;
    let (title_size, caption_size) = (style::SLIDE_TITLE * k, style::SLIDE_CAPTION * k);
    let top = if deck {
        style::margin(flow.size)
    } else {
        flow.top
    };
    flow.y = top;
    let title = clamp_lines(flow, Weight::Bold, title_size, &s.title, MAX_TITLE_LINES);
    for line in &title {
        let baseline = flow.y + title_size * style::ASCENT;
        flow.text(
            flow.left,
            baseline,
            title_size,
            Weight::Bold,
            style::INK,
            line,
        );
        flow.y += title_size * style::LEADING;
    }
    flow.y += 8.0 * k;
    let caption = clamp_lines(
        flow,
        Weight::Regular,
        caption_size,
        &s.caption,
        MAX_CAPTION_LINES,
    );
    let caption_h = caption.len() as f32 * caption_size * style::LEADING;
    let gap = if caption.is_empty() { 0.0 } else { 10.0 * k };
    let image_h = (flow.bottom - flow.y - caption_h - gap).max(40.0);
    if !s.image_png.is_empty() {
        let (pw, ph) = png_size(&s.image_png)?;
        let (w, h) = fit(pw as f32, ph as f32, flow.width, image_h, 3.0);
        let x = flow.left + (flow.width - w) / 2.0;
        let y = flow.y + (image_h - h) / 2.0;
        let index = flow.pngs.len();
        flow.pngs.push(&s.image_png);
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
    }
    flow.y += image_h + gap;
    for line in &caption {
        let baseline = flow.y + caption_size * style::ASCENT;
        flow.text(
            flow.left,
            baseline,
            caption_size,
            Weight::Regular,
            style::INK,
            line,
        );
        flow.y += caption_size * style::LEADING;
    }
    // The page is full: whatever follows starts a new one.
    flow.y = flow.bottom;
    Ok(())
}

fn clamp_lines(flow: &Flow, w: Weight, size: f32, text: &str, max: usize) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let mut lines = flow.fonts.wrap(w, size, text, flow.width);
    if lines.len() > max {
        lines.truncate(max);
        let last = lines.last_mut().expect("max > 0");
        while !last.is_empty() && flow.fonts.width(w, size, &format!("{last} …")) > flow.width {
            last.pop();
        }
        last.push_str(" …");
    }
    lines
}
