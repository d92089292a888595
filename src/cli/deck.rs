//! `diffusion-desk deck --session FILE --out DIR|FILE.pdf [--size WxH] [--dark]`: the session's
//! deck exported headlessly, one PDF page or one PNG per slide. The app's "Export deck" runs the
//! same [`export`].
//!
//! Each slide is drawn by the app itself, offscreen ([`ViewRenderer`]), from the slide's saved
//! view state: a PNG is the whole slide as presented (title, view, caption, "3 / 8"); a PDF page
//! sets the title and caption as text (selectable, sharp at any zoom) around an image of the view.

use super::screenshot::{ViewRenderer, png_bytes};
use crate::report::{Document, SlidePage, write_pdf};
use crate::session::Workspace;
use crate::ui::DeskApp;
use crate::ui::dialogs::FakeDialogs;
use crate::ui::presenter::{ShowMode, slide_scale};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where a deck goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeckTarget {
    /// One PDF, one page per slide.
    Pdf(PathBuf),
    /// A folder of `slide-01.png`, `slide-02.png`, …
    Pngs(PathBuf),
}

impl DeckTarget {
    /// A path ending in `.pdf` is a PDF; anything else a folder for PNGs.
    pub fn for_path(out: &Path) -> Self {
        let pdf = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
        if pdf {
            DeckTarget::Pdf(out.to_path_buf())
        } else {
            DeckTarget::Pngs(out.to_path_buf())
        }
    }

    /// "Exported 8 slides to talk.pdf".
    pub fn describe(&self, slides: usize) -> String {
        let n = crate::format::count(slides, "slide");
        match self {
            DeckTarget::Pdf(p) => format!("Exported {n} to {}", p.display()),
            DeckTarget::Pngs(d) => format!("Exported {n} as PNGs to {}", d.display()),
        }
    }
}

/// Slide size in points (1 pixel per point) and theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeckOptions {
    pub size: (u32, u32),
    pub dark: bool,
}

impl Default for DeckOptions {
    fn default() -> Self {
        Self {
            size: (1600, 900),
            dark: false,
        }
    }
}

/// The PDF page's image: the view at 4/5 of the slide's width, in the shape the 16:9 page leaves
/// between its title and caption, with the type of a slide of the full size (so it reads at the
/// page's scale).
fn pdf_image_size(opts: &DeckOptions) -> ((u32, u32), f32) {
    let w = (opts.size.0 * 4 / 5).max(400);
    let h = (w as f32 / 2.4).round() as u32;
    let scale = slide_scale(egui::vec2(opts.size.0 as f32, opts.size.1 as f32));
    ((w, h.max(150)), scale)
}

/// "Generated 2026-12-01 14:03 UTC from talk.ron".
pub fn generated_at(session: Option<&Path>) -> String {
    let now = jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC");
    match session.and_then(Path::file_name) {
        Some(f) => format!("Generated {now} from {}", f.to_string_lossy()),
        None => format!("Generated {now}"),
    }
}

/// Renders every slide of the workspace's deck to `target`; the files written. `progress` is
/// called with (slides done, slides in all) before each slide.
pub fn export(
    ws: Workspace,
    target: &DeckTarget,
    opts: &DeckOptions,
    generated_at: &str,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<PathBuf>, String> {
    let slides = ws.session.deck.slides.clone();
    if slides.is_empty() {
        return Err("the session's deck has no slides".into());
    }
    let title = ws.session.title.clone();
    let app = DeskApp::with_dialogs(ws, Box::new(FakeDialogs::new()));
    match target {
        DeckTarget::Pngs(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
            let mut r = ViewRenderer::new(app, opts.size, opts.dark);
            let mut written = Vec::new();
            for (i, s) in slides.iter().enumerate() {
                progress(i, slides.len());
                let image = render_slide(&mut r, i, s.view.view_id(), ShowMode::Still)?;
                let path = dir.join(format!("slide-{:02}.png", i + 1));
                image
                    .save(&path)
                    .map_err(|e| format!("{}: cannot write PNG: {e}", path.display()))?;
                written.push(path);
            }
            Ok(written)
        }
        DeckTarget::Pdf(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
            }
            let (size, scale) = pdf_image_size(opts);
            let mut r = ViewRenderer::new(app, size, opts.dark);
            let mut pages = Vec::new();
            for (i, s) in slides.iter().enumerate() {
                progress(i, slides.len());
                let image = render_slide(&mut r, i, s.view.view_id(), ShowMode::Body { scale })?;
                pages.push(SlidePage {
                    title: s.title.clone(),
                    caption: s.caption.clone(),
                    image_png: png_bytes(&image)?,
                });
            }
            let doc = Document::deck(title, generated_at, pages);
            write_pdf(&doc, path).map_err(|e| e.to_string())?;
            Ok(vec![path.clone()])
        }
    }
}

fn render_slide(
    r: &mut ViewRenderer,
    index: usize,
    view: &str,
    mode: ShowMode,
) -> Result<image::RgbaImage, String> {
    let app = r.app_mut();
    app.presenter.still(&app.ws, index, mode);
    r.render(view)
}

/// The `deck` command: 0 when every slide was written, 2 when the session cannot be used or a
/// file cannot be written (with a message on stderr).
pub fn run(
    session: &Path,
    out: &Path,
    size: &str,
    dark: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> u8 {
    let fail = |stderr: &mut dyn Write, e: String| {
        let _ = writeln!(stderr, "error: {e}");
        2
    };
    let size = match super::screenshot::parse_size(size) {
        Ok(s) => s,
        Err(e) => return fail(stderr, e),
    };
    let engine = std::sync::Arc::new(crate::rules::Engine::embedded());
    let s = match crate::session::file::load_session(session, &engine) {
        Ok(s) => s,
        Err(e) => return fail(stderr, e.to_string()),
    };
    let slides = s.deck.len();
    let mut ws = Workspace::new(engine, s);
    ws.path = Some(session.to_path_buf());
    let target = DeckTarget::for_path(out);
    let opts = DeckOptions { size, dark };
    let stamp = generated_at(Some(session));
    match export(ws, &target, &opts, &stamp, &mut |_, _| {}) {
        Ok(_) => {
            let _ = writeln!(stdout, "{}", target.describe(slides));
            0
        }
        Err(e) => fail(stderr, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_follow_the_extension() {
        assert_eq!(
            DeckTarget::for_path(Path::new("talk.PDF")),
            DeckTarget::Pdf("talk.PDF".into())
        );
        assert_eq!(
            DeckTarget::for_path(Path::new("slides")),
            DeckTarget::Pngs("slides".into())
        );
        assert_eq!(
            DeckTarget::Pdf("a.pdf".into()).describe(3),
            "Exported 3 slides to a.pdf"
        );
    }

    #[test]
    fn pdf_images_are_wide_with_slide_type() {
        let ((w, h), k) = pdf_image_size(&DeckOptions::default());
        assert_eq!((w, h), (1280, 533));
        assert!(k > 1.3, "{k}");
    }
}
