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

    pub fn is_none(&self) -> bool {
        *self == Self::None
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

/// A validated export order. Optional fields are left out of saved files when empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub date: Date,
    pub destination: CountryCode,
    pub consignee: String,
    pub consignee_hq: CountryCode,
    /// The ultimate parent's name (screened like the consignee).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The ultimate parent's headquarters; `None` = no separate parent (engine v2 rule 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_hq: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "VeuStatus::is_none")]
    pub veu: VeuStatus,
    pub item: Item,
    pub quantity: u64,
    /// The licence (number or application number) the order ships under, when not the order the
    /// licence was applied for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
}

impl Order {
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
            parent: self.parent.clone().unwrap_or_default(),
            parent_hq: self.parent_hq.map(|c| c.to_string()).unwrap_or_default(),
            veu: self.veu.as_str().to_string(),
            item: self.item.id().to_string(),
            quantity: self.quantity.to_string(),
            training_ops,
            open_weights,
            licence: self.licence.clone().unwrap_or_default(),
        }
    }

    /// The names screened for this order: the consignee, and the parent when named.
    pub fn party_names(&self) -> impl Iterator<Item = (super::screening::PartyRole, &str)> {
        use super::screening::PartyRole;
        std::iter::once((PartyRole::Consignee, self.consignee.as_str()))
            .chain(self.parent.as_deref().map(|p| (PartyRole::Parent, p)))
    }
}

/// An order as typed or read from CSV: every field is text until validated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RawOrder {
    pub id: String,
    pub date: String,
    pub destination: String,
    pub consignee: String,
    pub consignee_hq: String,
    pub parent: String,
    pub parent_hq: String,
    pub veu: String,
    pub item: String,
    pub quantity: String,
    pub training_ops: String,
    pub open_weights: String,
    pub licence: String,
}

/// The fields of an order, for error messages and form marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    Id,
    Date,
    Destination,
    Consignee,
    ConsigneeHq,
    Parent,
    ParentHq,
    Veu,
    Item,
    Quantity,
    TrainingOps,
    OpenWeights,
    Licence,
}

impl Field {
    pub const ALL: [Field; 13] = [
        Field::Id,
        Field::Date,
        Field::Destination,
        Field::Consignee,
        Field::ConsigneeHq,
        Field::Parent,
        Field::ParentHq,
        Field::Veu,
        Field::Item,
        Field::Quantity,
        Field::TrainingOps,
        Field::OpenWeights,
        Field::Licence,
    ];

    /// The CSV column name.
    pub fn column(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Date => "date",
            Field::Destination => "destination",
            Field::Consignee => "consignee",
            Field::ConsigneeHq => "consignee_hq",
            Field::Parent => "parent",
            Field::ParentHq => "parent_hq",
            Field::Veu => "veu",
            Field::Item => "item",
            Field::Quantity => "quantity",
            Field::TrainingOps => "training_ops",
            Field::OpenWeights => "open_weights",
            Field::Licence => "licence",
        }
    }

    /// The field's text in a raw order.
    pub fn text(self, raw: &RawOrder) -> &str {
        match self {
            Field::Id => &raw.id,
            Field::Date => &raw.date,
            Field::Destination => &raw.destination,
            Field::Consignee => &raw.consignee,
            Field::ConsigneeHq => &raw.consignee_hq,
            Field::Parent => &raw.parent,
            Field::ParentHq => &raw.parent_hq,
            Field::Veu => &raw.veu,
            Field::Item => &raw.item,
            Field::Quantity => &raw.quantity,
            Field::TrainingOps => &raw.training_ops,
            Field::OpenWeights => &raw.open_weights,
            Field::Licence => &raw.licence,
        }
    }

    /// The field's text in a raw order, for writing.
    pub fn text_mut(self, raw: &mut RawOrder) -> &mut String {
        match self {
            Field::Id => &mut raw.id,
            Field::Date => &mut raw.date,
            Field::Destination => &mut raw.destination,
            Field::Consignee => &mut raw.consignee,
            Field::ConsigneeHq => &mut raw.consignee_hq,
            Field::Parent => &mut raw.parent,
            Field::ParentHq => &mut raw.parent_hq,
            Field::Veu => &mut raw.veu,
            Field::Item => &mut raw.item,
            Field::Quantity => &mut raw.quantity,
            Field::TrainingOps => &mut raw.training_ops,
            Field::OpenWeights => &mut raw.open_weights,
            Field::Licence => &mut raw.licence,
        }
    }
}

/// Why a field's text is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldErrorKind {
    /// A required field is empty (forms only mark it once the user has touched the field).
    Empty,
    /// A required column is absent from a CSV header.
    MissingColumn,
    /// Another order already uses the id.
    DuplicateId(String),
    /// Any other problem, in words that quote the input.
    Invalid(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub kind: FieldErrorKind,
}

impl FieldError {
    pub fn invalid(field: Field, reason: impl Into<String>) -> Self {
        Self {
            field,
            kind: FieldErrorKind::Invalid(reason.into()),
        }
    }

    pub fn empty(field: Field) -> Self {
        Self {
            field,
            kind: FieldErrorKind::Empty,
        }
    }

    pub fn is_empty_field(&self) -> bool {
        self.kind == FieldErrorKind::Empty
    }

    /// The reason alone, e.g. "is empty".
    pub fn reason(&self) -> String {
        match &self.kind {
            FieldErrorKind::Empty => "is empty".into(),
            FieldErrorKind::MissingColumn => "required column is missing from the header".into(),
            FieldErrorKind::DuplicateId(id) => format!("`{id}` is already used by another order"),
            FieldErrorKind::Invalid(r) => r.clone(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field.column(), self.reason())
    }
}

impl std::error::Error for FieldError {}

/// What validation needs to know: the ruleset's date range, the countries and the catalogue.
pub struct Validator<'a> {
    pub ruleset: &'a Ruleset,
    pub countries: &'a Countries,
    pub chips: &'a ChipCatalogue,
}

type Parsed<T> = Result<T, FieldError>;

impl Validator<'_> {
    /// Checks every field and returns the order, or every field's error (not just the first).
    pub fn validate(&self, raw: &RawOrder) -> Result<Order, Vec<FieldError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let id = keep(e, required_text(Field::Id, &raw.id));
        let date = keep(e, self.date(&raw.date));
        let destination = keep(e, self.country(Field::Destination, &raw.destination));
        let consignee = keep(e, required_text(Field::Consignee, &raw.consignee));
        let consignee_hq = keep(e, self.country(Field::ConsigneeHq, &raw.consignee_hq));
        let parent = optional_text(&raw.parent);
        let parent_hq = keep(e, self.optional_country(Field::ParentHq, &raw.parent_hq));
        let veu = keep(e, veu(&raw.veu));
        let item = keep(e, self.item(raw));
        let quantity = keep(e, self.quantity(&raw.quantity, item.as_ref()));
        let licence = optional_text(&raw.licence);
        let (
            Some(id),
            Some(date),
            Some(destination),
            Some(consignee),
            Some(consignee_hq),
            Some(parent_hq),
            Some(veu),
            Some(item),
            Some(quantity),
        ) = (
            id,
            date,
            destination,
            consignee,
            consignee_hq,
            parent_hq,
            veu,
            item,
            quantity,
        )
        else {
            return Err(errors);
        };
        Ok(Order {
            id,
            date,
            destination,
            consignee,
            consignee_hq,
            parent,
            parent_hq,
            veu,
            item,
            quantity,
            licence,
        })
    }

    fn date(&self, text: &str) -> Parsed<Date> {
        let t = text.trim();
        if t.is_empty() {
            return Err(FieldError::empty(Field::Date));
        }
        let d: Date = t.parse().map_err(|_| {
            FieldError::invalid(Field::Date, format!("`{t}` is not a date (YYYY-MM-DD)"))
        })?;
        let dates = &self.ruleset.dates;
        if d < dates.effective.value {
            Err(FieldError::invalid(
                Field::Date,
                format!(
                    "{d} is before the rule took effect ({})",
                    dates.effective.value
                ),
            ))
        } else if d > dates.modelled_until.value {
            Err(FieldError::invalid(
                Field::Date,
                format!(
                    "{d} is after the modelled period (ends {})",
                    dates.modelled_until.value
                ),
            ))
        } else {
            Ok(d)
        }
    }

    fn country(&self, field: Field, text: &str) -> Parsed<CountryCode> {
        self.optional_country(field, text)?
            .ok_or(FieldError::empty(field))
    }

    fn optional_country(&self, field: Field, text: &str) -> Parsed<Option<CountryCode>> {
        let t = text.trim();
        if t.is_empty() {
            return Ok(None);
        }
        match CountryCode::parse(t) {
            Some(c) if self.countries.get(c).is_some() => Ok(Some(c)),
            _ => Err(FieldError::invalid(
                field,
                format!("`{t}` is not a known ISO 3166-1 alpha-2 code"),
            )),
        }
    }

    fn item(&self, raw: &RawOrder) -> Parsed<Item> {
        let id = raw.item.trim();
        if id.eq_ignore_ascii_case(MODEL_WEIGHTS_ID) {
            return model_weights(&raw.training_ops, &raw.open_weights);
        }
        if id.is_empty() {
            return Err(FieldError::empty(Field::Item));
        }
        match self.chips.get(id) {
            Some(chip) if chip.orderable => Ok(Item::Chip(chip.id.clone())),
            Some(chip) => Err(FieldError::invalid(
                Field::Item,
                format!(
                    "{} is reference data only (not a U.S.-origin item)",
                    chip.name
                ),
            )),
            None => Err(FieldError::invalid(
                Field::Item,
                format!("`{id}` is not in the chip catalogue (or `model-weights`)"),
            )),
        }
    }

    fn quantity(&self, text: &str, item: Option<&Item>) -> Parsed<u64> {
        let n = quantity(text)?;
        match item {
            Some(Item::ModelWeights { .. }) if n != 1 => Err(FieldError::invalid(
                Field::Quantity,
                "must be 1 for model weights",
            )),
            // TPP must fit: quantity × TPP per unit is computed with checked arithmetic.
            Some(Item::Chip(id))
                if self
                    .chips
                    .get(id)
                    .is_some_and(|c| c.tpp().checked_mul(n).is_none()) =>
            {
                Err(FieldError::invalid(
                    Field::Quantity,
                    "quantity × TPP overflows",
                ))
            }
            _ => Ok(n),
        }
    }
}

/// The parsed value, or `None` with its error collected.
fn keep<T>(errors: &mut Vec<FieldError>, parsed: Parsed<T>) -> Option<T> {
    parsed.map_err(|e| errors.push(e)).ok()
}

fn required_text(field: Field, text: &str) -> Parsed<String> {
    optional_text(text).ok_or(FieldError::empty(field))
}

fn optional_text(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn veu(text: &str) -> Parsed<VeuStatus> {
    VeuStatus::parse(text).ok_or_else(|| {
        FieldError::invalid(
            Field::Veu,
            format!("`{}` is not one of none, uveu, nveu", text.trim()),
        )
    })
}

/// Model weights: training operations are required; open defaults to false.
fn model_weights(ops_text: &str, open_text: &str) -> Parsed<Item> {
    let ops = ops_text.trim();
    if ops.is_empty() {
        return Err(FieldError::invalid(
            Field::TrainingOps,
            "is required for model weights",
        ));
    }
    let training_ops = match ops.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => v,
        _ => {
            return Err(FieldError::invalid(
                Field::TrainingOps,
                format!("`{ops}` is not a positive number of operations (e.g. 3e26)"),
            ));
        }
    };
    let open_weights = match open_text.trim().to_ascii_lowercase().as_str() {
        "" | "false" | "no" | "0" => false,
        "true" | "yes" | "1" => true,
        other => {
            return Err(FieldError::invalid(
                Field::OpenWeights,
                format!("`{other}` is not true or false"),
            ));
        }
    };
    Ok(Item::ModelWeights {
        training_ops,
        open_weights,
    })
}

/// A positive whole number of units, with `,` and `_` allowed as digit separators.
fn quantity(text: &str) -> Parsed<u64> {
    let t = text.trim();
    let digits = t.replace([',', '_'], "");
    match digits.parse::<u64>() {
        Ok(0) => Err(FieldError::invalid(Field::Quantity, "must be at least 1")),
        Ok(n) if n > MAX_QUANTITY => Err(FieldError::invalid(
            Field::Quantity,
            format!("{n} is too large (at most {MAX_QUANTITY} units per order)"),
        )),
        Ok(n) => Ok(n),
        Err(_) if digits.is_empty() => Err(FieldError::empty(Field::Quantity)),
        Err(_) => Err(FieldError::invalid(
            Field::Quantity,
            if t.starts_with('-') {
                format!("`{t}` is negative: must be a positive whole number")
            } else if t.chars().all(|c| c.is_ascii_digit()) {
                format!("`{t}` is too large")
            } else {
                format!("`{t}` is not a positive whole number")
            },
        )),
    }
}
