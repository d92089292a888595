//! Draws laid-out pages with krilla: text in the embedded (subset) DejaVu Sans, rules, fills and
//! PNG images; headings become bookmarks.

use super::ReportError;
use super::fonts::{DEJAVU_SANS, DEJAVU_SANS_BOLD, Weight};
use super::layout::{Laid, Mark, Op};
use super::style::Rgb;
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

struct Faces {
    regular: Font,
    bold: Font,
}

impl Faces {
    fn new() -> Result<Self, ReportError> {
        let load = |bytes: &'static [u8]| {
            Font::new(bytes.into(), 0)
                .ok_or_else(|| ReportError::Pdf("the bundled font does not load".into()))
        };
        Ok(Self {
            regular: load(DEJAVU_SANS)?,
            bold: load(DEJAVU_SANS_BOLD)?,
        })
    }

    fn get(&self, w: Weight) -> Font {
        match w {
            Weight::Regular => self.regular.clone(),
            Weight::Bold => self.bold.clone(),
        }
    }
}

fn color(c: Rgb) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

pub fn paint(laid: &Laid, title: &str, subtitle: &str) -> Result<Vec<u8>, ReportError> {
    let faces = Faces::new()?;
    let images = laid
        .pngs
        .iter()
        .map(|png| Image::from_png(png.to_vec().into(), true).map_err(ReportError::Image))
        .collect::<Result<Vec<_>, _>>()?;
    let mut doc = Document::new();
    let (w, h) = laid.size;
    let settings =
        PageSettings::from_wh(w, h).ok_or_else(|| ReportError::Pdf("bad page size".into()))?;
    for page in &laid.pages {
        let mut p = doc.start_page_with(settings.clone());
        let mut surface = p.surface();
        for op in &page.ops {
            draw(&mut surface, op, &faces, &images);
        }
        surface.finish();
        p.finish();
    }
    let mut meta = Metadata::new()
        .title(title.to_string())
        .creator("Diffusion Desk".to_string())
        .language("en".to_string());
    if !subtitle.is_empty() {
        meta = meta.description(subtitle.to_string());
    }
    doc.set_metadata(meta);
    doc.set_outline(outline(&laid.marks));
    doc.finish().map_err(|e| ReportError::Pdf(format!("{e:?}")))
}

fn draw(surface: &mut Surface, op: &Op, faces: &Faces, images: &[Image]) {
    match op {
        Op::Text {
            x,
            y,
            size,
            weight,
            color: c,
            text,
        } => {
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: color(*c).into(),
                ..Default::default()
            }));
            surface.draw_text(
                Point::from_xy(*x, *y),
                faces.get(*weight),
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Rect { x, y, w, h, fill } => {
            let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                return;
            };
            let mut pb = PathBuilder::new();
            pb.push_rect(rect);
            if let Some(path) = pb.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: color(*fill).into(),
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            color: c,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x1, *y1);
            pb.line_to(*x2, *y2);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: color(*c).into(),
                    width: *width,
                    ..Default::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Image { x, y, w, h, png } => {
            let (Some(image), Some(size)) = (images.get(*png), Size::from_wh(*w, *h)) else {
                return;
            };
            surface.push_transform(&Transform::from_translate(*x, *y));
            surface.draw_image(image.clone(), size);
            surface.pop();
        }
    }
}

/// Level-1 headings as top bookmarks, level-2 headings under the level 1 before them.
fn outline(marks: &[Mark]) -> Outline {
    let mut outline = Outline::new();
    let mut current: Option<OutlineNode> = None;
    let node = |m: &Mark| {
        OutlineNode::new(
            m.text.clone(),
            krilla::destination::XyzDestination::new(m.page, Point::from_xy(0.0, m.y)),
        )
    };
    for m in marks {
        if m.level <= 1 {
            if let Some(done) = current.take() {
                outline.push_child(done);
            }
            current = Some(node(m));
        } else if let Some(parent) = current.as_mut() {
            parent.push_child(node(m));
        } else {
            outline.push_child(node(m));
        }
    }
    if let Some(done) = current {
        outline.push_child(done);
    }
    outline
}
