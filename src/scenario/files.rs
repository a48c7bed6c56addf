//! Scenario files on disk: one by name (looked up in `--scenarios-dir`) or by path, and the list
//! of those shipped in the directory (the console's "load a shipped scenario").

use super::compiled::Scenario;
use super::loader::{KnownVendor, LoadError, MAX_FILE_BYTES, compile_text};
use crate::common::bounded_file;
use std::path::Path;

/// `<dir>/<name>.yaml|.yml|.json`.
pub fn load_file(name_or_path: &str, dir: &Path, vendors: &[KnownVendor]) -> Result<Scenario, LoadError> {
    let direct = Path::new(name_or_path);
    // Anything at that path but a directory is the file meant (a device or FIFO is then refused
    // by the bounded read rather than looked up as a name).
    let path = if direct.metadata().is_ok_and(|m| !m.is_dir()) {
        direct.to_path_buf()
    } else {
        ["yaml", "yml", "json"]
            .iter()
            .map(|ext| dir.join(format!("{name_or_path}.{ext}")))
            .find(|p| p.is_file())
            .ok_or_else(|| LoadError {
                file: name_or_path.to_owned(),
                rule: None,
                reason: format!("no such file, and no scenario of that name in {}", dir.display()),
            })?
    };
    let file = path.display().to_string();
    let text = bounded_file::read_text(&path, MAX_FILE_BYTES).map_err(|e| LoadError {
        file: file.clone(),
        rule: None,
        reason: e.to_string(),
    })?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("scenario");
    compile_text(&text, &file, stem, vendors)
}

/// Scenario files listed at most by [`shipped`].
const MAX_SHIPPED: usize = 200;

/// The scenario files in `dir` that compile, by file stem, sorted (at most 200; a file that does
/// not compile is left out and logged).
pub fn shipped(dir: &Path, vendors: &[KnownVendor]) -> Vec<(String, Scenario)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut stems: Vec<String> = entries
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let ext = path.extension()?.to_str()?;
            (["yaml", "yml", "json"].contains(&ext) && path.is_file())
                .then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    stems.sort();
    stems.dedup();
    stems
        .into_iter()
        .take(MAX_SHIPPED)
        .filter_map(|stem| match load_file(&stem, dir, vendors) {
            Ok(scenario) => Some((stem, scenario)),
            Err(error) => {
                tracing::warn!(%error, "a shipped scenario file does not compile");
                None
            }
        })
        .collect()
}
