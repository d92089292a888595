//! Which caps and figures a comparison shows, in one unit, sorted; and what it leaves out and why.

use super::caps::{Cap, caps_from_ruleset, demo_cap_ids};
use super::data::{Figure, FigureKind, Fleets};
use super::units::{Measure, UnitConverter, UnitFamily};
use crate::rules::Ruleset;

/// Everything the figure picker offers: the ruleset's caps and the data file's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    pub caps: Vec<Cap>,
    pub fleets: Fleets,
    pub converter: UnitConverter,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Entry<'a> {
    Cap(&'a Cap),
    Figure(&'a Figure),
}

impl Entry<'_> {
    pub fn id(&self) -> &str {
        match self {
            Entry::Cap(c) => &c.id,
            Entry::Figure(f) => &f.id,
        }
    }

    pub fn label(&self) -> &str {
        match self {
            Entry::Cap(c) => &c.label,
            Entry::Figure(f) => &f.label,
        }
    }
}

/// How a row is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowClass {
    Cap,
    Company,
    NationalProgramme,
}

impl RowClass {
    pub fn label(self) -> &'static str {
        match self {
            RowClass::Cap => "Caps in the rule",
            RowClass::Company => "Company purchases and fleets",
            RowClass::NationalProgramme => "National programmes",
        }
    }
}

/// One bar: an entry's value in the comparison's measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub label: String,
    pub value: f64,
    pub class: RowClass,
}

/// A selected entry the comparison cannot show, with the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Excluded {
    pub id: String,
    pub label: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub measure: Measure,
    /// Largest first; ties by label.
    pub rows: Vec<Row>,
    pub excluded: Vec<Excluded>,
    /// The selection was empty, so the demo preset is shown.
    pub is_demo_preset: bool,
}

impl Catalogue {
    pub fn new(ruleset: &Ruleset, fleets: Fleets) -> Result<Self, String> {
        Ok(Self {
            caps: caps_from_ruleset(ruleset)?,
            fleets,
            converter: UnitConverter::new(ruleset),
        })
    }

    pub fn entry(&self, id: &str) -> Option<Entry<'_>> {
        self.caps
            .iter()
            .find(|c| c.id == id)
            .map(Entry::Cap)
            .or_else(|| self.fleets.get(id).map(Entry::Figure))
    }

    /// The article's comparison: the four caps beside the 2023 purchases named in the data file.
    pub fn demo_preset(&self) -> Vec<String> {
        let mut ids = demo_cap_ids(&self.caps);
        ids.extend(self.fleets.demo_preset.iter().cloned());
        ids
    }

    /// What a stored selection means: empty is the demo preset.
    pub fn effective_selection(&self, selected: &[String]) -> Vec<String> {
        if selected.is_empty() {
            self.demo_preset()
        } else {
            selected.to_vec()
        }
    }

    /// The source-unit families of the selected figures, most common first (H100 first on ties).
    pub fn families(&self, selected: &[String]) -> Vec<UnitFamily> {
        let mut counts = [0usize; UnitFamily::ALL.len()];
        for id in self.effective_selection(selected) {
            if let Some(Entry::Figure(f)) = self.entry(&id) {
                let i = UnitFamily::ALL
                    .iter()
                    .position(|&u| u == f.unit.family())
                    .unwrap_or(0);
                counts[i] += 1;
            }
        }
        let mut fams: Vec<(usize, UnitFamily)> = UnitFamily::ALL
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(&f, n)| (n, f))
            .collect();
        fams.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        fams.into_iter().map(|(_, f)| f).collect()
    }

    /// The selected entries in `measure`, sorted; those that cannot be shown are listed with why.
    pub fn compare(&self, selected: &[String], measure: Measure) -> Comparison {
        let ids = self.effective_selection(selected);
        let mut rows = Vec::with_capacity(ids.len());
        let mut excluded = Vec::new();
        for id in &ids {
            let Some(entry) = self.entry(id) else {
                excluded.push(Excluded {
                    id: id.clone(),
                    label: id.clone(),
                    reason: "not in this build's figures or ruleset".into(),
                });
                continue;
            };
            let (value, class) = match entry {
                Entry::Cap(c) => (self.converter.cap_value(c, measure), RowClass::Cap),
                Entry::Figure(f) => (
                    self.converter.figure_value(f, measure),
                    match f.kind {
                        FigureKind::Company => RowClass::Company,
                        FigureKind::NationalProgramme => RowClass::NationalProgramme,
                    },
                ),
            };
            match value {
                Ok(value) => rows.push(Row {
                    id: id.clone(),
                    label: entry.label().to_string(),
                    value,
                    class,
                }),
                Err(e) => excluded.push(Excluded {
                    id: id.clone(),
                    label: entry.label().to_string(),
                    reason: format!("counted in {}: {}", e.unit, e.reason),
                }),
            }
        }
        rows.sort_by(|a, b| {
            b.value
                .total_cmp(&a.value)
                .then_with(|| a.label.cmp(&b.label))
        });
        Comparison {
            measure,
            rows,
            excluded,
            is_demo_preset: selected.is_empty(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::LoadedRuleset;

    fn catalogue() -> Catalogue {
        Catalogue::new(
            &LoadedRuleset::embedded().ruleset,
            Fleets::embedded().unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn demo_preset_has_the_allocation_and_metas_150k() {
        let cat = catalogue();
        let cmp = cat.compare(&[], Measure::H100eByTpp);
        assert!(cmp.is_demo_preset);
        assert!(cmp.excluded.is_empty(), "{:?}", cmp.excluded);
        let value = |id: &str| cmp.rows.iter().find(|r| r.id == id).unwrap().value;
        assert!((value("cap-allocation") - 49_899.0).abs() < 0.5);
        assert!((value("cap-allocation-g2g") - 99_798.0).abs() < 0.5);
        assert!((value("cap-lpp") - 1_699.0).abs() < 0.5);
        assert!((value("cap-nveu-2027-12-31") - 320_000.0).abs() < 0.5);
        assert_eq!(value("omdia-2023-meta"), 150_000.0);
        assert_eq!(value("omdia-2023-microsoft"), 150_000.0);
        for id in ["google", "amazon", "oracle", "tencent"] {
            assert_eq!(value(&format!("omdia-2023-{id}")), 50_000.0);
        }
        assert_eq!(cmp.rows.len(), 10);
        // Sorted, largest first.
        assert!(cmp.rows.windows(2).all(|w| w[0].value >= w[1].value));
        assert_eq!(cmp.rows[0].id, "cap-nveu-2027-12-31");
        assert_eq!(cmp.rows.last().unwrap().id, "cap-lpp");
    }

    #[test]
    fn unconvertible_figures_are_excluded_with_a_reason() {
        let cat = catalogue();
        let sel: Vec<String> = [
            "cap-allocation",
            "omdia-2023-meta",
            "omdia-2024-meta",
            "nope",
        ]
        .map(String::from)
        .to_vec();
        let cmp = cat.compare(&sel, Measure::Tpp);
        assert_eq!(cmp.rows.len(), 2);
        assert_eq!(cmp.excluded.len(), 2);
        let hopper = cmp
            .excluded
            .iter()
            .find(|e| e.id == "omdia-2024-meta")
            .unwrap();
        assert!(hopper.reason.contains("Hopper"), "{}", hopper.reason);
        assert!(cmp.excluded.iter().any(|e| e.id == "nope"));
    }

    #[test]
    fn source_units_show_one_family_with_caps_only_beside_h100s() {
        let cat = catalogue();
        let sel: Vec<String> = [
            "cap-allocation",
            "omdia-2023-meta",
            "omdia-2024-meta",
            "omdia-2024-google",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(cat.families(&sel), [UnitFamily::Hopper, UnitFamily::H100]);
        let hopper = cat.compare(&sel, Measure::Source(UnitFamily::Hopper));
        assert_eq!(hopper.rows.len(), 2);
        assert!(hopper.excluded.iter().any(|e| e.id == "cap-allocation"));
        let h100 = cat.compare(&sel, Measure::Source(UnitFamily::H100));
        assert_eq!(
            h100.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["omdia-2023-meta", "cap-allocation"]
        );
    }
}
