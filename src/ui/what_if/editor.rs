//! The scenario editor: create, rename, describe and delete what-ifs, and set every change kind
//! (the country allocation, the g2g multiplier, the LPP room, the 4E091 threshold, countries'
//! tiers and the g2g countries). A field's change is recorded when the field is left (Enter or
//! a click elsewhere), through `Workspace::save_what_if`, so every change is one audited event
//! and the views follow at once. A value the ruleset refuses stays in its field with the reason.

use crate::format;
use crate::rules::{CountryCode, Tier, WhatIf};
use crate::session::Workspace;
use crate::session::scenario_edit::check_g2g_country;
use crate::session::what_if_edit::{
    follow_rename, parse_multiplier, parse_ops, parse_tpp, unique_name, with_tier,
};
use crate::session::what_if_presets;
use crate::ui::theme;
use egui::RichText;
use std::collections::{BTreeMap, BTreeSet};

/// Which field an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Name,
    Description,
    Allocation,
    Multiplier,
    Lpp,
    Threshold,
    Tiers,
    G2g,
    List,
}

/// The text fields as typed (kept while a value is on its way, e.g. "79" of "790M").
#[derive(Debug, Default, Clone)]
struct Texts {
    name: String,
    description: String,
    allocation: String,
    multiplier: String,
    lpp: String,
    threshold: String,
    tier_country: String,
    g2g_country: String,
}

impl Texts {
    fn of(w: &WhatIf) -> Self {
        let c = &w.changes;
        Self {
            name: w.name.clone(),
            description: w.description.clone(),
            allocation: c
                .country_allocation_tpp
                .map(format::tpp)
                .unwrap_or_default(),
            multiplier: c.g2g_multiplier.map(|m| m.to_string()).unwrap_or_default(),
            lpp: c.lpp_room_tpp_per_year.map(format::tpp).unwrap_or_default(),
            threshold: c
                .model_weights_threshold_ops
                .map(format::ops)
                .unwrap_or_default(),
            tier_country: String::new(),
            g2g_country: String::new(),
        }
    }
}

/// What the editor asks of the shell.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct EditorOutput {
    /// "Edit tiers on the map": show the map in what-if mode for the selected what-if.
    pub tiers_on_map: bool,
}

#[derive(Default)]
pub struct WhatIfEditor {
    pub open: bool,
    /// The what-if being edited, by name.
    selected: Option<String>,
    texts: Texts,
    /// The saved what-if the texts were filled from: when it changes elsewhere (a click on the
    /// map, undo), the texts are refilled.
    filled_from: Option<WhatIf>,
    errors: BTreeMap<Field, String>,
    tier_choice: Option<Tier>,
}

impl WhatIfEditor {
    /// Opens the editor on the chosen what-if (or the first one).
    pub fn open(&mut self, ws: &Workspace) {
        self.open = true;
        if let Some(n) = ws.session.view.what_if.clone() {
            self.select(Some(n));
        }
    }

    fn select(&mut self, name: Option<String>) {
        if self.selected != name {
            self.selected = name;
            self.filled_from = None;
            self.errors.clear();
        }
    }

    /// The selected what-if as saved (the first one when nothing valid is selected).
    fn current(&mut self, ws: &Workspace) -> Option<WhatIf> {
        let found = self
            .selected
            .as_deref()
            .and_then(|n| ws.session.what_if(n))
            .or_else(|| ws.session.what_ifs.first())
            .cloned();
        self.select(found.as_ref().map(|w| w.name.clone()));
        found
    }

    pub fn show(&mut self, ctx: &egui::Context, ws: &mut Workspace) -> EditorOutput {
        let mut out = EditorOutput::default();
        if !self.open {
            return out;
        }
        let mut open = true;
        egui::Window::new("What-if scenarios")
            .id(egui::Id::unique("what_if_editor"))
            .open(&mut open)
            .default_width(720.0)
            .default_height(560.0)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(ctx.content_rect().center_top() + egui::vec2(0.0, 64.0))
            .vscroll(true)
            .show(ctx, |ui| {
                ui.label(
                    RichText::new(
                        "A what-if is a named set of changes to the ruleset, shown beside the rule \
                         as written. It is never a reading of the rule. Each change is recorded in \
                         the session's history when you leave the field.",
                    )
                    .weak(),
                );
                ui.add_space(4.0);
                ui.horizontal_top(|ui| {
                    ui.vertical(|ui| {
                        ui.set_width(190.0);
                        self.list(ui, ws);
                    });
                    ui.separator();
                    ui.vertical(|ui| match self.current(ws) {
                        Some(w) => self.form(ui, ws, &w, &mut out),
                        None => {
                            ui.label("No what-if yet: make a new one or add a preset.");
                        }
                    });
                });
            });
        self.open = open;
        out
    }

    fn list(&mut self, ui: &mut egui::Ui, ws: &mut Workspace) {
        ui.label(RichText::new("What-ifs").strong());
        let names: Vec<String> = ws.session.what_ifs.iter().map(|w| w.name.clone()).collect();
        for n in &names {
            let shown = ws.session.view.what_if.as_deref() == Some(n.as_str());
            let text = if shown {
                RichText::new(format!("● {n}")).color(crate::ui::what_if::text_color(ui))
            } else {
                RichText::new(n)
            };
            if ui
                .selectable_label(self.selected.as_deref() == Some(n.as_str()), text)
                .on_hover_text(if shown {
                    "Shown beside the rule as written"
                } else {
                    "Edit this what-if"
                })
                .clicked()
            {
                self.select(Some(n.clone()));
            }
        }
        ui.add_space(6.0);
        if ui.button("New what-if").clicked() {
            let w = WhatIf::new(unique_name(&ws.session, "New what-if"));
            self.create(ws, w);
        }
        ui.menu_button("Add a preset", |ui| {
            for p in what_if_presets::presets(&ws.engine) {
                let taken = ws.session.what_if(&p.name).is_some();
                if ui
                    .add_enabled(!taken, egui::Button::new(&p.name))
                    .on_hover_text(&p.description)
                    .clicked()
                {
                    self.create(ws, p);
                    ui.close();
                }
            }
        });
        if let Some(e) = self.errors.get(&Field::List) {
            ui.colored_label(theme::ERROR, e);
        }
    }

    fn create(&mut self, ws: &mut Workspace, w: WhatIf) {
        let name = w.name.clone();
        match ws.save_what_if(None, w) {
            Ok(()) => {
                self.select(Some(name.clone()));
                ws.session.view.what_if = Some(name);
            }
            Err(e) => {
                self.errors.insert(Field::List, e);
            }
        }
    }

    /// Records `new` in place of `old`; a refusal is shown at `field`.
    fn commit(&mut self, ws: &mut Workspace, old: &WhatIf, new: WhatIf, field: Field) {
        if *old == new {
            self.errors.remove(&field);
            return;
        }
        let renamed = (old.name != new.name).then(|| new.name.clone());
        match ws.save_what_if(Some(&old.name), new) {
            Ok(()) => {
                self.errors.remove(&field);
                if let Some(n) = renamed {
                    if follow_rename(&mut ws.session, &old.name, &n) {
                        ws.dirty = true;
                    }
                    self.selected = Some(n);
                }
            }
            Err(e) => {
                self.errors.insert(field, e);
            }
        }
    }

    fn form(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, w: &WhatIf, out: &mut EditorOutput) {
        if self.filled_from.as_ref() != Some(w) {
            let keep = std::mem::take(&mut self.texts);
            self.texts = Texts::of(w);
            // Text being typed into a field the saved value did not change stays.
            self.texts.tier_country = keep.tier_country;
            self.texts.g2g_country = keep.g2g_country;
            self.filled_from = Some(w.clone());
        }
        self.name_and_description(ui, ws, w);
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let shown = ws.session.view.what_if.as_deref() == Some(w.name.as_str());
            if shown {
                ui.label(
                    RichText::new("● Shown beside the rule as written")
                        .color(crate::ui::what_if::text_color(ui)),
                );
                if ui.button("Show the rule only").clicked() {
                    ws.session.view.what_if = None;
                }
            } else if ui.button("Show beside the rule").clicked() {
                ws.session.view.what_if = Some(w.name.clone());
            }
            if ui.button("Delete what-if").clicked() {
                self.delete(ws, &w.name);
            }
        });
        ui.separator();
        self.caps(ui, ws, w);
        ui.separator();
        self.tiers(ui, ws, w, out);
        ui.separator();
        self.g2g(ui, ws, w);
        ui.separator();
        ui.label(RichText::new("What it changes").strong());
        let lines = w.describe(&ws.engine);
        if lines.is_empty() {
            ui.label(RichText::new("Nothing yet: it is the rule as written.").weak());
        }
        for l in lines {
            ui.label(format!("• {l}"));
        }
    }

    fn name_and_description(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, w: &WhatIf) {
        egui::Grid::new("what_if_name_grid")
            .num_columns(2)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                let l = ui.label("Name");
                let r = ui
                    .add(egui::TextEdit::singleline(&mut self.texts.name).desired_width(300.0))
                    .labelled_by(l.id);
                if r.lost_focus() {
                    let mut new = w.clone();
                    new.name = self.texts.name.trim().to_string();
                    self.commit(ws, w, new, Field::Name);
                }
                ui.end_row();
                let l = ui.label("Description");
                let r = ui
                    .add(
                        egui::TextEdit::multiline(&mut self.texts.description)
                            .desired_rows(2)
                            .desired_width(300.0)
                            .hint_text("What the what-if asks, for the audience"),
                    )
                    .labelled_by(l.id);
                if r.lost_focus() {
                    let mut new = w.clone();
                    new.description = self.texts.description.trim().to_string();
                    self.commit(ws, w, new, Field::Description);
                }
                ui.end_row();
            });
        for f in [Field::Name, Field::Description] {
            self.error_line(ui, f);
        }
    }

    fn error_line(&self, ui: &mut egui::Ui, field: Field) {
        if let Some(e) = self.errors.get(&field) {
            ui.colored_label(theme::ERROR, format!("⚠ {e}"));
        }
    }

    fn caps(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, w: &WhatIf) {
        ui.label(RichText::new("Caps and thresholds").strong());
        ui.label(RichText::new("Leave a field empty to keep the rule's value.").weak());
        let rs = ws.engine.ruleset();
        let rows = [
            (
                Field::Allocation,
                "Country allocation (TPP)",
                format!("{} TPP", format::tpp(rs.country_allocation_tpp.value)),
            ),
            (
                Field::Multiplier,
                "g2g multiplier",
                format!("× {}", rs.g2g_multiplier.value),
            ),
            (
                Field::Lpp,
                "LPP room (TPP a year)",
                format!("{} TPP a year", format::tpp(rs.lpp_room_tpp_per_year.value)),
            ),
            (
                Field::Threshold,
                "4E091 threshold (operations)",
                format!(
                    "{} operations",
                    format::ops(rs.model_weights_threshold_ops.value)
                ),
            ),
        ];
        let mut edits: Vec<(Field, Result<WhatIf, String>)> = Vec::new();
        for (field, label, as_written) in rows {
            let text = match field {
                Field::Allocation => &mut self.texts.allocation,
                Field::Multiplier => &mut self.texts.multiplier,
                Field::Lpp => &mut self.texts.lpp,
                _ => &mut self.texts.threshold,
            };
            if let Some(typed) = amount_row(ui, label, text, &as_written) {
                edits.push((field, with_amount(w, field, &typed)));
            }
            self.error_line(ui, field);
        }
        let mut no_lpp = w.changes.lpp_room_tpp_per_year == Some(0);
        if ui
            .checkbox(
                &mut no_lpp,
                "No LPP (room 0: License Exception LPP withdrawn)",
            )
            .changed()
        {
            let mut n = w.clone();
            n.changes.lpp_room_tpp_per_year = no_lpp.then_some(0);
            edits.push((Field::Lpp, Ok(n)));
        }
        for (field, edit) in edits {
            match edit {
                Ok(n) => self.commit(ws, w, n, field),
                Err(e) => {
                    self.errors.insert(field, e);
                }
            }
        }
    }

    fn tiers(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, w: &WhatIf, out: &mut EditorOutput) {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Countries moved to another tier").strong());
            if ui
                .button("Edit tiers on the map")
                .on_hover_text(
                    "Shows the map in what-if mode: each click on a country moves it to the next tier",
                )
                .clicked()
            {
                ws.session.view.what_if = Some(w.name.clone());
                out.tiers_on_map = true;
            }
        });
        let changes = w.tier_changes(&ws.engine);
        if changes.is_empty() {
            ui.label(
                RichText::new("None. Click countries on the map in what-if mode, or add one here.")
                    .weak(),
            );
        }
        let mut remove = None;
        for (c, from, to) in &changes {
            ui.horizontal(|ui| {
                ui.label(format!(
                    "{} ({c}): {from} → {to}",
                    ws.engine.countries().name(*c)
                ));
                if ui.small_button(format!("Remove {c}")).clicked() {
                    remove = Some(*c);
                }
            });
        }
        if let Some(c) = remove {
            let base = ws.engine.countries().tier(c).unwrap_or(Tier::Two);
            let n = with_tier(w, &ws.engine, c, base);
            self.commit(ws, w, n, Field::Tiers);
        }
        let mut add = None;
        ui.horizontal(|ui| {
            let l = ui.label("Move country");
            ui.add(
                egui::TextEdit::singleline(&mut self.texts.tier_country)
                    .hint_text("name or ISO code")
                    .desired_width(140.0),
            )
            .labelled_by(l.id);
            let tier = self.tier_choice.get_or_insert(Tier::One);
            let l = ui.label("to");
            egui::ComboBox::from_id_salt("what_if_tier_choice")
                .selected_text(tier.to_string())
                .show_ui(ui, |ui| {
                    for t in Tier::ALL {
                        ui.selectable_value(tier, t, t.to_string());
                    }
                })
                .response
                .labelled_by(l.id);
            if ui.button("Move").clicked() {
                add = Some(*tier);
            }
        });
        if let Some(tier) = add {
            match ws.engine.countries().resolve(&self.texts.tier_country) {
                Some(c) => {
                    let n = with_tier(w, &ws.engine, c, tier);
                    self.texts.tier_country.clear();
                    self.commit(ws, w, n, Field::Tiers);
                }
                None => {
                    self.errors.insert(
                        Field::Tiers,
                        format!(
                            "`{}` is not a known country",
                            self.texts.tier_country.trim()
                        ),
                    );
                }
            }
        }
        self.error_line(ui, Field::Tiers);
    }

    fn g2g(&mut self, ui: &mut egui::Ui, ws: &mut Workspace, w: &WhatIf) {
        ui.label(RichText::new("Government-to-government arrangements").strong());
        let session_list = list(&ws.session.scenario.g2g);
        let mut replace = w.changes.g2g.is_some();
        let mut new = None;
        ui.horizontal_wrapped(|ui| {
            if ui
                .radio_value(
                    &mut replace,
                    false,
                    format!("As in the session ({session_list})"),
                )
                .changed()
                | ui.radio_value(&mut replace, true, "These countries instead:")
                    .changed()
            {
                let mut n = w.clone();
                n.changes.g2g = replace.then(|| ws.session.scenario.g2g.clone());
                new = Some(n);
            }
        });
        if let Some(set) = &w.changes.g2g {
            new = new.or_else(|| self.g2g_list(ui, ws, w, set));
        }
        if let Some(n) = new {
            self.commit(ws, w, n, Field::G2g);
        }
        self.error_line(ui, Field::G2g);
    }

    /// The what-if's own g2g countries, with remove buttons, presets and an add field.
    fn g2g_list(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        w: &WhatIf,
        set: &BTreeSet<CountryCode>,
    ) -> Option<WhatIf> {
        let with = |s: BTreeSet<CountryCode>| {
            let mut n = w.clone();
            n.changes.g2g = Some(s);
            n
        };
        let mut out = None;
        ui.label(format!("{} countries", set.len()));
        egui::ScrollArea::vertical()
            .id_salt("what_if_g2g_list")
            .max_height(90.0)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    for c in set {
                        if ui
                            .small_button(format!("{c} ×"))
                            .on_hover_text(format!("Remove {}", ws.engine.countries().name(*c)))
                            .clicked()
                        {
                            let mut s = set.clone();
                            s.remove(c);
                            out = Some(with(s));
                        }
                    }
                });
            });
        ui.horizontal_wrapped(|ui| {
            if ui.button("Every Tier 2 country").clicked() {
                out = Some(with(what_if_presets::tier2_countries(&ws.engine)));
            }
            if ui.button("None").clicked() {
                out = Some(with(BTreeSet::new()));
            }
            let l = ui.label("Add country");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.texts.g2g_country)
                        .hint_text("e.g. IN")
                        .desired_width(70.0),
                )
                .labelled_by(l.id);
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Add").clicked() || enter) && !self.texts.g2g_country.trim().is_empty() {
                match ws.engine.countries().resolve(&self.texts.g2g_country) {
                    Some(c) => match check_g2g_country(&ws.engine, c) {
                        Ok(()) => {
                            let mut s = set.clone();
                            s.insert(c);
                            self.texts.g2g_country.clear();
                            out = Some(with(s));
                        }
                        Err(e) => {
                            self.errors.insert(Field::G2g, e);
                        }
                    },
                    None => {
                        self.errors.insert(
                            Field::G2g,
                            format!("`{}` is not a known country", self.texts.g2g_country.trim()),
                        );
                    }
                }
            }
        });
        out
    }

    fn delete(&mut self, ws: &mut Workspace, name: &str) {
        match ws.remove_what_if(name) {
            Ok(()) => {
                if ws.session.view.what_if.as_deref() == Some(name) {
                    ws.session.view.what_if = None;
                }
                self.select(None);
            }
            Err(e) => {
                self.errors.insert(Field::List, e);
            }
        }
    }
}

/// A labelled amount field with the rule's value beside it; returns the text when the field is
/// left.
fn amount_row(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    as_written: &str,
) -> Option<String> {
    ui.horizontal(|ui| {
        let h = ui.spacing().interact_size.y;
        let l = ui
            .allocate_ui_with_layout(
                egui::vec2(190.0, h),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.set_min_width(190.0);
                    ui.label(label)
                },
            )
            .inner;
        let r = ui
            .add(
                egui::TextEdit::singleline(text)
                    .hint_text("as written")
                    .desired_width(150.0),
            )
            .labelled_by(l.id);
        ui.label(RichText::new(format!("rule: {as_written}")).weak());
        r.lost_focus().then(|| text.clone())
    })
    .inner
}

/// `w` with the amount typed for `field` (empty: as written), or why it cannot be read.
fn with_amount(w: &WhatIf, field: Field, typed: &str) -> Result<WhatIf, String> {
    let mut n = w.clone();
    let c = &mut n.changes;
    match field {
        Field::Allocation => c.country_allocation_tpp = parse_tpp(typed)?,
        Field::Multiplier => c.g2g_multiplier = parse_multiplier(typed)?,
        Field::Lpp => c.lpp_room_tpp_per_year = parse_tpp(typed)?,
        _ => c.model_weights_threshold_ops = parse_ops(typed)?,
    }
    Ok(n)
}

fn list(set: &BTreeSet<CountryCode>) -> String {
    if set.is_empty() {
        return "none".into();
    }
    let v: Vec<&str> = set.iter().map(|c| c.as_str()).collect();
    if v.len() > 6 {
        format!("{} and {} more", v[..6].join(", "), v.len() - 6)
    } else {
        v.join(", ")
    }
}
