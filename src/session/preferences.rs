//! The user's preferences, kept in a small RON file in the app data folder (not in sessions: a
//! session is shared with colleagues, the name changes go under is the person's own).
//!
//! As with the recent-files list, a missing, unreadable or corrupt file gives the defaults and is
//! never an error the user has to deal with.

use super::file::write_atomically;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file inside the app data folder.
pub const PREFERENCES_FILE: &str = "preferences.ron";
/// Larger preference files are ignored rather than read.
const MAX_PREFS_BYTES: u64 = 64 * 1024;
/// Longer names are refused: a name is recorded in every event.
pub const MAX_USER_CHARS: usize = 80;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// Who changes are recorded as; `None` for the operating system's user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

impl Preferences {
    /// The preferences stored in `dir`, or the defaults.
    pub fn load(dir: &Path) -> Self {
        let Ok(bytes) = super::file::read_limited(&dir.join(PREFERENCES_FILE), MAX_PREFS_BYTES)
        else {
            return Self::default();
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Self::default();
        };
        let mut p: Self = ron::from_str(&text).unwrap_or_default();
        // A hand-edited file must not smuggle in a name the settings window would refuse.
        if p.user.as_deref().is_some_and(|u| check_user(u).is_err()) {
            p.user = None;
        }
        p
    }

    /// Writes the preferences to `dir` (created if needed), atomically.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new())
            .map_err(std::io::Error::other)?;
        write_atomically(&dir.join(PREFERENCES_FILE), text.as_bytes())
    }

    /// The name to record changes as: the preference, else the OS user.
    pub fn user_or_os(&self) -> String {
        self.user.clone().unwrap_or_else(super::workspace::os_user)
    }
}

/// Whether `name` can be recorded as a user: not blank, one line, not too long.
pub fn check_user(name: &str) -> Result<(), String> {
    let n = name.trim();
    if n.is_empty() {
        return Err("the name is empty".into());
    }
    if n.chars().any(char::is_control) {
        return Err("the name must be one line".into());
    }
    if n.chars().count() > MAX_USER_CHARS {
        return Err(format!(
            "the name is longer than {MAX_USER_CHARS} characters"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_corruption() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Preferences::load(dir.path()), Preferences::default());
        let p = Preferences {
            user: Some("s.nakamura".into()),
        };
        p.save(dir.path()).unwrap();
        assert_eq!(Preferences::load(dir.path()), p);
        std::fs::write(dir.path().join(PREFERENCES_FILE), b"(user: Some(\"a\nb\"))").unwrap();
        assert_eq!(Preferences::load(dir.path()).user, None);
        std::fs::write(dir.path().join(PREFERENCES_FILE), b"(user: ").unwrap();
        assert_eq!(Preferences::load(dir.path()), Preferences::default());
    }

    #[test]
    fn names_are_one_short_line() {
        assert!(check_user("  ").is_err());
        assert!(check_user("a\tb").is_err());
        assert!(check_user(&"x".repeat(81)).is_err());
        assert!(check_user("Ana Ribeiro").is_ok());
    }
}
