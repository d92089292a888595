//! The figure picker: labelled checkboxes for every cap and figure, grouped by source list.

use crate::fleets::{Catalogue, Entry, Measure, UnitConverter};
use crate::session::PlotSettings;
use egui::RichText;

pub fn ui(ui: &mut egui::Ui, cat: &Catalogue, settings: &mut PlotSettings, measure: Measure) {
    ui.horizontal(|ui| {
        ui.strong("Figures");
        let preset = settings.selected_figures.is_empty();
        if ui
            .add_enabled(!preset, egui::Button::new("Demo preset"))
            .on_hover_text("The article's comparison: four caps beside the 2023 H100 purchases")
            .clicked()
        {
            settings.selected_figures.clear();
        }
    });
    ui.label(
        RichText::new(
            "Ticked figures are plotted; those that cannot be shown in the current unit say why.",
        )
        .small()
        .weak(),
    );
    ui.separator();

    let selected = cat.effective_selection(&settings.selected_figures);
    let mut toggled: Option<String> = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.label(RichText::new("Caps in the rule (ruleset)").strong().small());
            for c in &cat.caps {
                row(ui, cat, &selected, &c.id, measure, &mut toggled);
            }
            let mut series: Vec<&str> = Vec::new();
            for f in &cat.fleets.figures {
                if !series.contains(&f.series.as_str()) {
                    series.push(&f.series);
                }
            }
            for s in series {
                ui.add_space(4.0);
                ui.label(RichText::new(s).strong().small());
                for f in cat.fleets.figures.iter().filter(|f| f.series == s) {
                    row(ui, cat, &selected, &f.id, measure, &mut toggled);
                }
            }
        });

    if let Some(id) = toggled {
        let mut next = selected;
        if let Some(i) = next.iter().position(|x| *x == id) {
            next.remove(i);
        } else {
            next.push(id);
        }
        // The demo preset is stored as an empty list, so sessions pick up a newer preset.
        let same_as_preset = {
            let mut a = next.clone();
            let mut b = cat.demo_preset();
            a.sort();
            b.sort();
            a == b
        };
        settings.selected_figures = if same_as_preset { Vec::new() } else { next };
    }
}

fn row(
    ui: &mut egui::Ui,
    cat: &Catalogue,
    selected: &[String],
    id: &str,
    measure: Measure,
    toggled: &mut Option<String>,
) {
    let Some(entry) = cat.entry(id) else {
        return;
    };
    let mut on = selected.iter().any(|s| s == id);
    let fits = match entry {
        Entry::Cap(_) => UnitConverter::cap_shows_in(measure),
        Entry::Figure(f) => f.unit.shows_in(measure),
    };
    ui.horizontal(|ui| {
        // Tooltips are built only when shown, not every frame for every row.
        let r = ui
            .checkbox(&mut on, entry.label())
            .on_hover_ui(|ui| match entry {
                Entry::Cap(c) => {
                    ui.label(&c.what);
                    ui.label(format!("Ruleset: {}", c.parameter));
                }
                Entry::Figure(f) => {
                    ui.label(format!("{} — {}", f.owner, f.what));
                    ui.label(format!("{} · {}", f.unit.label(), f.source.publisher));
                }
            });
        if r.changed() {
            *toggled = Some(id.to_string());
        }
        if !fits {
            ui.label(RichText::new("not in this unit").small().weak())
                .on_hover_ui(|ui| {
                    let why = match entry {
                        Entry::Cap(c) => cat.converter.cap_value(c, measure).err(),
                        Entry::Figure(f) => cat.converter.figure_value(f, measure).err(),
                    };
                    if let Some(e) = why {
                        ui.label(e.to_string());
                    }
                });
        }
    });
}
