//! Writing a period report: CSV, or PDF with the tier map and the allocation plot rendered from
//! the session by the app's own views (headless, offscreen), so the printed pictures are what the
//! officer sees on screen.

use super::{Images, PeriodReport, to_csv, to_document};
use crate::cli::screenshot::png_bytes;
use crate::session::{MapOverlay, PlotId, PlotUnit, Session, ViewId, Workspace};
use crate::ui::map_view::MapView;
use crate::ui::plots_view::PlotsView;
use crate::ui::view::Views;
use egui_kittest::Harness;
use jiff::civil::Date;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The size the views are rendered at, in points: about the page's text width at a readable
/// scale, rendered at 2 pixels per point so text stays sharp in print.
const IMAGE_SIZE: (u32, u32) = (820, 440);
const PIXELS_PER_POINT: f32 = 2.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Csv,
}

impl Format {
    /// By the output file's extension.
    pub fn of(path: &Path) -> Result<Self, String> {
        match path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .as_deref()
        {
            Some("pdf") => Ok(Format::Pdf),
            Some("csv") => Ok(Format::Csv),
            _ => Err(format!(
                "{}: the report is written as .pdf or .csv; say which by the file's extension",
                path.display()
            )),
        }
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    pub path: PathBuf,
    pub format: Format,
    /// "Q3 2025".
    pub label: String,
    pub orders: usize,
}

impl ExportSummary {
    /// "Wrote the Q3 2025 report (35 orders) to q3.pdf".
    pub fn describe(&self) -> String {
        format!(
            "Wrote the {} report ({}) to {}",
            self.label,
            crate::format::count(self.orders, "order"),
            self.path.file_name().map_or_else(
                || self.path.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            )
        )
    }
}

/// The footer line of a PDF made now ("Generated 2026-12-01 14:03 UTC by Diffusion Desk 0.1.0").
pub fn generated_now() -> String {
    let now = jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC");
    format!(
        "Generated {now} by Diffusion Desk {}",
        env!("CARGO_PKG_VERSION")
    )
}

/// Computes the report of `ws` for `from`..=`to` and writes it to `out` (its extension says the
/// format), atomically. `generated_at` is the PDF's footer line.
pub fn export(
    ws: &Workspace,
    from: Date,
    to: Date,
    out: &Path,
    generated_at: &str,
) -> Result<ExportSummary, String> {
    let format = Format::of(out)?;
    let report = PeriodReport::compute(ws, from, to)?;
    let bytes = match format {
        Format::Csv => to_csv(&report, ws),
        Format::Pdf => {
            let images = images_for(ws, &report)?;
            let doc = to_document(&report, ws, &images, generated_at);
            crate::report::render_pdf(&doc).map_err(|e| e.to_string())?
        }
    };
    crate::session::file::write_atomically(out, &bytes)
        .map_err(|e| format!("{}: cannot write: {e}", out.display()))?;
    Ok(ExportSummary {
        path: out.to_path_buf(),
        format,
        label: report.label(),
        orders: report.order_count(),
    })
}

/// The tier map (allocation overlay) and the allocation plot of the country the period drew
/// most, rendered from a copy of the session.
pub fn images_for(ws: &Workspace, report: &PeriodReport) -> Result<Images, String> {
    let country = report.most_drawn_country();
    let map_png = render_view(
        ws,
        crate::ui::map_view::ID,
        |s| {
            s.view.map = Default::default();
            s.view.map.overlay = MapOverlay::AllocationUse;
        },
        |v| v.get::<MapView>().map_rect(),
    )?;
    let plot_png = match country {
        Some(c) => render_view(
            ws,
            crate::ui::plots_view::ID,
            |s| {
                s.view.plots.kind = PlotId::new(crate::ui::plots_view::ALLOCATION_PLOT);
                s.view.plots.unit = PlotUnit::Tpp;
                s.view.plots.country = Some(c);
            },
            |v| v.get::<PlotsView>().figure_rect(),
        )?,
        None => Vec::new(),
    };
    Ok(Images {
        map_png,
        plot_png,
        plot_country: country,
    })
}

/// Renders one view of a copy of the session (light theme), cropped to the part `crop` names
/// (the map or the figure: the app's menus and the view's controls mean nothing on paper).
fn render_view(
    ws: &Workspace,
    view: &'static str,
    settings: impl FnOnce(&mut Session),
    crop: fn(&Views) -> Option<egui::Rect>,
) -> Result<Vec<u8>, String> {
    let mut session = ws.session.clone();
    settings(&mut session);
    session.view.view = ViewId::new(view);
    let mut copy = Workspace::new(Arc::clone(&ws.engine), session);
    if let Some(s) = ws.screener() {
        copy.set_screener(Arc::clone(s));
    }
    let views = Views::new(&copy);
    let id = ViewId::new(view);
    let mut fonts_installed = false;
    let mut harness = Harness::builder()
        .with_size(egui::vec2(IMAGE_SIZE.0 as f32, IMAGE_SIZE.1 as f32))
        .with_pixels_per_point(PIXELS_PER_POINT)
        .with_theme(egui::Theme::Light)
        .with_max_steps(20)
        .wgpu()
        .build_ui_state(
            move |ui, (views, ws): &mut (Views, Workspace)| {
                // The app's fonts first, as DeskApp installs them (arrows and symbols).
                if !fonts_installed {
                    crate::ui::theme::install_fonts(ui.ctx());
                    fonts_installed = true;
                    ui.ctx().request_discard("installing fonts");
                    return;
                }
                egui::CentralPanel::default().show(ui, |ui| {
                    views.by_id_mut(&id).ui(ui, ws);
                });
            },
            (views, copy),
        );
    harness.run_steps(4);
    let image = harness
        .render()
        .map_err(|e| format!("rendering failed: {e}"))?;
    let image = match crop(&harness.state().0) {
        Some(r) => crop_to(&image, r),
        None => image,
    };
    png_bytes(&image)
}

/// The part of `image` under `rect` (points), with a small margin.
fn crop_to(image: &image::RgbaImage, rect: egui::Rect) -> image::RgbaImage {
    let r = rect.expand(2.0) * PIXELS_PER_POINT;
    let clamp = |v: f32, max: u32| (v.round().max(0.0) as u32).min(max);
    let (x0, y0) = (
        clamp(r.min.x, image.width()),
        clamp(r.min.y, image.height()),
    );
    let (x1, y1) = (
        clamp(r.max.x, image.width()),
        clamp(r.max.y, image.height()),
    );
    if x1 <= x0 || y1 <= y0 {
        return image.clone();
    }
    image::imageops::crop_imm(image, x0, y0, x1 - x0, y1 - y0).to_image()
}
