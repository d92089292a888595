//! Name normalisation: what two spellings of one party have in common.
//!
//! A name is transliterated to ASCII (so "São" = "Sao", "Straße" = "Strasse", Cyrillic reads as
//! Latin), lower-cased, split at punctuation, and initials written with dots ("S.A.", "U.S.A.")
//! are joined back into one word. Legal-form words ("Co., Ltd.", "GmbH", "OOO") and a few
//! function words are then removed, because they say what kind of company a party is, not which.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Legal-form words removed before scoring, in one place. Single words are removed wherever they
/// stand ("Ltd", "Co", "OOO"), so they must not be words that also name things.
pub const LEGAL_FORM_WORDS: &[&str] = &[
    // English and common abbreviations
    "co",
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "company",
    "llc",
    "llp",
    "lp",
    "plc",
    "pvt",
    "private",
    "pte",
    "pty",
    "cia",
    "cie",
    // German, Dutch, Nordic, Swiss
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "kgaa",
    "bv",
    "nv",
    "ab",
    "oy",
    "oyj",
    "asa",
    // French, Spanish, Portuguese, Italian
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "sae",
    "ltda",
    "sl",
    "sal",
    "cv",
    "rl",
    // Malay, Indonesian, Japanese
    "sdn",
    "bhd",
    "berhad",
    "tbk",
    "pt",
    "kk",
    // Russian, Ukrainian and other post-Soviet forms, abbreviated and spelt out (the words of
    // "Joint Stock Company", "Obshchestvo s Ogranichennoi Otvetstvennostyu" go one by one, so
    // a reordered or partly abbreviated form still goes)
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "ooo",
    "oao",
    "zao",
    "pao",
    "ao",
    "tov",
    "too",
    "npao",
    "joint",
    "stock",
    "liability",
    "partnership",
    "obshchestvo",
    "ogranichennoi",
    "ogranichennoy",
    "otvetstvennostyu",
    "aktsionernoe",
    "otkrytoe",
    "zakrytoe",
    "publichnoe",
    "nepublichnoe",
    // Turkish, Japanese, Spanish, French spelt out; Gulf free zones
    "sirketi",
    "anonim",
    "kabushiki",
    "kaisha",
    "sociedad",
    "anonima",
    "societe",
    "anonyme",
    "sti",
    "fze",
    "fzco",
    "fzc",
    "fzllc",
    "fz",
    "wll",
    "dmcc",
];

/// Multi-word legal forms with a word that must stay when it stands alone ("Open", "Public",
/// "De", "S"), removed only as a whole.
pub const LEGAL_FORM_PHRASES: &[&str] = &[
    "obshchestvo s ogranichennoi otvetstvennostyu",
    "obshchestvo s ogranichennoy otvetstvennostyu",
    "open joint stock company",
    "closed joint stock company",
    "public joint stock company",
    "public limited company",
    "sa de cv",
    "s de rl de cv",
    "s de rl",
];

/// Function words that carry no identity ("Bank of China" = "China Bank" for scoring).
pub const STOP_WORDS: &[&str] = &["the", "of", "and"];

static LEGAL_WORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| LEGAL_FORM_WORDS.iter().chain(STOP_WORDS).copied().collect());

/// Phrases as word lists, longest first so "open joint stock company" wins over "joint stock
/// company".
static LEGAL_PHRASES: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    let mut phrases: Vec<Vec<&str>> = LEGAL_FORM_PHRASES
        .iter()
        .map(|p| p.split(' ').collect())
        .collect();
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    phrases
});

/// ASCII, lower case, punctuation as spaces; apostrophes join ("Xi'an" = "xian").
pub fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !matches!(c, '\'' | '`') {
            out.push(' ');
        }
    }
    out
}

/// All words of a name, legal forms included. Initials written with dots are joined ("S.A." →
/// "sa", "U.S.A." → "usa", "A. Q. Khan" → "aq khan"); a comma or a word without a dot ends
/// them ("B.I., P.P." → "bi", "pp"; "Aventus I S.A." → "aventus", "i", "sa").
pub fn words(text: &str) -> Vec<String> {
    let ascii = deunicode::deunicode(text);
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut initials = String::new();
    let mut chars = ascii.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
            continue;
        }
        if matches!(c, '\'' | '`') {
            continue;
        }
        let is_initial = c == '.' && word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic();
        if is_initial {
            initials.push_str(&word);
            word.clear();
            // Initials continue across spaces only ("A. Q."), not across other punctuation.
            while chars.peek() == Some(&' ') {
                chars.next();
            }
            continue;
        }
        end_word(&mut words, &mut word, &mut initials);
    }
    end_word(&mut words, &mut word, &mut initials);
    words
}

/// Closes the current word: a pending run of initials takes a last undotted letter ("U.S.A"),
/// otherwise both are pushed separately.
fn end_word(words: &mut Vec<String>, word: &mut String, initials: &mut String) {
    if !initials.is_empty() {
        if word.len() == 1 {
            initials.push_str(word);
            word.clear();
        }
        words.push(std::mem::take(initials));
    }
    if !word.is_empty() {
        words.push(std::mem::take(word));
    }
}

/// Whether a folded word is a legal-form or function word.
pub fn is_legal_form_word(word: &str) -> bool {
    LEGAL_WORDS.contains(word)
}

/// Whether a word is a legal-form word of five letters or more with a typo ("limitde",
/// "compnay"): such a word in a query is dropped rather than left to count as a rare word.
pub fn resembles_legal_form_word(word: &str) -> bool {
    word.len() >= 5
        && LEGAL_FORM_WORDS.iter().any(|legal| {
            legal.len() >= 5
                && legal.len().abs_diff(word.len()) <= 1
                && strsim::jaro_winkler(word, legal) >= 0.9
        })
}

/// How many words of a legal-form phrase start at `words[0]`, if one does.
fn phrase_at(words: &[String]) -> Option<usize> {
    LEGAL_PHRASES
        .iter()
        .find(|p| p.len() <= words.len() && p.iter().zip(words).all(|(a, b)| *a == b.as_str()))
        .map(Vec::len)
}

/// The words that identify a party: legal forms and function words removed. A name made only of
/// such words ("The Company") keeps them all rather than become empty.
pub fn strip_legal_forms(words: &[String]) -> Vec<String> {
    let mut kept = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if let Some(len) = phrase_at(&words[i..]) {
            i += len;
            continue;
        }
        if !is_legal_form_word(&words[i]) {
            kept.push(words[i].clone());
        }
        i += 1;
    }
    if kept.is_empty() {
        words.to_vec()
    } else {
        kept
    }
}

/// The scoring tokens of a name.
///
/// ```
/// use diffusion_desk::screening::normalize::tokens;
/// assert_eq!(tokens("Huawei Technologies Co., Ltd."), ["huawei", "technologies"]);
/// ```
pub fn tokens(text: &str) -> Vec<String> {
    strip_legal_forms(&words(text))
}

/// The normalised form of a name: its scoring tokens joined by spaces (the cache key).
pub fn normalize(text: &str) -> String {
    tokens(text).join(" ")
}

/// Other names written inside a listed name, screened like aliases:
/// - the affiliate in "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Huawei Marine
///   Networks Co., Ltd." (the Entity List names the parent first; the parent is not the entry);
/// - each name around "a.k.a.", "f.k.a." or "d.b.a." ("Chitron Electronics Company Ltd., a.k.a.
///   Chi-Chung Electronics Company Ltd.");
/// - a one-word short name in parentheses after the legal form ("Huawei Technologies Co., Ltd.
///   (Huawei)", "… Corporation (SMIC)").
pub fn embedded_names(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let base = after_affiliated_entity(name);
    let mut push = |candidate: &str| {
        let candidate = tidy(candidate);
        let names_something = words(candidate).iter().any(|w| !is_legal_form_word(w));
        if names_something && candidate != name && !out.iter().any(|o| o == candidate) {
            out.push(candidate.to_string());
        }
    };
    if let Some(affiliate) = base {
        push(affiliate);
    }
    let base = base.unwrap_or(name);
    for part in split_at_aka(base) {
        push(part);
    }
    if let Some(short) = trailing_short_name(base) {
        push(short);
    }
    out
}

/// Trims spaces, separators and a parenthesis left unbalanced by a cut.
fn tidy(text: &str) -> &str {
    let mut t = text.trim_matches(|c: char| c.is_whitespace() || ",;:".contains(c));
    if t.starts_with('(') && !t.contains(')') {
        t = &t[1..];
    }
    if t.ends_with(')') && !t.contains('(') {
        t = &t[..t.len() - 1];
    }
    t.trim()
}

fn after_affiliated_entity(name: &str) -> Option<&str> {
    const MARKER: &str = "affiliated entity:";
    let start = name.to_ascii_lowercase().find(MARKER)?;
    name.get(start + MARKER.len()..).map(str::trim)
}

/// The parts of a name around "a.k.a." / "f.k.a." / "d.b.a." (none when there is no marker).
fn split_at_aka(name: &str) -> Vec<&str> {
    const MARKERS: [&str; 3] = ["a.k.a.", "f.k.a.", "d.b.a."];
    let lower = name.to_ascii_lowercase();
    let mut cuts: Vec<(usize, usize)> = MARKERS
        .iter()
        .flat_map(|m| lower.match_indices(m).map(|(i, _)| (i, i + m.len())))
        .collect();
    if cuts.is_empty() {
        return Vec::new();
    }
    cuts.sort_unstable();
    let mut parts = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for (start, end) in cuts {
        parts.push(name.get(from..start).unwrap_or(""));
        from = end;
    }
    parts.push(name.get(from..).unwrap_or(""));
    parts
}

/// "Huawei Technologies Co., Ltd. (Huawei)" → "Huawei": one word in parentheses at the end,
/// right after a legal-form word, is how the Entity List writes a short name. Two or more words
/// there are usually a place ("(Hong Kong)") or a note, and are not taken.
fn trailing_short_name(name: &str) -> Option<&str> {
    let trimmed = name.trim_end_matches(|c: char| c.is_whitespace() || c == '.');
    let inner_end = trimmed.strip_suffix(')')?.len();
    let open = trimmed[..inner_end].rfind('(')?;
    let inner = trimmed[open + 1..inner_end].trim();
    let before = words(&trimmed[..open]);
    let after_legal_form = before.last().is_some_and(|w| is_legal_form_word(w));
    let one_word = !inner.is_empty() && !inner.contains(char::is_whitespace);
    (after_legal_form && one_word).then_some(inner)
}

/// "Xi'an Huawei Technologies Co., Ltd., Xi'an, Shaanxi" → "Xi'an Huawei Technologies Co., Ltd.":
/// the comma-separated parts up to the last one that ends in a legal-form word, when more parts
/// follow it. The rest is usually an address, but may be part of the name ("…, Beijing Research
/// Institute"), so a match on this shorter name is capped below exact.
pub fn name_before_address(name: &str) -> Option<String> {
    let base = after_affiliated_entity(name).unwrap_or(name);
    let parts: Vec<&str> = base.split(',').collect();
    let last_legal = (0..parts.len().saturating_sub(1)).rev().find(|&i| {
        words(parts[i])
            .last()
            .is_some_and(|w| is_legal_form_word(w) && !STOP_WORDS.contains(&w.as_str()))
    })?;
    let head = parts[..=last_legal].join(",");
    // The head must still name something besides its legal form.
    words(&head)
        .iter()
        .any(|w| !is_legal_form_word(w))
        .then_some(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_punctuation_and_legal_forms_go() {
        assert_eq!(
            normalize("HUAWEI TECHNOLOGIES CO., LTD."),
            "huawei technologies"
        );
        assert_eq!(
            normalize("Huawei Technologies Co.,Ltd"),
            "huawei technologies"
        );
        assert_eq!(normalize("Johor Hyperscale Sdn. Bhd."), "johor hyperscale");
        assert_eq!(normalize("Acme S.A. de C.V."), "acme");
        assert_eq!(normalize("Rhein Datacenter GmbH"), "rhein datacenter");
        assert_eq!(normalize("PJSC Rostelecom"), "rostelecom");
        assert_eq!(
            normalize("Obshchestvo S Ogranichennoi Otvetstvennostyu 'Gazprom Telekom'"),
            "gazprom telekom"
        );
        assert_eq!(normalize("Joint Stock Company Kapital"), "kapital");
        assert_eq!(normalize("Bank of China Limited"), "bank china");
    }

    #[test]
    fn diacritics_and_scripts_fold_to_ascii() {
        assert_eq!(
            normalize("São Paulo AI Institute"),
            "sao paulo ai institute"
        );
        assert_eq!(normalize("Warsaw Gaming Cafés"), "warsaw gaming cafes");
        assert_eq!(normalize("Müller Straße GmbH"), "muller strasse");
        assert_eq!(normalize("Xi’an Electronic"), "xian electronic");
        assert_eq!(normalize("ЗАО Ромашка"), "romashka");
    }

    #[test]
    fn misspelt_legal_forms_are_recognised() {
        assert!(resembles_legal_form_word("limitde"));
        assert!(resembles_legal_form_word("compnay"));
        assert!(resembles_legal_form_word("obshchesgvo"));
        assert!(!resembles_legal_form_word("limassol"));
        assert!(!resembles_legal_form_word("compute"));
        assert!(!resembles_legal_form_word("co"));
    }

    #[test]
    fn initials_join_and_words_that_are_only_legal_forms_stay() {
        assert_eq!(words("U.S.A. Trading"), ["usa", "trading"]);
        assert_eq!(words("U.S.A"), ["usa"]);
        assert_eq!(normalize("A. Q. Khan"), "aq khan");
        assert_eq!(words("RADIC B.I., P.P. EU"), ["radic", "bi", "pp", "eu"]);
        assert_eq!(normalize("Aventus I S.A."), "aventus i");
        assert_eq!(normalize("Easy Cash S. de R.L."), "easy cash");
        assert_eq!(words("S A"), ["s", "a"]);
        assert_eq!(normalize("The Company"), "the company");
        assert_eq!(normalize("  ...  "), "");
    }

    #[test]
    fn names_inside_names_are_found() {
        let d = embedded_names(
            "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Huawei Marine Networks Co., Ltd.",
        );
        assert_eq!(d, ["Huawei Marine Networks Co., Ltd."]);
        assert_eq!(
            embedded_names("Huawei Technologies Co., Ltd. (Huawei)"),
            ["Huawei"]
        );
        assert_eq!(
            embedded_names(
                "Chitron Electronics Company Ltd., a.k.a. Chi-Chung Electronics Company Ltd. (Chitron-Shenzhen)"
            ),
            [
                "Chitron Electronics Company Ltd.",
                "Chi-Chung Electronics Company Ltd. (Chitron-Shenzhen)",
                "Chitron-Shenzhen"
            ]
        );
        // Places and notes in parentheses, and parentheses mid-name, are not short names.
        assert!(embedded_names("AccoTest Technology Co., Ltd. (Hong Kong)").is_empty());
        assert!(
            embedded_names("Inspur (Beijing) Electronic Information Industry Co., Ltd.").is_empty()
        );
        assert!(
            embedded_names("Yerevan Research Institute Closed Joint Stock Company (CJSC)")
                .is_empty()
        );
        assert!(embedded_names("Plain Name").is_empty());
    }

    #[test]
    fn a_trailing_address_is_cut_after_the_legal_form() {
        assert_eq!(
            name_before_address("Xi'an Huawei Technologies Co., Ltd., Xi'an, Shaanxi").as_deref(),
            Some("Xi'an Huawei Technologies Co., Ltd.")
        );
        assert_eq!(name_before_address("Gazprom Telekom, OOO"), None);
        assert_eq!(name_before_address("OOO, Moscow"), None);
        assert_eq!(name_before_address("Plain Name"), None);
    }
}
