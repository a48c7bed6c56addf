//! Reading a recording: bounded, parsed within a work budget, and checked for what a replay
//! needs (a vendor the sandbox serves, a base URL); entries recorded elsewhere (a browser
//! export's other hosts) are skipped and counted, not replayed.

use super::har::{Entry, Har};
use std::path::Path;

/// Largest recording read, in bytes.
pub const FILE_LIMIT: usize = 256 * 1024 * 1024;

/// A recording ready to replay.
pub struct Recording {
    /// Vendor id.
    pub vendor: String,
    /// The recorded base URL, without a trailing `/`.
    pub upstream: String,
    /// The entries under `upstream`, in order, each with its 1-based position in the file and
    /// its path and query below `upstream`.
    pub entries: Vec<(usize, Entry, String)>,
    /// Entries elsewhere, not replayed.
    pub skipped: usize,
}

/// Reads `file`; `vendor` and `upstream` stand in for a HAR another tool wrote.
pub fn read(file: &Path, vendor: Option<&str>, upstream: Option<&str>) -> Result<Recording, String> {
    let name = file.display();
    let bytes = crate::common::bounded_file::read(file, FILE_LIMIT).map_err(|e| format!("{name}: {e}"))?;
    crate::admin::document::budget(bytes.len())
        .check(&bytes)
        .map_err(|e| format!("{name}: not a recording this tool reads: {e}"))?;
    let har: Har = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{name}: not a HAR 1.2 document ({e}); a truncated file ends mid-way"))?;
    let vendor = vendor.map(str::to_owned).or(har.log.vendor).ok_or_else(|| {
        format!(
            "{name}: no vendor: the file was not written by `hr-sandbox record` (no log._vendor, creator '{}'); \
             give --vendor and --upstream",
            har.log.creator.name
        )
    })?;
    let upstream = upstream.map(str::to_owned).or(har.log.upstream).ok_or_else(|| {
        format!(
            "{name}: no base URL: the file was not written by `hr-sandbox record` (no log._upstream); give --upstream"
        )
    })?;
    let upstream = upstream.trim_end_matches('/').to_owned();
    let total = har.log.entries.len();
    let entries: Vec<(usize, Entry, String)> = har
        .log
        .entries
        .into_iter()
        .enumerate()
        .filter_map(|(index, entry)| {
            let rest = entry.request.url.strip_prefix(&upstream)?;
            let below = rest.is_empty() || rest.starts_with(['/', '?']);
            let path = if rest.starts_with('?') || rest.is_empty() { format!("/{rest}") } else { rest.to_owned() };
            below.then_some((index + 1, entry, path))
        })
        .collect();
    let skipped = total - entries.len();
    if entries.is_empty() {
        return Err(format!("{name}: none of its {total} entries is under {upstream}: nothing to replay"));
    }
    Ok(Recording { vendor, upstream, entries, skipped })
}
