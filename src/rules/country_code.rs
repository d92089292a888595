//! ISO 3166-1 alpha-2 codes as a small copyable value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An upper-case ISO 3166-1 alpha-2 code (plus the user-assigned `XK` for Kosovo).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Parses two ASCII letters, any case.
    ///
    /// ```
    /// use diffusion_desk::rules::CountryCode;
    /// assert_eq!(CountryCode::parse(" in ").unwrap().as_str(), "IN");
    /// assert!(CountryCode::parse("IND").is_none());
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.trim().as_bytes();
        if b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic) {
            Some(Self([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]))
        } else {
            None
        }
    }

    /// Builds a code from a literal known to be valid (tests, tables).
    pub const fn from_bytes(b: [u8; 2]) -> Self {
        Self(b)
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// A dense index in 0..676 for array-backed per-country tables.
    pub fn index(self) -> usize {
        (self.0[0] - b'A') as usize * 26 + (self.0[1] - b'A') as usize
    }

    pub const SLOTS: usize = 26 * 26;
}

impl std::fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CountryCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CountryCode::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is not a two-letter country code"))
        })
    }
}

/// `cc!("US")` for code literals in tests and tables.
#[macro_export]
macro_rules! cc {
    ($s:literal) => {{
        const B: &[u8] = $s.as_bytes();
        $crate::rules::CountryCode::from_bytes([B[0], B[1]])
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_any_case_and_rejects_junk() {
        assert_eq!(CountryCode::parse(" fr ").unwrap().as_str(), "FR");
        assert!(CountryCode::parse("FRA").is_none());
        assert!(CountryCode::parse("F1").is_none());
        assert!(CountryCode::parse("").is_none());
    }

    #[test]
    fn index_is_dense_and_unique() {
        assert_eq!(CountryCode::parse("AA").unwrap().index(), 0);
        assert_eq!(
            CountryCode::parse("ZZ").unwrap().index(),
            CountryCode::SLOTS - 1
        );
    }
}
