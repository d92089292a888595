//! Orders: the validated form the engine evaluates, and the raw text form users and files give.

use super::{ChipCatalogue, Countries, CountryCode, Ruleset};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The largest quantity one order line may carry (a typing-error guard, far above any real order).
pub const MAX_QUANTITY: u64 = 100_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum VeuStatus {
    #[default]
    None,
    Uveu,
    Nveu,
}

impl VeuStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "none" => Some(Self::None),
            "uveu" => Some(Self::Uveu),
            "nveu" => Some(Self::Nveu),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Uveu => "uveu",
            Self::Nveu => "nveu",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Item {
    /// A chip from the catalogue, by id.
    Chip(String),
    /// Parameters of a model (ECCN 4E091 when closed and above the threshold).
    ModelWeights {
        training_ops: f64,
        open_weights: bool,
    },
}

impl Item {
    pub fn id(&self) -> &str {
        match self {
            Item::Chip(id) => id,
            Item::ModelWeights { .. } => MODEL_WEIGHTS_ID,
        }
    }
}

pub const MODEL_WEIGHTS_ID: &str = "model-weights";

/// A validated export order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub date: Date,
    pub destination: CountryCode,
    pub consignee: String,
    pub consignee_hq: CountryCode,
    // Defaults are left out of saved files (they are most orders' values, and a large book
    // must stay under the load limit); a missing field reads back as the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_hq: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub veu: VeuStatus,
    pub item: Item,
    pub quantity: u64,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

impl Order {
    /// The headquarters that decides the entity's tier: the ultimate parent's when known.
    pub fn effective_hq(&self) -> CountryCode {
        self.parent_hq.unwrap_or(self.consignee_hq)
    }

    /// Back to the text form (for editing and CSV export).
    pub fn to_raw(&self) -> RawOrder {
        let (training_ops, open_weights) = match &self.item {
            Item::ModelWeights {
                training_ops,
                open_weights,
            } => (format!("{training_ops:e}"), open_weights.to_string()),
            Item::Chip(_) => (String::new(), String::new()),
        };
        RawOrder {
            id: self.id.clone(),
            date: self.date.to_string(),
            destination: self.destination.to_string(),
            consignee: self.consignee.clone(),
            consignee_hq: self.consignee_hq.to_string(),
            parent_hq: self.parent_hq.map(|c| c.to_string()).unwrap_or_default(),
            veu: self.veu.as_str().to_string(),
            item: self.item.id().to_string(),
            quantity: self.quantity.to_string(),
            training_ops,
            open_weights,
        }
    }
}

/// An order as typed or read from CSV: every field is text until validated.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RawOrder {
    pub id: String,
    pub date: String,
    pub destination: String,
    pub consignee: String,
    pub consignee_hq: String,
    pub parent_hq: String,
    pub veu: String,
    pub item: String,
    pub quantity: String,
    pub training_ops: String,
    pub open_weights: String,
}

/// The fields of an order, for error messages and form marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    Id,
    Date,
    Destination,
    Consignee,
    ConsigneeHq,
    ParentHq,
    Veu,
    Item,
    Quantity,
    TrainingOps,
    OpenWeights,
}

impl Field {
    /// The CSV column name.
    pub fn column(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Date => "date",
            Field::Destination => "destination",
            Field::Consignee => "consignee",
            Field::ConsigneeHq => "consignee_hq",
            Field::ParentHq => "parent_hq",
            Field::Veu => "veu",
            Field::Item => "item",
            Field::Quantity => "quantity",
            Field::TrainingOps => "training_ops",
            Field::OpenWeights => "open_weights",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub reason: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field.column(), self.reason)
    }
}

/// What validation needs to know: the ruleset's date range, the countries and the catalogue.
pub struct Validator<'a> {
    pub ruleset: &'a Ruleset,
    pub countries: &'a Countries,
    pub chips: &'a ChipCatalogue,
}

impl Validator<'_> {
    /// Checks every field and returns the order, or every field's error (not just the first).
    pub fn validate(&self, raw: &RawOrder) -> Result<Order, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field, reason: String| errors.push(FieldError { field, reason });

        let id = raw.id.trim().to_string();
        if id.is_empty() {
            err(Field::Id, "is empty".into());
        }
        let date = match raw.date.trim().parse::<Date>() {
            Ok(d) => {
                let dates = &self.ruleset.dates;
                if d < dates.effective.value {
                    err(
                        Field::Date,
                        format!(
                            "{d} is before the rule took effect ({})",
                            dates.effective.value
                        ),
                    );
                } else if d > dates.modelled_until.value {
                    err(
                        Field::Date,
                        format!(
                            "{d} is after the modelled period (ends {})",
                            dates.modelled_until.value
                        ),
                    );
                }
                Some(d)
            }
            Err(_) if raw.date.trim().is_empty() => {
                err(Field::Date, "is empty".into());
                None
            }
            Err(_) => {
                err(
                    Field::Date,
                    format!("`{}` is not a date (YYYY-MM-DD)", raw.date.trim()),
                );
                None
            }
        };
        let mut country = |field: Field, text: &str, required: bool| -> Option<CountryCode> {
            let t = text.trim();
            if t.is_empty() {
                if required {
                    err(field, "is empty".into());
                }
                return None;
            }
            match CountryCode::parse(t) {
                Some(c) if self.countries.get(c).is_some() => Some(c),
                _ => {
                    err(
                        field,
                        format!("`{t}` is not a known ISO 3166-1 alpha-2 code"),
                    );
                    None
                }
            }
        };
        let destination = country(Field::Destination, &raw.destination, true);
        let consignee_hq = country(Field::ConsigneeHq, &raw.consignee_hq, true);
        let parent_hq = country(Field::ParentHq, &raw.parent_hq, false);
        let consignee = raw.consignee.trim().to_string();
        if consignee.is_empty() {
            err(Field::Consignee, "is empty".into());
        }
        let veu = VeuStatus::parse(&raw.veu);
        if veu.is_none() {
            err(
                Field::Veu,
                format!("`{}` is not one of none, uveu, nveu", raw.veu.trim()),
            );
        }
        let item_id = raw.item.trim();
        let item = if item_id.eq_ignore_ascii_case(MODEL_WEIGHTS_ID) {
            let ops = raw.training_ops.trim();
            let training_ops = if ops.is_empty() {
                err(Field::TrainingOps, "is required for model weights".into());
                None
            } else {
                match ops.parse::<f64>() {
                    Ok(v) if v.is_finite() && v > 0.0 => Some(v),
                    _ => {
                        err(
                            Field::TrainingOps,
                            format!("`{ops}` is not a positive number of operations (e.g. 3e26)"),
                        );
                        None
                    }
                }
            };
            let open = match raw.open_weights.trim().to_ascii_lowercase().as_str() {
                "" | "false" | "no" | "0" => Some(false),
                "true" | "yes" | "1" => Some(true),
                other => {
                    err(
                        Field::OpenWeights,
                        format!("`{other}` is not true or false"),
                    );
                    None
                }
            };
            match (training_ops, open) {
                (Some(training_ops), Some(open_weights)) => Some(Item::ModelWeights {
                    training_ops,
                    open_weights,
                }),
                _ => None,
            }
        } else if item_id.is_empty() {
            err(Field::Item, "is empty".into());
            None
        } else {
            match self.chips.get(item_id) {
                Some(chip) if chip.orderable => Some(Item::Chip(chip.id.clone())),
                Some(chip) => {
                    err(
                        Field::Item,
                        format!(
                            "{} is reference data only (not a U.S.-origin item)",
                            chip.name
                        ),
                    );
                    None
                }
                None => {
                    err(
                        Field::Item,
                        format!("`{item_id}` is not in the chip catalogue (or `model-weights`)"),
                    );
                    None
                }
            }
        };
        let q = raw.quantity.trim().replace([',', '_'], "");
        let quantity = match q.parse::<u64>() {
            Ok(0) => {
                err(Field::Quantity, "must be at least 1".into());
                None
            }
            Ok(n) if n > MAX_QUANTITY => {
                err(
                    Field::Quantity,
                    format!("{n} is too large (at most {MAX_QUANTITY} units per order)"),
                );
                None
            }
            Ok(n) => {
                if matches!(item, Some(Item::ModelWeights { .. })) && n != 1 {
                    err(Field::Quantity, "must be 1 for model weights".into());
                    None
                } else {
                    Some(n)
                }
            }
            Err(_) if q.is_empty() => {
                err(Field::Quantity, "is empty".into());
                None
            }
            Err(_) => {
                let t = raw.quantity.trim();
                let why = if t.starts_with('-') {
                    format!("`{t}` is negative: must be a positive whole number")
                } else if t.chars().all(|c| c.is_ascii_digit()) {
                    format!("`{t}` is too large")
                } else {
                    format!("`{t}` is not a positive whole number")
                };
                err(Field::Quantity, why);
                None
            }
        };
        // TPP must fit: quantity × TPP per unit is computed with checked arithmetic.
        if let (Some(Item::Chip(id)), Some(q)) = (&item, quantity)
            && let Some(chip) = self.chips.get(id)
            && chip.tpp().checked_mul(q).is_none()
        {
            err(Field::Quantity, "quantity × TPP overflows".into());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        match (date, destination, consignee_hq, veu, item, quantity) {
            (
                Some(date),
                Some(destination),
                Some(consignee_hq),
                Some(veu),
                Some(item),
                Some(quantity),
            ) => Ok(Order {
                id,
                date,
                destination,
                consignee,
                consignee_hq,
                parent_hq,
                veu,
                item,
                quantity,
            }),
            _ => Err(vec![FieldError {
                field: Field::Id,
                reason: "incomplete order".into(),
            }]),
        }
    }
}
