//! Where a rule value comes from and how far it can be trusted.

use serde::{Deserialize, Serialize};

/// The reference's confidence tags (`ai-diffusion-rule.md`, "Confidence tags").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Confidence {
    /// Read in regulatory text (Federal Register, bis.gov Interactive EAR, eCFR snapshot).
    Primary,
    /// Read in a law-firm alert, think-tank paper or relayed government fact sheet.
    Secondary,
    /// Arithmetic from sourced inputs; the arithmetic is in the note.
    Derived,
    /// No primary or strong secondary source was read: treat with care.
    Unconfirmed,
}

impl Confidence {
    pub fn label(self) -> &'static str {
        match self {
            Confidence::Primary => "PRIMARY",
            Confidence::Secondary => "SECONDARY",
            Confidence::Derived => "DERIVED",
            Confidence::Unconfirmed => "UNCONFIRMED",
        }
    }

    pub fn is_uncertain(self) -> bool {
        self == Confidence::Unconfirmed
    }
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Citation and confidence of one value, as stored beside it in the data files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The legal citation (CFR section or FR page) the value rests on.
    pub cite: String,
    /// Source identifiers of the reference (e.g. "S-BIS740.29") or a URL.
    pub source: String,
    pub confidence: Confidence,
    /// How the value was read or derived, and any caveat.
    #[serde(default)]
    pub note: String,
}

/// A rule parameter: its value, unit and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param<T> {
    pub value: T,
    pub unit: String,
    pub cite: String,
    pub source: String,
    pub confidence: Confidence,
    #[serde(default)]
    pub note: String,
}

impl<T> Param<T> {
    pub fn provenance(&self) -> Provenance {
        Provenance {
            cite: self.cite.clone(),
            source: self.source.clone(),
            confidence: self.confidence,
            note: self.note.clone(),
        }
    }
}
