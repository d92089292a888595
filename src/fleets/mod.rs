//! Compute fleets and purchases beside the rule's caps: the data behind the comparison plots.
//!
//! Pure domain, no egui. Purchase figures come from `assets/fleets.ron`, each with its source and
//! the unit the source counted in; caps come from the engine's ruleset, never retyped. Units are
//! converted only where the conversion is exact (H100 units ↔ TPP via the ruleset's H100 TPP);
//! everything else is refused with a reason naming the figure.

pub mod caps;
pub mod comparison;
pub mod data;
pub mod timeline;
pub mod training;
pub mod units;

pub use caps::{Cap, CapKind, caps_from_ruleset};
pub use comparison::{Catalogue, Comparison, Entry, Excluded, Row, RowClass};
pub use data::{DEFAULT_FLEETS_RON, Figure, FigureKind, Fleets, Source, SourceQuality};
pub use timeline::{AllocationTimeline, DrawPoint, RunOut, TimelineError};
pub use units::{FigureUnit, Measure, UnitConverter, UnitError, UnitFamily};
