//! The rule-data browser: every ruleset parameter and chip with its value, unit, citation,
//! sources and confidence.

use super::theme;
use crate::format;
use crate::rules::ruleset::{ChipThresholds, ParamSummary};
use crate::rules::{Chip, Engine, Ruleset};
use egui::RichText;

#[derive(Default)]
pub struct ProvenanceWindow {
    pub open: bool,
    filter: String,
}

impl ProvenanceWindow {
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        engine: &Engine,
        screening: Option<&crate::screening::ScreeningList>,
    ) {
        let mut open = self.open;
        egui::Window::new("Rule data and sources")
            .open(&mut open)
            .default_size([860.0, 560.0])
            .vscroll(false)
            .show(ctx, |ui| {
                ruleset_line(ui, engine);
                filter_field(ui, &mut self.filter);
                let needle = self.filter.to_lowercase();
                egui::ScrollArea::vertical()
                    .id_salt("provenance_scroll")
                    .show(ui, |ui| {
                        screening_list(ui, screening);
                        parameters(ui, engine.ruleset(), &needle);
                        ui.add_space(8.0);
                        chip_catalogue(ui, engine, &needle);
                    });
            });
        self.open = open;
    }
}

/// Which ruleset is loaded, for which rule, and from where.
fn ruleset_line(ui: &mut egui::Ui, engine: &Engine) {
    let rs = engine.ruleset();
    ui.label(format!(
        "{} v{} — {} (rule of {}). Loaded from {}.",
        rs.name,
        rs.version,
        rs.rule_citation,
        rs.rule_date,
        engine.loaded().source
    ));
}

fn filter_field(ui: &mut egui::Ui, filter: &mut String) {
    ui.horizontal(|ui| {
        let l = ui.label("Filter");
        ui.add(egui::TextEdit::singleline(filter).hint_text("name, cite or source"))
            .labelled_by(l.id);
    });
}

/// Every ruleset parameter whose name, citation, source or note contains `needle` (lowercase).
fn parameters(ui: &mut egui::Ui, rs: &Ruleset, needle: &str) {
    ui.heading("Ruleset parameters");
    let mut shown = 0;
    for p in rs.parameters() {
        let text = format!(
            "{} {} {} {}",
            p.name, p.provenance.cite, p.provenance.source, p.provenance.note
        )
        .to_lowercase();
        if !needle.is_empty() && !text.contains(needle) {
            continue;
        }
        ui.separator();
        parameter(ui, &p);
        shown += 1;
    }
    if shown == 0 {
        ui.label(RichText::new("No parameter matches the filter.").weak());
    }
}

/// One parameter: its name and confidence, value and unit, citation and source, and note.
fn parameter(ui: &mut egui::Ui, p: &ParamSummary) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&p.name).monospace().strong());
        theme::confidence_badge(ui, p.provenance.confidence);
    });
    if !p.value.is_empty() {
        let value = if p.unit.is_empty() {
            p.value.clone()
        } else {
            format!("{} ({})", p.value, p.unit)
        };
        ui.add(egui::Label::new(value).wrap());
    }
    ui.add(
        egui::Label::new(
            RichText::new(format!("{} — {}", p.provenance.cite, p.provenance.source)).small(),
        )
        .wrap(),
    );
    if !p.provenance.note.is_empty() {
        ui.add(egui::Label::new(RichText::new(&p.provenance.note).small().weak()).wrap());
    }
}

/// The chips whose name, id or source contains `needle` (lowercase), a row each.
fn chip_catalogue(ui: &mut egui::Ui, engine: &Engine, needle: &str) {
    ui.heading("Chip catalogue");
    ui.label(
        RichText::new("Quantities count units as listed here; TPP is per unit.")
            .small()
            .weak(),
    );
    let t = &engine.ruleset().chip_thresholds;
    egui::Grid::new("chip_grid")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for h in [
                "Chip",
                "TPP (dense)",
                "Density",
                "Class",
                "Source / confidence",
            ] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for c in &engine.chips().chips {
                if !needle.is_empty()
                    && !format!("{} {} {}", c.name, c.id, c.source)
                        .to_lowercase()
                        .contains(needle)
                {
                    continue;
                }
                chip_row(ui, c, t);
            }
        });
}

/// A chip's TPP and how it is computed, its density, class, source and confidence.
fn chip_row(ui: &mut egui::Ui, c: &Chip, t: &ChipThresholds) {
    ui.vertical(|ui| {
        // Wide enough for the longest name on one line; a unit note wraps beneath it.
        ui.set_width(190.0);
        ui.add(egui::Label::new(&c.name).extend());
        // What one unit is (GB200 is priced per GPU) matters wherever quantities are read.
        if !c.unit_note.is_empty() {
            ui.add(
                egui::Label::new(RichText::new(format!("ℹ {}", c.unit_note)).small().weak()).wrap(),
            );
        }
    });
    ui.label(format!(
        "{} = {} {} × {}",
        format::thousands(c.tpp()),
        c.dense_rate,
        c.format,
        c.bit_length
    ));
    ui.label(
        c.performance_density()
            .map_or("unknown".into(), |d| format!("{d:.2}")),
    );
    ui.label(c.classify(t).label());
    ui.horizontal(|ui| {
        ui.label(RichText::new(&c.source).small());
        theme::confidence_badge(ui, c.confidence).on_hover_text(&c.note);
    });
    ui.end_row();
}

/// The restricted-party list in use: vintage, source and entries per list.
fn screening_list(ui: &mut egui::Ui, list: Option<&crate::screening::ScreeningList>) {
    ui.heading("Screening list");
    match list {
        None => {
            ui.label("No list is loaded (or it is still loading): orders are not screened.");
        }
        Some(l) => {
            ui.label(format!(
                "U.S. Consolidated Screening List, vintage {} ({} entries), from {}. U.S. \
                 government data, public domain (trade.gov).",
                l.vintage,
                crate::format::thousands(l.len() as u64),
                l.source
            ));
            let counts: Vec<String> = l
                .counts
                .iter()
                .map(|(k, n)| format!("{} {}", k.short(), crate::format::thousands(*n as u64)))
                .collect();
            ui.label(RichText::new(counts.join(" · ")).small());
        }
    }
    ui.add_space(8.0);
}
