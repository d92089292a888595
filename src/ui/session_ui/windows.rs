//! The non-modal windows: the typed-path fallback, the session details and the scenario.

use super::modals::button_row;
use super::paths::expand_home;
use super::{Intent, SessionUi, count};
use crate::format;
use crate::session::{Workspace, scenario_edit};
use crate::ui::theme;
use egui::Key;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PathPurpose {
    OpenSession,
    SaveSession,
    ImportCsv,
    ExportCsv,
    ImportScreeningList,
}

impl PathPurpose {
    fn title(self) -> &'static str {
        match self {
            PathPurpose::OpenSession => "Open session by path",
            PathPurpose::SaveSession => "Save session to path",
            PathPurpose::ImportCsv => "Import orders CSV by path",
            PathPurpose::ImportScreeningList => "Import screening list by path",
            PathPurpose::ExportCsv => "Export orders CSV to path",
        }
    }

    fn action(self) -> &'static str {
        match self {
            PathPurpose::OpenSession => "Open",
            PathPurpose::SaveSession => "Save",
            PathPurpose::ImportCsv | PathPurpose::ImportScreeningList => "Import",
            PathPurpose::ExportCsv => "Export",
        }
    }
}

/// The typed-path window: used when no file dialog can be shown, and from "Open by path…".
#[derive(Debug)]
pub(super) struct PathPrompt {
    pub(super) purpose: PathPurpose,
    pub(super) text: String,
    /// Why the dialog was not used, when it failed.
    pub(super) reason: Option<String>,
    /// The field has been given keyboard focus once (so typing can start at once).
    pub(super) focused: bool,
}

/// The scenario window's state: the country being typed and why adding it failed.
#[derive(Debug, Default)]
pub(super) struct ScenarioEditor {
    add_text: String,
    error: Option<String>,
}

impl SessionUi {
    pub(super) fn path_window(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some(p) = &mut self.path_prompt else {
            return;
        };
        let purpose = p.purpose;
        let mut open = true;
        let mut submit = false;
        let mut cancel = false;
        egui::Window::new(purpose.title())
            .id(egui::Id::unique("path_prompt"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0))
            .show(ctx, |ui| {
                if let Some(why) = &p.reason {
                    ui.label(
                        egui::RichText::new(format!(
                            "{}. Type the file's path instead.",
                            capitalised(why)
                        ))
                        .color(theme::ERROR),
                    );
                    ui.add_space(4.0);
                }
                let label = ui.label("File path");
                let hint = match purpose {
                    PathPurpose::OpenSession | PathPurpose::SaveSession => "~/sessions/quarter.ron",
                    PathPurpose::ImportCsv | PathPurpose::ExportCsv => "~/exports/orders.csv",
                    PathPurpose::ImportScreeningList => "~/Downloads/consolidated.json",
                };
                let resp = ui
                    .add(
                        egui::TextEdit::singleline(&mut p.text)
                            .hint_text(hint)
                            .desired_width(440.0),
                    )
                    .labelled_by(label.id);
                if !p.focused {
                    resp.request_focus();
                    p.focused = true;
                }
                if resp.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                    submit = true;
                }
                ui.add_space(6.0);
                let buttons = [
                    (purpose.action(), !p.text.trim().is_empty(), true),
                    ("Cancel", true, false),
                ];
                match button_row(ui, &buttons) {
                    Some(true) => submit = true,
                    Some(false) => cancel = true,
                    None => {}
                }
            });
        if !open || cancel {
            self.path_prompt = None;
            if purpose == PathPurpose::SaveSession {
                self.after_save = None;
            }
            return;
        }
        let text = p.text.trim().to_string();
        if !submit || text.is_empty() {
            return;
        }
        let path = expand_home(&text);
        let done = match purpose {
            PathPurpose::OpenSession => {
                self.path_prompt = None;
                self.request(ctx, ws, Intent::OpenPath(path));
                true
            }
            PathPurpose::SaveSession => {
                let ok = self.save_to(ws, &path);
                if ok && let Some(next) = self.after_save.take() {
                    self.path_prompt = None;
                    self.perform(ctx, ws, next);
                }
                ok
            }
            PathPurpose::ImportCsv => self.import_path(ws, &path),
            PathPurpose::ImportScreeningList => {
                self.effects.screening_list = Some(path);
                true
            }
            PathPurpose::ExportCsv => self.export_to(ws, &path),
        };
        // On failure the window stays, with the path, so a typo can be fixed; a conflict is
        // answered in its own dialog.
        if done || self.conflict.is_some() {
            self.path_prompt = None;
        }
    }

    pub(super) fn details_window(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let mut open = self.details_open;
        egui::Window::new("Session details")
            .id(egui::Id::unique("session_details"))
            .open(&mut open)
            .default_width(500.0)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(below_menu_bar(ctx, -270.0))
            .show(ctx, |ui| {
                let l = ui.label("Title");
                if ui
                    .add(
                        egui::TextEdit::singleline(&mut ws.session.title)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(l.id)
                    .changed()
                {
                    ws.dirty = true;
                }
                ui.add_space(4.0);
                let l = ui.label("Notes");
                egui::ScrollArea::vertical()
                    .id_salt("session_notes")
                    .max_height(220.0)
                    .show(ui, |ui| {
                        if ui
                            .add(
                                egui::TextEdit::multiline(&mut ws.session.notes)
                                    .desired_rows(6)
                                    .desired_width(f32::INFINITY),
                            )
                            .labelled_by(l.id)
                            .changed()
                        {
                            ws.dirty = true;
                        }
                    });
                ui.add_space(6.0);
                let r = &ws.session.ruleset;
                let cur = ws.engine.ruleset();
                let facts = [
                    (
                        "Location",
                        ws.path
                            .as_ref()
                            .map_or("not saved yet".to_string(), |p| p.display().to_string()),
                        None,
                    ),
                    (
                        "Contents",
                        format!(
                            "{}, {} parties, format version {}",
                            count(ws.orders().len(), "order"),
                            ws.session.parties.len(),
                            ws.session.format_version
                        ),
                        None,
                    ),
                    (
                        "Made with",
                        if r.name.is_empty() {
                            "ruleset not recorded".to_string()
                        } else {
                            format!("{} v{}", r.name, r.version)
                        },
                        Some(format!("SHA-256 {}", r.sha256)),
                    ),
                    (
                        "Current ruleset",
                        format!("{} v{}", cur.name, cur.version),
                        Some(format!("SHA-256 {}", ws.engine.loaded().sha256)),
                    ),
                ];
                for (k, v, hover) in facts {
                    // Plain rows, not a Grid: a grid's first (sizing) frame wraps long values
                    // into a tall column, and the window would open pushed up over the menu bar.
                    ui.horizontal_wrapped(|ui| {
                        ui.label(egui::RichText::new(format!("{k}:")).weak());
                        let resp = ui.label(v);
                        if let Some(h) = hover {
                            resp.on_hover_text(h);
                        }
                    });
                }
                if ws.ruleset_differs() {
                    ui.colored_label(
                        theme::ERROR,
                        "⚠ The session was made with a different ruleset. Decisions shown are \
                         re-derived with the current one; saving records the current ruleset.",
                    );
                }
                ui.add_space(4.0);
                ui.label(
                    egui::RichText::new(
                        "Decisions are not stored in the file: they are re-derived from the \
                         ruleset, the scenario and the orders when it is opened.",
                    )
                    .small()
                    .weak(),
                );
            });
        self.details_open = open;
    }

    pub(super) fn scenario_window(&mut self, ctx: &egui::Context, ws: &mut Workspace) {
        let Some(ed) = &mut self.scenario else { return };
        let mut open = true;
        let mut asked = None;
        egui::Window::new("Scenario")
            .id(egui::Id::unique("scenario_window"))
            .open(&mut open)
            .default_width(460.0)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(below_menu_bar(ctx, 250.0))
            .show(ctx, |ui| {
                ui.heading("Government-to-government arrangements");
                g2g_intro(ui, ws);
                ui.add_space(4.0);
                let remove = g2g_table(ui, ws);
                ui.add_space(6.0);
                let add = g2g_add_row(ui, ed);
                asked = remove.map(G2gEdit::Remove).or(add.then_some(G2gEdit::Add));
                ui.separator();
                ui.heading("UVEU installed bases");
                installed_bases(ui, ws);
            });
        let notice = asked.and_then(|edit| apply_g2g_edit(ws, ed, edit));
        if let Some(n) = notice {
            self.notice(n);
        }
        if !open {
            self.scenario = None;
        }
    }
}

/// What the user asked of the g2g list this frame.
enum G2gEdit {
    Add,
    Remove(crate::rules::CountryCode),
}

/// Applies an addition (from the editor's text) or a removal; returns the notice to show.
fn apply_g2g_edit(ws: &mut Workspace, ed: &mut ScenarioEditor, edit: G2gEdit) -> Option<String> {
    let mut sc = ws.session.scenario.clone();
    let (country, verb) = match edit {
        G2gEdit::Add => {
            match scenario_edit::parse_g2g_addition(&ws.engine, &ws.session.scenario, &ed.add_text)
            {
                Ok(c) => {
                    sc.g2g.insert(c);
                    (c, "now has a g2g arrangement")
                }
                Err(e) => {
                    ed.error = Some(e);
                    return None;
                }
            }
        }
        G2gEdit::Remove(c) => {
            sc.g2g.remove(&c);
            (c, "no longer has a g2g arrangement")
        }
    };
    if let Err(e) = ws.set_scenario(sc) {
        ed.error = Some(e);
        return None;
    }
    if matches!(edit, G2gEdit::Add) {
        ed.add_text.clear();
    }
    ed.error = None;
    Some(format!(
        "{} {verb}: {} changed",
        ws.engine.countries().name(country),
        count(ws.changed_by_last_edit().len(), "decision")
    ))
}

fn g2g_intro(ui: &mut egui::Ui, ws: &Workspace) {
    let rs = ws.engine.ruleset();
    let mult = &rs.g2g_multiplier;
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "A Tier 2 country with an arrangement has its {} allocation \
             multiplied by {} ({} → {} TPP).",
            rs.allocation_period(),
            mult.value,
            format::tpp(rs.country_allocation_tpp.value),
            format::tpp(rs.country_allocation_tpp.value.saturating_mul(mult.value))
        ));
        theme::confidence_badge(ui, mult.confidence).on_hover_text(format!(
            "{}\nSource: {}\n{}",
            mult.cite, mult.source, mult.note
        ));
    });
}

/// The countries with an arrangement and what they have drawn; returns the one to remove, if asked.
fn g2g_table(ui: &mut egui::Ui, ws: &Workspace) -> Option<crate::rules::CountryCode> {
    let countries = ws.engine.countries();
    if ws.session.scenario.g2g.is_empty() {
        ui.label(egui::RichText::new("No country has an arrangement.").weak());
    }
    let mut remove = None;
    egui::Grid::new("g2g_grid")
        .num_columns(3)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for &c in &ws.session.scenario.g2g {
                ui.label(format!("{c}  {}", countries.name(c)));
                let limit = ws.engine.allocation_limit(&ws.session.scenario, c);
                let used = ws.summary().country(c).drawn_tpp;
                ui.label(match limit {
                    Some(l) => format!("{} of {} TPP drawn", format::tpp(used), format::tpp(l)),
                    None => "no allocation (not Tier 2)".into(),
                });
                if ui.button(format!("Remove {c}")).clicked() {
                    remove = Some(c);
                }
                ui.end_row();
            }
        });
    remove
}

/// The ISO-code field and its Add button; true when the user asked to add.
fn g2g_add_row(ui: &mut egui::Ui, ed: &mut ScenarioEditor) -> bool {
    let mut add = false;
    ui.horizontal(|ui| {
        let l = ui.label("Add country (ISO code)");
        let resp = ui
            .add(
                egui::TextEdit::singleline(&mut ed.add_text)
                    .hint_text("e.g. IN")
                    .desired_width(60.0),
            )
            .labelled_by(l.id);
        if resp.changed() {
            ed.error = None;
        }
        if resp.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            add = true;
        }
        if ui.button("Add").clicked() {
            add = true;
        }
    });
    if let Some(e) = &ed.error {
        ui.colored_label(theme::ERROR, e);
    }
    add
}

fn installed_bases(ui: &mut egui::Ui, ws: &Workspace) {
    let rs = ws.engine.ruleset();
    if ws.session.scenario.installed_base.is_empty() {
        ui.label(
            egui::RichText::new(format!(
                "None known: UVEU orders are authorised without checking the \
                 {} / {} / {} distribution limits (each such decision says so).",
                format::pct_limit(rs.uveu.min_tier1_share.value),
                format::pct_limit(rs.uveu.max_share_per_tier2_country.value),
                format::pct_limit(rs.uveu.min_us_share_for_us_hq.value)
            ))
            .weak(),
        );
    }
    for (entity, base) in &ws.session.scenario.installed_base {
        let total: u64 = base.values().fold(0u64, |a, v| a.saturating_add(*v));
        let parts: Vec<String> = base
            .iter()
            .map(|(c, v)| format!("{c} {}", format::tpp(*v)))
            .collect();
        ui.label(format!(
            "{entity}: {} TPP ({})",
            format::tpp(total),
            parts.join(", ")
        ));
    }
}

/// Where a window first opens: clear of the menu bar, `dx` from the middle.
fn below_menu_bar(ctx: &egui::Context, dx: f32) -> egui::Pos2 {
    ctx.content_rect().center_top() + egui::vec2(dx, 72.0)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
