//! The restricted-party lists, their entries and what a match on each one means.

use crate::rules::CountryCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One of the 12 lists of the U.S. Consolidated Screening List, from an entry's `source` text.
///
/// Declaration order is the order lists are shown in: the four BIS lists first, because a match
/// on them changes the EAR verdict; then the State and Treasury lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ListKind {
    EntityList,
    DeniedPersons,
    Unverified,
    MilitaryEndUser,
    Sdn,
    Ssi,
    Cmic,
    NsMbs,
    Plc,
    Cap,
    Isn,
    ItarDebarred,
    /// A list this version does not know (a future addition to the CSL): kept, never an error.
    Other(String),
}

/// What a match on a list does to an order (engine v2 rule 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListEffect {
    /// BIS lists (EL, DPL, UVL, MEU): no license exception or VEU; the verdict follows the list.
    BlocksExceptions,
    /// State and Treasury lists: a finding and a hold for a person, not an EAR verdict by itself.
    FindingAndHold,
}

/// The parenthesised code trade.gov puts in `source`, then the list. Codes are matched before
/// phrases because "Non-SDN …" list names contain "SDN".
const SOURCE_CODES: &[(&str, ListKind)] = &[
    ("(EL)", ListKind::EntityList),
    ("(DPL)", ListKind::DeniedPersons),
    ("(UVL)", ListKind::Unverified),
    ("(MEU)", ListKind::MilitaryEndUser),
    ("(SDN)", ListKind::Sdn),
    ("(SSI)", ListKind::Ssi),
    ("(CMIC)", ListKind::Cmic),
    ("(NS-MBS", ListKind::NsMbs),
    ("(PLC)", ListKind::Plc),
    ("(CAP)", ListKind::Cap),
    ("(ISN)", ListKind::Isn),
    ("(DTC)", ListKind::ItarDebarred),
];

/// Fallback when the code is missing: distinctive words of each list's title, most specific first.
const SOURCE_PHRASES: &[(&str, ListKind)] = &[
    ("entity list", ListKind::EntityList),
    ("denied persons", ListKind::DeniedPersons),
    ("unverified", ListKind::Unverified),
    ("military end user", ListKind::MilitaryEndUser),
    ("military-industrial", ListKind::Cmic),
    ("menu-based", ListKind::NsMbs),
    ("sectoral sanctions", ListKind::Ssi),
    ("palestinian legislative", ListKind::Plc),
    ("capta", ListKind::Cap),
    ("nonproliferation", ListKind::Isn),
    ("itar debarred", ListKind::ItarDebarred),
    ("specially designated nationals", ListKind::Sdn),
];

impl ListKind {
    /// Reads trade.gov's `source` text, e.g. "Entity List (EL) - Bureau of Industry and Security".
    ///
    /// ```
    /// use diffusion_desk::screening::ListKind;
    /// assert_eq!(ListKind::from_source("Entity List (EL) - Bureau of Industry and Security"), ListKind::EntityList);
    /// assert_eq!(ListKind::from_source("Something new").short(), "Something new");
    /// ```
    pub fn from_source(source: &str) -> Self {
        let upper = source.to_ascii_uppercase();
        if let Some((_, kind)) = SOURCE_CODES.iter().find(|(code, _)| upper.contains(code)) {
            return kind.clone();
        }
        let lower = source.to_ascii_lowercase();
        SOURCE_PHRASES
            .iter()
            .find(|(phrase, _)| lower.contains(phrase))
            .map(|(_, kind)| kind.clone())
            .unwrap_or_else(|| ListKind::Other(source.trim().to_string()))
    }

    /// The list's usual abbreviation ("EL", "DPL", "SDN", …).
    pub fn short(&self) -> &str {
        match self {
            ListKind::EntityList => "EL",
            ListKind::DeniedPersons => "DPL",
            ListKind::Unverified => "UVL",
            ListKind::MilitaryEndUser => "MEU",
            ListKind::Sdn => "SDN",
            ListKind::Ssi => "SSI",
            ListKind::Cmic => "CMIC",
            ListKind::NsMbs => "NS-MBS",
            ListKind::Plc => "PLC",
            ListKind::Cap => "CAP",
            ListKind::Isn => "ISN",
            ListKind::ItarDebarred => "DTC",
            ListKind::Other(source) => source,
        }
    }

    /// The list's name as its agency publishes it.
    pub fn label(&self) -> &str {
        match self {
            ListKind::EntityList => "Entity List (BIS)",
            ListKind::DeniedPersons => "Denied Persons List (BIS)",
            ListKind::Unverified => "Unverified List (BIS)",
            ListKind::MilitaryEndUser => "Military End User List (BIS)",
            ListKind::Sdn => "Specially Designated Nationals List (OFAC)",
            ListKind::Ssi => "Sectoral Sanctions Identifications List (OFAC)",
            ListKind::Cmic => "Non-SDN Chinese Military-Industrial Complex Companies List (OFAC)",
            ListKind::NsMbs => "Non-SDN Menu-Based Sanctions List (OFAC)",
            ListKind::Plc => "Palestinian Legislative Council List (OFAC)",
            ListKind::Cap => {
                "Correspondent Account or Payable-Through Account Sanctions List (OFAC)"
            }
            ListKind::Isn => "Nonproliferation Sanctions (State)",
            ListKind::ItarDebarred => "ITAR Debarred (State, DDTC)",
            ListKind::Other(source) => source,
        }
    }

    /// The legal authority a finding on this list cites.
    pub fn authority(&self) -> &str {
        match self {
            ListKind::EntityList => "15 CFR 744.11/744.16, Supp. No. 4 to Part 744",
            ListKind::DeniedPersons => "15 CFR Part 764, Supp. No. 2 (denial orders)",
            ListKind::Unverified => "15 CFR 744.15",
            ListKind::MilitaryEndUser => "15 CFR 744.21, Supp. No. 7 to Part 744",
            ListKind::Sdn => "31 CFR Chapter V (OFAC SDN)",
            ListKind::Ssi => "31 CFR Chapter V; E.O. 13662 directives (OFAC SSI)",
            ListKind::Cmic => "E.O. 13959 as amended by E.O. 14032 (OFAC NS-CMIC)",
            ListKind::NsMbs => "31 CFR Chapter V (OFAC NS-MBS)",
            ListKind::Plc => "31 CFR Chapter V (OFAC NS-PLC)",
            ListKind::Cap => "31 CFR Chapter V (OFAC CAPTA)",
            ListKind::Isn => "State Department nonproliferation sanctions (ISN)",
            ListKind::ItarDebarred => "22 CFR 127.7 (ITAR debarment)",
            ListKind::Other(_) => "see the list's source",
        }
    }

    /// What a match on this list does to an order.
    pub fn effect(&self) -> ListEffect {
        match self {
            ListKind::EntityList
            | ListKind::DeniedPersons
            | ListKind::Unverified
            | ListKind::MilitaryEndUser => ListEffect::BlocksExceptions,
            _ => ListEffect::FindingAndHold,
        }
    }
}

impl std::fmt::Display for ListKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.short())
    }
}

/// An entry's license review policy, read from its `license_policy` text (Entity List entries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListPolicy {
    /// "Presumption of denial", "Policy of denial for all items …": any denial wording. Mixed
    /// policies ("case-by-case for X … presumption of denial for all other items") count as
    /// denial, because AI chips fall under "all other items".
    PresumptionOfDenial,
    /// Case-by-case review without denial wording.
    CaseByCase,
    /// Some other text, e.g. "See § 744.2(d) of the EAR": kept for a person to read.
    Other(String),
    /// The entry states no policy.
    Unstated,
}

impl ListPolicy {
    pub fn from_text(text: Option<&str>) -> Self {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return ListPolicy::Unstated;
        };
        let lower = text.to_lowercase();
        if lower.contains("denial") {
            ListPolicy::PresumptionOfDenial
        } else if lower.contains("case-by-case") || lower.contains("case by case") {
            ListPolicy::CaseByCase
        } else {
            ListPolicy::Other(text.to_string())
        }
    }
}

/// One listed party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub name: String,
    pub alt_names: Vec<String>,
    pub list: ListKind,
    pub entity_number: Option<String>,
    /// Address countries, deduplicated; values that are not a country code are left out.
    pub countries: Vec<CountryCode>,
    pub license_requirement: Option<String>,
    /// The raw `license_policy` text; [`Entry::policy`] classifies it.
    pub license_policy: Option<String>,
    pub federal_register_notice: Option<String>,
    pub programs: Vec<String>,
    pub source_list_url: Option<String>,
    /// "Entity", "Individual", "Vessel", "Aircraft", or none.
    pub entry_type: Option<String>,
}

impl Entry {
    pub fn policy(&self) -> ListPolicy {
        ListPolicy::from_text(self.license_policy.as_deref())
    }
}

/// A whole screening list as imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreeningList {
    /// The date the list was generated, "2026-07-31", or "unknown".
    pub vintage: String,
    /// Where it was loaded from (file name, or "embedded: …").
    pub source: String,
    pub entries: Vec<Entry>,
    /// How many entries each list contributed.
    pub counts: BTreeMap<ListKind, usize>,
}

/// The snapshot shipped with the app (see `assets/consolidated-screening-list.README.md`).
const EMBEDDED_GZ: &[u8] =
    include_bytes!("../../assets/consolidated-screening-list-2026-07-31.json.gz");
const EMBEDDED_NAME: &str = "consolidated-screening-list-2026-07-31.json.gz";

impl ScreeningList {
    /// Builds a list and its per-list counts.
    pub fn new(vintage: String, source: String, entries: Vec<Entry>) -> Self {
        let mut counts = BTreeMap::new();
        for entry in &entries {
            *counts.entry(entry.list.clone()).or_insert(0usize) += 1;
        }
        Self {
            vintage,
            source,
            entries,
            counts,
        }
    }

    /// Decompresses and imports the shipped snapshot. It is checked by the tests, so a failure
    /// here is a broken build, not a user error.
    pub fn embedded() -> Self {
        let json = super::import::gunzip(EMBEDDED_NAME, EMBEDDED_GZ)
            .expect("the embedded screening list decompresses");
        let mut list = super::import::import_json(EMBEDDED_NAME, &json)
            .expect("the embedded screening list imports");
        list.source = format!("embedded: {EMBEDDED_NAME}");
        list
    }

    /// Per country: the entries with an address there, per list in list order. An entry counts
    /// once per country however many addresses it has there.
    pub fn entries_by_country(&self) -> BTreeMap<CountryCode, BTreeMap<ListKind, usize>> {
        let mut out: BTreeMap<CountryCode, BTreeMap<ListKind, usize>> = BTreeMap::new();
        for entry in &self.entries {
            for &country in &entry.countries {
                *out.entry(country)
                    .or_default()
                    .entry(entry.list.clone())
                    .or_insert(0) += 1;
            }
        }
        out
    }

    /// Entries on one list.
    pub fn count(&self, kind: &ListKind) -> usize {
        self.counts.get(kind).copied().unwrap_or(0)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_count_once_per_country_and_per_list() {
        let json = br#"{"results": [
            {"name": "A", "source": "Entity List (EL) - Bureau of Industry and Security",
             "addresses": [{"country": "CN"}, {"country": "CN"}, {"country": "HK"}]},
            {"name": "B", "source": "Entity List (EL) - Bureau of Industry and Security",
             "addresses": [{"country": "CN"}]},
            {"name": "C", "source": "Specially Designated Nationals (SDN) - Treasury Department",
             "addresses": [{"country": "CN"}, {"country": "Narnia"}]}]}"#;
        let list = crate::screening::import_json("t.json", json).unwrap();
        let by = list.entries_by_country();
        let cn = CountryCode::parse("CN").unwrap();
        let hk = CountryCode::parse("HK").unwrap();
        assert_eq!(
            by[&cn].iter().collect::<Vec<_>>(),
            vec![(&ListKind::EntityList, &2), (&ListKind::Sdn, &1)]
        );
        assert_eq!(by[&hk].values().sum::<usize>(), 1);
        assert_eq!(
            by.len(),
            2,
            "an address that is not a country is left out: {by:?}"
        );
    }

    #[test]
    fn every_csl_source_maps_to_its_list() {
        let sources = [
            ("Capta List (CAP) - Treasury Department", "CAP"),
            (
                "Denied Persons List (DPL) - Bureau of Industry and Security",
                "DPL",
            ),
            ("Entity List (EL) - Bureau of Industry and Security", "EL"),
            ("ITAR Debarred (DTC) - State Department", "DTC"),
            (
                "Military End User (MEU) List - Bureau of Industry and Security",
                "MEU",
            ),
            (
                "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
                "CMIC",
            ),
            (
                "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
                "NS-MBS",
            ),
            ("Nonproliferation Sanctions (ISN) - State Department", "ISN"),
            (
                "Palestinian Legislative Council List (PLC) - Treasury Department",
                "PLC",
            ),
            (
                "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
                "SSI",
            ),
            (
                "Specially Designated Nationals (SDN) - Treasury Department",
                "SDN",
            ),
            (
                "Unverified List (UVL) - Bureau of Industry and Security",
                "UVL",
            ),
        ];
        for (source, short) in sources {
            let kind = ListKind::from_source(source);
            assert_eq!(kind.short(), short, "{source}");
            assert!(!matches!(kind, ListKind::Other(_)), "{source}");
        }
        // Without the code, the title still identifies the list.
        assert_eq!(
            ListKind::from_source("Non-SDN Menu-Based Sanctions List"),
            ListKind::NsMbs
        );
    }

    #[test]
    fn unknown_sources_are_kept_not_rejected() {
        let kind = ListKind::from_source("  Future List (FUT) - Somewhere ");
        assert_eq!(
            kind,
            ListKind::Other("Future List (FUT) - Somewhere".into())
        );
        assert_eq!(kind.effect(), ListEffect::FindingAndHold);
    }

    #[test]
    fn bis_lists_block_exceptions_and_cite_the_ear() {
        for kind in [
            ListKind::EntityList,
            ListKind::DeniedPersons,
            ListKind::Unverified,
            ListKind::MilitaryEndUser,
        ] {
            assert_eq!(kind.effect(), ListEffect::BlocksExceptions);
            assert!(kind.authority().starts_with("15 CFR"), "{kind}");
        }
        assert_eq!(ListKind::Sdn.effect(), ListEffect::FindingAndHold);
        assert_eq!(ListKind::Sdn.authority(), "31 CFR Chapter V (OFAC SDN)");
        assert_eq!(
            ListKind::EntityList.authority(),
            "15 CFR 744.11/744.16, Supp. No. 4 to Part 744"
        );
    }

    #[test]
    fn policies_read_denial_wording_in_any_form() {
        use ListPolicy::*;
        for text in [
            "Presumption of denial",
            "Presumption of Denial.",
            "Policy of denial for all items subject to the EAR apart from food and medicine designated as EAR99, which will be reviewed on a case-by-case basis.",
            "Case-by-case review for ECCNs 1A004.c …; and presumption of denial for all other items subject to the EAR.",
            "Presumption for denial",
        ] {
            assert_eq!(
                ListPolicy::from_text(Some(text)),
                PresumptionOfDenial,
                "{text}"
            );
        }
        assert_eq!(
            ListPolicy::from_text(Some(
                "Case-by-case for all items listed on the CCL. Presumption of approval for EAR99 items"
            )),
            CaseByCase
        );
        assert_eq!(
            ListPolicy::from_text(Some("See §744.2(d) of the EAR.")),
            Other("See §744.2(d) of the EAR.".into())
        );
        assert_eq!(ListPolicy::from_text(None), Unstated);
        assert_eq!(ListPolicy::from_text(Some("  ")), Unstated);
    }
}
