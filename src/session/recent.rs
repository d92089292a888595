//! The recently opened or saved session files, kept in a small RON file in the app data folder.
//!
//! Preferences are a convenience: a missing, unreadable or corrupt file gives an empty list and
//! is never an error the user has to deal with.

use super::file::write_atomically;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The file inside the app data folder.
pub const RECENT_FILE: &str = "recent.ron";
/// How many files the list keeps.
pub const MAX_RECENT: usize = 10;
/// Larger preference files are ignored rather than read.
const MAX_PREFS_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecentFiles {
    /// Most recent first; absolute paths.
    paths: Vec<PathBuf>,
}

impl RecentFiles {
    /// The list stored in `dir`, or an empty one if there is none or it cannot be read.
    pub fn load(dir: &Path) -> Self {
        let Ok(bytes) = super::file::read_limited(&dir.join(RECENT_FILE), MAX_PREFS_BYTES) else {
            return Self::default();
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Self::default();
        };
        let mut list: Self = ron::from_str(&text).unwrap_or_default();
        list.normalise();
        list
    }

    /// Writes the list to `dir` (created if needed), atomically.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new())
            .map_err(std::io::Error::other)?;
        write_atomically(&dir.join(RECENT_FILE), text.as_bytes())
    }

    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Puts `path` first (moving it if already listed) and drops the oldest beyond the limit.
    pub fn add(&mut self, path: &Path) {
        let p = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.paths.retain(|q| q != &p);
        self.paths.insert(0, p);
        self.paths.truncate(MAX_RECENT);
    }

    pub fn remove(&mut self, path: &Path) {
        let p = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.paths.retain(|q| q != &p && q != path);
    }

    pub fn clear(&mut self) {
        self.paths.clear();
    }

    fn normalise(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.paths
            .retain(|p| !p.as_os_str().is_empty() && seen.insert(p.clone()));
        self.paths.truncate(MAX_RECENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_recent_first_without_duplicates() {
        let mut r = RecentFiles::default();
        for i in 0..12 {
            r.add(Path::new(&format!("/tmp/s{i}.ron")));
        }
        r.add(Path::new("/tmp/s5.ron"));
        assert_eq!(r.paths().len(), MAX_RECENT);
        assert_eq!(r.paths()[0], PathBuf::from("/tmp/s5.ron"));
        assert_eq!(r.paths()[1], PathBuf::from("/tmp/s11.ron"));
        assert_eq!(
            r.paths().iter().filter(|p| p.ends_with("s5.ron")).count(),
            1
        );
    }

    #[test]
    fn round_trips_and_ignores_corruption() {
        let dir = tempfile::tempdir().unwrap();
        assert!(RecentFiles::load(dir.path()).is_empty());
        let mut r = RecentFiles::default();
        r.add(Path::new("/data/a.ron"));
        r.save(dir.path()).unwrap();
        assert_eq!(RecentFiles::load(dir.path()), r);
        std::fs::write(dir.path().join(RECENT_FILE), b"(paths: [\"unterminated").unwrap();
        assert!(RecentFiles::load(dir.path()).is_empty());
        std::fs::write(dir.path().join(RECENT_FILE), [0xff, 0xfe, 0x00]).unwrap();
        assert!(RecentFiles::load(dir.path()).is_empty());
    }
}
