//! `diffusion-desk screenshot`: renders a view headlessly (offscreen wgpu) to a PNG.

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

/// Renders `view` of the workspace at `size` points and writes a PNG.
pub fn render_view(
    ws: Workspace,
    view: &str,
    size: (u32, u32),
    dark: bool,
    out: &Path,
) -> Result<(), String> {
    let mut app = DeskApp::new(ws);
    app.show_view(view);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(size.0 as f32, size.1 as f32))
        .with_theme(if dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        })
        .with_max_steps(20)
        .wgpu()
        .build_ui_state(|ui, app: &mut DeskApp| app.ui_root(ui), app);
    // A few frames let layouts settle (first-frame sizes, fonts); animations are not awaited.
    harness.run_steps(4);
    let image = harness
        .render()
        .map_err(|e| format!("rendering failed: {e}"))?;
    image
        .save(out)
        .map_err(|e| format!("{}: cannot write PNG: {e}", out.display()))
}
