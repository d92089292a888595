//! "Export PNG": asks the viewport for a screenshot, crops it to the figure and saves it.

use crate::session::PlotSettings;
use egui::{ColorImage, Rect};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// `diffusion-desk-<plot>.png`, named for the plot (and country) shown.
pub fn file_name(plot: &dyn super::Plot, p: &PlotSettings) -> String {
    format!("diffusion-desk-{}.png", plot.export_stem(p))
}

/// The export file name for the plot the settings choose (the first plot for an unknown id).
pub fn export_file_name(p: &PlotSettings) -> String {
    let plots = super::plot_registry();
    let plot = plots
        .iter()
        .find(|x| x.id() == p.kind.as_str())
        .unwrap_or(&plots[0]);
    file_name(plot.as_ref(), p)
}

pub struct Exporter {
    pub dir: PathBuf,
    /// The figure's rect in the last frame, in points.
    figure_rect: Option<Rect>,
    /// Filled by the screenshot callback (which may run on the render thread).
    result: Arc<Mutex<Option<Result<PathBuf, String>>>>,
    pending: bool,
    notice: Option<String>,
}

impl Exporter {
    pub fn new(dir: PathBuf) -> Self {
        Self {
            dir,
            figure_rect: None,
            result: Arc::new(Mutex::new(None)),
            pending: false,
            notice: None,
        }
    }

    pub fn dir_display(&self) -> String {
        std::path::absolute(&self.dir)
            .unwrap_or_else(|_| self.dir.clone())
            .display()
            .to_string()
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn figure_rect(&self) -> Option<Rect> {
        self.figure_rect
    }

    pub fn set_figure_rect(&mut self, rect: Rect) {
        self.figure_rect = Some(rect);
    }

    pub fn request(&mut self, ui: &egui::Ui, file_name: String) {
        let Some(rect) = self.figure_rect else {
            self.notice = Some("Nothing to export yet.".into());
            return;
        };
        let path = self.dir.join(file_name);
        let ppp = ui.pixels_per_point();
        let result = Arc::clone(&self.result);
        let ctx = ui.ctx().clone();
        self.pending = true;
        self.notice = Some("Exporting…".into());
        ui.ctx().request_screenshot(move |image| {
            let outcome = save_region(&image, rect, ppp, &path);
            if let Ok(mut slot) = result.lock() {
                *slot = Some(outcome);
            }
            ctx.request_repaint();
        });
    }

    /// Picks up a finished export (called every frame).
    pub fn poll(&mut self, ui: &egui::Ui) {
        if !self.pending {
            return;
        }
        let done = self.result.lock().ok().and_then(|mut r| r.take());
        if let Some(outcome) = done {
            self.pending = false;
            self.notice = Some(match outcome {
                Ok(path) => format!("Saved {}", path.display()),
                Err(e) => format!("Export failed: {e}"),
            });
        } else {
            ui.ctx().request_repaint();
        }
    }
}

fn save_region(image: &ColorImage, rect: Rect, ppp: f32, path: &Path) -> Result<PathBuf, String> {
    let full = Rect::from_min_size(
        egui::Pos2::ZERO,
        egui::vec2(image.width() as f32 / ppp, image.height() as f32 / ppp),
    );
    let rect = rect.intersect(full);
    if !rect.is_positive() {
        return Err("the figure is outside the window".into());
    }
    let region = image.region(&rect, Some(ppp));
    let bytes: Vec<u8> = region.pixels.iter().flat_map(|c| c.to_array()).collect();
    let img = image::RgbaImage::from_raw(region.width() as u32, region.height() as u32, bytes)
        .ok_or_else(|| "the screenshot has an unexpected size".to_string())?;
    img.save(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cc;

    #[test]
    fn file_names_name_the_plot() {
        let mut p = PlotSettings::default();
        assert_eq!(export_file_name(&p), "diffusion-desk-caps-vs-purchases.png");
        p.kind = crate::session::PlotId::new(super::super::ALLOCATION_PLOT);
        p.country = Some(cc!("MY"));
        assert_eq!(export_file_name(&p), "diffusion-desk-allocation-my.png");
    }

    #[test]
    fn crops_and_saves_a_region() {
        let dir = tempfile::tempdir().unwrap();
        let image = ColorImage::filled([40, 30], egui::Color32::RED);
        let path = dir.path().join("x.png");
        let rect = Rect::from_min_max(egui::pos2(5.0, 5.0), egui::pos2(15.0, 25.0));
        let saved = save_region(&image, rect, 2.0, &path).unwrap();
        let back = image::open(saved).unwrap();
        assert_eq!((back.width(), back.height()), (20, 20));
    }
}
