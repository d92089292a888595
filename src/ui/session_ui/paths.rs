//! Small helpers for the paths the user picks, types or drops.

use std::path::{Path, PathBuf};

/// The lower-case extension of a path.
pub(super) fn extension(p: &Path) -> Option<String> {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// The file name, or the whole path when it has none.
pub(super) fn display_name(p: &Path) -> String {
    p.file_name()
        .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
}

/// Adds `ext` when the path has no extension at all (a name typed without one).
pub(super) fn with_default_extension(p: &Path, ext: &str) -> PathBuf {
    if p.extension().is_none() {
        p.with_extension(ext)
    } else {
        p.to_path_buf()
    }
}

/// `~/x` → `$HOME/x`, as a shell would.
pub(super) fn expand_home(text: &str) -> PathBuf {
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    PathBuf::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_get_extensions_and_home() {
        assert_eq!(
            with_default_extension(Path::new("/a/b"), "ron"),
            PathBuf::from("/a/b.ron")
        );
        assert_eq!(
            with_default_extension(Path::new("/a/b.txt"), "ron"),
            PathBuf::from("/a/b.txt")
        );
        assert_eq!(extension(Path::new("/a/B.CSV")).as_deref(), Some("csv"));
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(expand_home("~/x.ron"), PathBuf::from(home).join("x.ron"));
        }
    }
}
