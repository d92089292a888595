//! Loading RON data files with errors that name the file, line, column and field.

use serde::de::DeserializeOwned;
use std::path::Path;

/// A data file (ruleset, catalogue, country table…) that could not be read or parsed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataError {
    #[error("{file}: cannot read: {message}")]
    Io { file: String, message: String },
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

/// Parses RON text; `file` names the source in errors.
pub fn parse_ron<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, DataError> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| DataError::Parse {
            file: file.to_string(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        })
}

/// Reads and parses a RON file from disk.
pub fn load_ron<T: DeserializeOwned>(path: &Path) -> Result<T, DataError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| DataError::Io {
        file: file.clone(),
        message: e.to_string(),
    })?;
    parse_ron(&file, &text)
}
