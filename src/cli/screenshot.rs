//! `diffusion-desk screenshot`: renders a view headlessly (offscreen wgpu) to a PNG; the same
//! rendering, in memory, gives reports and decks their images.

use crate::session::Workspace;
use crate::ui::DeskApp;
use egui_kittest::Harness;
use std::path::Path;

/// Parses `WxH`.
pub fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("--size: `{s}` is not WxH (e.g. 1280x800)"))?;
    let w: u32 = w
        .trim()
        .parse()
        .map_err(|_| format!("--size: bad width `{w}`"))?;
    let h: u32 = h
        .trim()
        .parse()
        .map_err(|_| format!("--size: bad height `{h}`"))?;
    if !(200..=8192).contains(&w) || !(150..=8192).contains(&h) {
        return Err(format!("--size: {w}x{h} is outside 200x150 … 8192x8192"));
    }
    Ok((w, h))
}

/// Renders views of one app headlessly, reusing the offscreen renderer between images (setting
/// it up costs more than a frame), for reports and decks.
pub struct ViewRenderer {
    harness: Harness<'static, DeskApp>,
}

impl ViewRenderer {
    /// A renderer of `app` at `size` points (1 pixel per point) in the dark or light theme.
    pub fn new(app: DeskApp, size: (u32, u32), dark: bool) -> Self {
        let harness = Harness::builder()
            .with_size(egui::vec2(size.0 as f32, size.1 as f32))
            .with_theme(if dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            })
            .with_max_steps(20)
            .wgpu()
            .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app);
        Self { harness }
    }

    /// The app, to change its session or view settings between images.
    pub fn app_mut(&mut self) -> &mut DeskApp {
        self.harness.state_mut()
    }

    /// Renders `view` as it is now.
    pub fn render(&mut self, view: &str) -> Result<image::RgbaImage, String> {
        self.harness.state_mut().show_view(view);
        // A few frames let layouts settle (first-frame sizes, fonts); animations are not awaited.
        self.harness.run_steps(4);
        self.harness
            .render()
            .map_err(|e| format!("rendering failed: {e}"))
    }

    /// Renders `view` as PNG bytes.
    pub fn render_png(&mut self, view: &str) -> Result<Vec<u8>, String> {
        png_bytes(&self.render(view)?)
    }

    pub fn into_app(self) -> DeskApp {
        self.harness.into_state()
    }
}

/// Renders `view` of the workspace at `size` points to an image.
pub fn render_view_image(
    ws: Workspace,
    view: &str,
    size: (u32, u32),
    dark: bool,
) -> Result<image::RgbaImage, String> {
    ViewRenderer::new(DeskApp::new(ws), size, dark).render(view)
}

/// Renders `view` of the workspace at `size` points to PNG bytes, in memory.
pub fn render_view_png(
    ws: Workspace,
    view: &str,
    size: (u32, u32),
    dark: bool,
) -> Result<Vec<u8>, String> {
    png_bytes(&render_view_image(ws, view, size, dark)?)
}

/// Renders any UI (e.g. a view the app shell does not host yet) with its state to an image.
pub fn render_ui_image<S>(
    state: S,
    size: (u32, u32),
    dark: bool,
    mut ui: impl FnMut(&mut egui::Ui, &mut S),
) -> Result<image::RgbaImage, String> {
    let mut fonts_installed = false;
    let mut harness = Harness::builder()
        .with_size(egui::vec2(size.0 as f32, size.1 as f32))
        .with_theme(if dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        })
        .with_max_steps(20)
        .wgpu()
        .build_ui_state(
            move |u, s: &mut S| {
                // The app's fonts (arrows and symbols), as DeskApp installs them.
                if !fonts_installed {
                    crate::ui::theme::install_fonts(u.ctx());
                    fonts_installed = true;
                    u.ctx().request_discard("installing fonts");
                    return;
                }
                ui(u, s)
            },
            state,
        );
    harness.run_steps(4);
    harness
        .render()
        .map_err(|e| format!("rendering failed: {e}"))
}

/// An image as PNG bytes.
pub fn png_bytes(image: &image::RgbaImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| format!("cannot encode PNG: {e}"))?;
    Ok(out)
}

/// Renders `view` of the workspace at `size` points and writes a PNG (the `screenshot` command).
pub fn render_view(
    ws: Workspace,
    view: &str,
    size: (u32, u32),
    dark: bool,
    out: &Path,
) -> Result<(), String> {
    let image = render_view_image(ws, view, size, dark)?;
    image
        .save(out)
        .map_err(|e| format!("{}: cannot write PNG: {e}", out.display()))
}
