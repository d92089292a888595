//! The order form: text fields validated inline, with a live decision preview.

use super::decision_panel;
use super::theme;
use crate::rules::order::MODEL_WEIGHTS_ID;
use crate::rules::{
    Countries, CountryCode, Field, FieldError, FindingContext, Order, RawOrder, VeuStatus,
};
use crate::session::Workspace;
use jiff::civil::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormMode {
    New,
    /// Editing the order at this index of the book.
    Edit(usize),
}

/// What the user asked the form to do this frame.
#[derive(Debug, Clone, PartialEq)]
pub enum FormCommand {
    Add(Order),
    Save(usize, Order),
    Duplicate(usize),
    Delete(usize),
}

/// The texts of the form as typed. Countries may be typed as codes or names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FormDraft {
    pub id: String,
    pub date: String,
    pub destination: String,
    pub consignee: String,
    pub consignee_hq: String,
    pub parent: String,
    pub parent_hq: String,
    pub veu: VeuStatus,
    pub item: String,
    pub quantity: String,
    pub training_ops: String,
    pub open_weights: bool,
    pub licence: String,
}

/// A typed country: a known alpha-2/alpha-3 code or an exact (case-insensitive) name.
pub fn resolve_country(countries: &Countries, text: &str) -> Option<CountryCode> {
    countries.resolve(text)
}

impl FormDraft {
    pub fn from_order(o: &Order) -> Self {
        let r = o.to_raw();
        Self {
            id: r.id,
            date: r.date,
            destination: r.destination,
            consignee: r.consignee,
            consignee_hq: r.consignee_hq,
            parent: r.parent,
            parent_hq: r.parent_hq,
            veu: o.veu,
            item: r.item,
            quantity: r.quantity,
            training_ops: r.training_ops,
            open_weights: r.open_weights == "true",
            licence: r.licence,
        }
    }

    /// The raw order the validator checks (country names resolved to codes).
    pub fn to_raw(&self, countries: &Countries) -> RawOrder {
        let country = |t: &str| {
            resolve_country(countries, t).map_or_else(|| t.trim().to_string(), |c| c.to_string())
        };
        let weights = self.item == MODEL_WEIGHTS_ID;
        RawOrder {
            id: self.id.clone(),
            date: self.date.clone(),
            destination: country(&self.destination),
            consignee: self.consignee.clone(),
            consignee_hq: country(&self.consignee_hq),
            parent: self.parent.clone(),
            parent_hq: country(&self.parent_hq),
            veu: self.veu.as_str().to_string(),
            item: self.item.clone(),
            quantity: if weights && self.quantity.trim().is_empty() {
                "1".into()
            } else {
                self.quantity.clone()
            },
            training_ops: if weights {
                self.training_ops.clone()
            } else {
                String::new()
            },
            open_weights: if weights {
                self.open_weights.to_string()
            } else {
                String::new()
            },
            licence: self.licence.clone(),
        }
    }
}

type Preview = Result<(Order, crate::session::workspace::Preview), Vec<FieldError>>;

pub struct OrderForm {
    pub mode: FormMode,
    pub draft: FormDraft,
    /// The date new orders start with (injected so tests and screenshots are stable).
    pub default_date: Date,
    cache_key: Option<(FormDraft, FormMode, u64)>,
    preview: Option<Preview>,
    /// Fields the user has typed in: only these show "is empty" marks, so a fresh form is calm.
    touched: std::collections::HashSet<Field>,
}

impl OrderForm {
    pub fn new(ws: &Workspace, default_date: Date) -> Self {
        let mut f = Self {
            mode: FormMode::New,
            draft: FormDraft::default(),
            default_date,
            cache_key: None,
            preview: None,
            touched: Default::default(),
        };
        f.reset(ws);
        f
    }

    /// A blank new order with a fresh id and the default date.
    pub fn reset(&mut self, ws: &Workspace) {
        self.touched.clear();
        self.mode = FormMode::New;
        self.draft = FormDraft {
            id: ws.next_order_id(),
            date: self.default_date.to_string(),
            item: "h100-sxm".into(),
            ..FormDraft::default()
        };
    }

    pub fn edit(&mut self, ws: &Workspace, index: usize) {
        if let Some(o) = ws.orders().get(index) {
            self.mode = FormMode::Edit(index);
            self.draft = FormDraft::from_order(o);
        }
    }

    /// Validation and the decision the book would reach; recomputed only when the draft or the
    /// book changes, since a preview re-evaluates the whole book.
    pub fn preview(&mut self, ws: &Workspace) -> &Preview {
        let key = (self.draft.clone(), self.mode, ws.revision());
        if self.cache_key.as_ref() != Some(&key) || self.preview.is_none() {
            let raw = self.draft.to_raw(ws.engine.countries());
            let replacing = match self.mode {
                FormMode::Edit(i) => Some(i),
                FormMode::New => None,
            };
            let result = ws.engine.validator().validate(&raw).and_then(|order| {
                ws.check_order_id(&order.id, replacing)
                    .map(|()| order)
                    .map_err(|e| vec![e])
            });
            self.preview = Some(result.map(|order| {
                let p = ws.preview_full(&order, replacing);
                (order, p)
            }));
            self.cache_key = Some(key);
        }
        self.preview.as_ref().expect("just computed")
    }

    /// The inline marks for a field: every error once touched; before that, all but "is empty".
    fn errors_for(&self, field: Field) -> Vec<String> {
        match &self.preview {
            Some(Err(errors)) => errors
                .iter()
                .filter(|e| e.field == field)
                .filter(|e| self.touched.contains(&field) || !e.is_empty_field())
                .map(FieldError::reason)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Draws the form; returns what the user asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<FormCommand> {
        self.preview(ws);
        let title = match self.mode {
            FormMode::New => "New order".to_string(),
            FormMode::Edit(i) => format!(
                "Edit order {}",
                ws.orders().get(i).map_or("", |o| o.id.as_str())
            ),
        };
        ui.heading(title);
        self.fields(ui, ws);
        self.preview(ws);
        ui.add_space(6.0);
        let command = self.buttons(ui, ws);
        self.submit_error(ui);
        command
    }

    fn fields(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let countries = ws.engine.countries();
        egui::Grid::new("order_form_grid")
            .num_columns(2)
            .spacing([8.0, 6.0])
            .show(ui, |ui| {
                self.text_row(ui, "Order id", Field::Id, |d| &mut d.id, "ORD-0001");
                self.text_row(ui, "Date", Field::Date, |d| &mut d.date, "YYYY-MM-DD");
                self.country_row(ui, countries, "Destination", Field::Destination, |d| {
                    &mut d.destination
                });
                self.consignee_row(ui, ws);
                self.country_row(ui, countries, "Consignee HQ", Field::ConsigneeHq, |d| {
                    &mut d.consignee_hq
                });
                self.parent_row(ui, ws);
                self.country_row(ui, countries, "Parent HQ", Field::ParentHq, |d| {
                    &mut d.parent_hq
                });
                self.veu_row(ui);
                self.item_row(ui, ws);
                self.amount_rows(ui);
                self.text_row(
                    ui,
                    "Ships under licence",
                    Field::Licence,
                    |d| &mut d.licence,
                    "licence or application no., if any",
                );
                self.applied_for_row(ui, ws);
            });
    }

    /// When editing an order a licence was applied for, what became of the application: the
    /// order is covered through it, so the licence field above may rightly be empty.
    fn applied_for_row(&self, ui: &mut egui::Ui, ws: &Workspace) {
        let FormMode::Edit(index) = self.mode else {
            return;
        };
        let Some(order) = ws.orders().get(index) else {
            return;
        };
        for licence in ws
            .session
            .licences
            .iter()
            .filter(|l| l.order_id == order.id)
        {
            ui.label("");
            ui.add(
                egui::Label::new(
                    egui::RichText::new(format!(
                        "Applied for with this order: {}",
                        crate::session::event_text::licence_state(licence)
                    ))
                    .weak(),
                )
                .wrap(),
            );
            ui.end_row();
        }
    }

    fn veu_row(&mut self, ui: &mut egui::Ui) {
        let veu_label = ui.label("VEU status");
        ui.horizontal(|ui| {
            for (v, text) in [
                (VeuStatus::None, "None"),
                (VeuStatus::Uveu, "UVEU"),
                (VeuStatus::Nveu, "NVEU"),
            ] {
                ui.radio_value(&mut self.draft.veu, v, text)
                    .labelled_by(veu_label.id);
            }
        });
        ui.end_row();
    }

    /// Model weights are measured in training operations; everything else in units.
    fn amount_rows(&mut self, ui: &mut egui::Ui) {
        if self.draft.item == MODEL_WEIGHTS_ID {
            self.text_row(
                ui,
                "Training operations",
                Field::TrainingOps,
                |d| &mut d.training_ops,
                "e.g. 3e26",
            );
            ui.label("");
            ui.checkbox(&mut self.draft.open_weights, "Open weights (published)");
            ui.end_row();
        } else {
            self.text_row(
                ui,
                "Quantity",
                Field::Quantity,
                |d| &mut d.quantity,
                "units",
            );
        }
    }

    fn buttons(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<FormCommand> {
        let mut command = None;
        let valid = matches!(self.preview, Some(Ok(_)));
        ui.horizontal(|ui| {
            let label = match self.mode {
                FormMode::New => "Add order",
                FormMode::Edit(_) => "Save changes",
            };
            let button = ui.add_enabled(
                valid,
                egui::Button::new(egui::RichText::new(label).strong()),
            );
            if button.clicked()
                && let Some(Ok((order, _))) = &self.preview
            {
                command = Some(match self.mode {
                    FormMode::New => FormCommand::Add(order.clone()),
                    FormMode::Edit(i) => FormCommand::Save(i, order.clone()),
                });
            }
            if let FormMode::Edit(i) = self.mode {
                if ui.button("Duplicate").clicked() {
                    command = Some(FormCommand::Duplicate(i));
                }
                if ui
                    .button("Void…")
                    .on_hover_text(
                        "Take the order out of the book, with a reason; it stays in the session",
                    )
                    .clicked()
                {
                    command = Some(FormCommand::Delete(i));
                }
            }
            if ui
                .button("New order")
                .on_hover_text("Clear the form for a new order")
                .clicked()
            {
                self.reset(ws);
            }
        });
        command
    }

    fn submit_error(&self, ui: &mut egui::Ui) {
        let Some(Err(errors)) = &self.preview else {
            return;
        };
        let first = &errors[0];
        let text = format!(
            "Cannot submit: {} field{} to fix — {}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            first
        );
        // Fields nobody has typed in yet are not mistakes: say what is missing, calmly.
        let only_untouched_blanks = errors
            .iter()
            .all(|e| e.is_empty_field() && !self.touched.contains(&e.field));
        if only_untouched_blanks {
            ui.label(egui::RichText::new(text).weak());
        } else {
            ui.colored_label(theme::ERROR, text);
        }
    }

    fn field_errors(&self, ui: &mut egui::Ui, field: Field) {
        for e in self.errors_for(field) {
            ui.label(
                egui::RichText::new(format!("⚠ {e}"))
                    .small()
                    .color(theme::ERROR),
            );
        }
    }

    fn text_row(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        field: Field,
        get: impl Fn(&mut FormDraft) -> &mut String,
        hint: &str,
    ) {
        let l = ui.label(label);
        let bad = !self.errors_for(field).is_empty();
        ui.vertical(|ui| {
            let mut edit = egui::TextEdit::singleline(get(&mut self.draft))
                .hint_text(hint)
                .desired_width(200.0);
            if bad {
                edit = edit.text_color(theme::ERROR);
            }
            if ui.add(edit).labelled_by(l.id).changed() {
                self.touched.insert(field);
            }
            self.field_errors(ui, field);
        });
        ui.end_row();
    }

    fn country_row(
        &mut self,
        ui: &mut egui::Ui,
        countries: &Countries,
        label: &str,
        field: Field,
        get: impl Fn(&mut FormDraft) -> &mut String,
    ) {
        let l = ui.label(label);
        ui.vertical(|ui| {
            let text = get(&mut self.draft);
            let response = ui
                .add(
                    egui::TextEdit::singleline(text)
                        .hint_text("name or ISO code")
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
            let resolved = resolve_country(countries, text);
            match resolved {
                Some(code) => {
                    let tier = countries.tier(code);
                    ui.label(
                        egui::RichText::new(format!(
                            "{} ({code}){}",
                            countries.name(code),
                            tier.map_or(String::new(), |t| format!(" · {t}"))
                        ))
                        .small()
                        .color(tier.map_or(theme::GREY, theme::tier_color)),
                    );
                }
                None if !text.trim().is_empty() => {
                    // Suggestions while typing: click one to fill the code.
                    let hits: Vec<(CountryCode, String)> = countries
                        .search(text)
                        .into_iter()
                        .take(4)
                        .map(|c| (c.alpha2, format!("{} ({})", c.name, c.alpha2)))
                        .collect();
                    ui.horizontal_wrapped(|ui| {
                        for (code, name) in hits {
                            if ui.small_button(name).clicked() {
                                *text = code.to_string();
                            }
                        }
                    });
                }
                None => {}
            }
            if response.changed() {
                self.touched.insert(field);
            }
            self.field_errors(ui, field);
        });
        ui.end_row();
    }

    fn parent_row(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let l = ui.label("Ultimate parent");
        ui.vertical(|ui| {
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.draft.parent)
                        .hint_text("name, if it has one (screened too)")
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
            if r.changed() {
                self.touched.insert(Field::Parent);
            }
            let hq = ws.engine.countries().resolve(&self.draft.parent_hq);
            live_matches(ui, ws, &self.draft.parent, hq);
        });
        ui.end_row();
    }

    fn consignee_row(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let l = ui.label("Consignee");
        ui.vertical(|ui| {
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.draft.consignee)
                        .hint_text("ultimate consignee")
                        .desired_width(200.0),
                )
                .labelled_by(l.id);
            if r.changed() {
                self.touched.insert(Field::Consignee);
            }
            let hq = ws.engine.countries().resolve(&self.draft.consignee_hq);
            live_matches(ui, ws, &self.draft.consignee, hq);
            let typed = self.draft.consignee.trim().to_lowercase();
            if !typed.is_empty() {
                // Known parties and earlier consignees fill headquarters and VEU status.
                let parties: Vec<_> = ws
                    .session
                    .parties
                    .iter()
                    .filter(|p| {
                        p.name.to_lowercase().contains(&typed) && p.name != self.draft.consignee
                    })
                    .take(3)
                    .cloned()
                    .collect();
                ui.horizontal_wrapped(|ui| {
                    for p in parties {
                        if ui
                            .small_button(&p.name)
                            .on_hover_text("Fill headquarters and VEU from this party")
                            .clicked()
                        {
                            self.draft.consignee = p.name.clone();
                            self.draft.consignee_hq = p.hq.to_string();
                            self.draft.parent = p.parent.clone().unwrap_or_default();
                            self.draft.parent_hq =
                                p.parent_hq.map(|c| c.to_string()).unwrap_or_default();
                            self.draft.veu = p.veu;
                        }
                    }
                });
            }
            self.field_errors(ui, Field::Consignee);
        });
        ui.end_row();
    }

    fn item_row(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let l = ui.label("Item");
        let chips = ws.engine.chips();
        let thresholds = &ws.engine.ruleset().chip_thresholds;
        let selected_text = if self.draft.item == MODEL_WEIGHTS_ID {
            "Model weights".to_string()
        } else {
            chips
                .get(&self.draft.item)
                .map_or_else(|| self.draft.item.clone(), |c| c.name.clone())
        };
        ui.vertical(|ui| {
            egui::ComboBox::from_id_salt("order_item")
                .selected_text(selected_text)
                .width(200.0)
                .show_ui(ui, |ui| {
                    for c in chips.chips.iter().filter(|c| c.orderable) {
                        let text = format!(
                            "{} — {} TPP ({})",
                            c.name,
                            crate::format::thousands(c.tpp()),
                            c.classify(thresholds).label()
                        );
                        ui.selectable_value(&mut self.draft.item, c.id.clone(), text);
                    }
                    ui.selectable_value(
                        &mut self.draft.item,
                        MODEL_WEIGHTS_ID.to_string(),
                        format!(
                            "Model weights (4E091 if closed and ≥ {} ops)",
                            crate::format::ops(
                                ws.engine.ruleset().model_weights_threshold_ops.value
                            )
                        ),
                    );
                })
                .response
                .labelled_by(l.id);
            if let Some(c) = chips.get(&self.draft.item) {
                ui.horizontal(|ui| {
                    ui.label(
                        egui::RichText::new(format!(
                            "{} TPP per unit · {}",
                            crate::format::thousands(c.tpp()),
                            c.classify(thresholds).label()
                        ))
                        .small(),
                    );
                    theme::confidence_badge(ui, c.confidence)
                        .on_hover_text(format!("Source: {}\n{}", c.source, c.note));
                });
                if !c.unit_note.is_empty() {
                    ui.label(
                        egui::RichText::new(format!("ℹ {}", c.unit_note))
                            .small()
                            .strong(),
                    );
                }
            }
            self.field_errors(ui, Field::Item);
        });
        ui.end_row();
    }

    /// The preview panel beside the form.
    pub fn preview_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        let engine = ws.engine.clone();
        match self.preview(ws) {
            Ok((order, p)) => {
                let ctx = FindingContext {
                    engine: &engine,
                    order,
                    screening: p.screening.as_deref(),
                    licences: &ws.session.licences,
                    overrides: &ws.session.overrides,
                };
                decision_panel::show(ui, &ctx, &p.decision, &p.changed)
            }
            Err(errors) => {
                ui.label(
                    egui::RichText::new("Incomplete order")
                        .size(20.0)
                        .color(theme::GREY),
                );
                ui.label("The decision appears here as soon as every field is valid.");
                for e in errors {
                    ui.label(egui::RichText::new(format!("• {e}")).small());
                }
            }
        }
    }
}

/// The best restricted-party matches of a name as it is typed: list, entry, score and why.
fn live_matches(ui: &mut egui::Ui, ws: &Workspace, name: &str, hq: Option<CountryCode>) {
    const SHOWN: usize = 3;
    let Some(screener) = ws.screener() else {
        return;
    };
    if name.trim().chars().count() < 2 {
        return;
    }
    let hits = screener.matches(name, hq, ws.session.screening.threshold);
    if hits.is_empty() {
        ui.label(
            egui::RichText::new(format!("✔ no list match (CSL of {})", screener.vintage()))
                .small()
                .color(theme::GREEN),
        );
        return;
    }
    for h in hits.iter().take(SHOWN) {
        ui.label(
            egui::RichText::new(format!(
                "⚠ {:.2} {} · {}{}",
                h.score,
                h.list.short,
                h.entry_name,
                h.entity_number
                    .as_ref()
                    .map_or(String::new(), |n| format!(" #{n}"))
            ))
            .small()
            .strong()
            .color(theme::HOLD),
        )
        .on_hover_text(format!("{}\n{}\n{}", h.list.label, h.list.authority, h.why));
        ui.label(egui::RichText::new(&h.why).small().weak());
    }
    if hits.len() > SHOWN {
        ui.label(
            egui::RichText::new(format!(
                "and {} more (see the decision)",
                hits.len() - SHOWN
            ))
            .small(),
        );
    }
}
