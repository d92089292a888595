//! *Rules ▸ Screening list and threshold…*: which list screens the orders (vintage, source, how
//! many entries per list), and the match threshold that splits possible matches from noise.

use super::screening_loader::ScreeningLoader;
use super::theme;
use crate::format;
use crate::session::Workspace;
use egui::RichText;

#[derive(Default)]
pub struct ScreeningWindow {
    pub open: bool,
    /// The threshold being typed, before it is applied.
    threshold: Option<f64>,
    error: Option<String>,
}

/// What the window asks of the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreeningRequest {
    ImportList,
}

impl ScreeningWindow {
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        ws: &mut Workspace,
        loader: &ScreeningLoader,
    ) -> Option<ScreeningRequest> {
        let mut open = self.open;
        let mut request = None;
        egui::Window::new("Screening list and threshold")
            .id(egui::Id::unique("screening_window"))
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                list_facts(ui, loader);
                ui.add_space(6.0);
                if ui.button("Import a newer list…").clicked() {
                    request = Some(ScreeningRequest::ImportList);
                }
                ui.separator();
                self.threshold_row(ui, ws);
            });
        self.open = open;
        request
    }

    fn threshold_row(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        let current = ws.session.screening.threshold;
        let value = self.threshold.get_or_insert(current);
        ui.horizontal(|ui| {
            let l = ui.label("Match threshold");
            ui.add(
                egui::DragValue::new(value)
                    .range(0.5..=1.0)
                    .speed(0.005)
                    .fixed_decimals(2),
            )
            .labelled_by(l.id);
            let changed = (*value - current).abs() > f64::EPSILON;
            if ui
                .add_enabled(changed, egui::Button::new("Apply"))
                .clicked()
            {
                let v = *value;
                match ws.set_screening_threshold(v) {
                    Ok(()) => self.error = None,
                    Err(e) => self.error = Some(e),
                }
            }
        });
        ui.label(
            RichText::new(format!(
                "In use: {current:.2}. A name scoring at or above it against a list entry is a \
                 possible match and holds its order until a person clears or confirms it. \
                 Changing it is recorded in the history and re-screens every order."
            ))
            .small()
            .weak(),
        );
        if let Some(e) = &self.error {
            ui.colored_label(theme::ERROR, e);
        }
        let holds = ws
            .decisions()
            .iter()
            .filter(|d| d.verdict == crate::rules::Verdict::Hold)
            .count();
        ui.label(format!(
            "Orders on hold now: {}",
            format::thousands(holds as u64)
        ));
    }
}

fn list_facts(ui: &mut egui::Ui, loader: &ScreeningLoader) {
    let Some(current) = loader.current() else {
        ui.label(if loader.loading() {
            "The list is loading…"
        } else {
            "No list is loaded: orders are not screened."
        });
        return;
    };
    let list = current.index.list();
    ui.label(
        RichText::new(format!(
            "U.S. Consolidated Screening List of {}",
            list.vintage
        ))
        .strong(),
    );
    ui.label(format!(
        "{} entries, {} names and aliases indexed · from {}",
        format::thousands(list.len() as u64),
        format::thousands(current.index.name_count() as u64),
        list.source
    ));
    egui::Grid::new("screening_list_counts")
        .num_columns(3)
        .spacing([12.0, 2.0])
        .striped(true)
        .show(ui, |ui| {
            for (kind, n) in &list.counts {
                ui.label(RichText::new(kind.short()).strong());
                ui.label(kind.label());
                ui.label(format::thousands(*n as u64));
                ui.end_row();
            }
        });
}
