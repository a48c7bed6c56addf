//! `--accept FILE`: differences a team has decided to live with, each an operation (`GET
//! /v1/members/{id}`, or `*` for any), a path as the report names it (`$.results[*].email`,
//! `headers.retry-after`, `status`; array positions match as `[*]`) and a reason. YAML or JSON.

use super::compare::Difference;
use serde::Deserialize;
use std::path::Path;

/// Largest accept file read, in bytes.
const FILE_LIMIT: usize = 1024 * 1024;

/// One known difference.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accepted {
    /// `METHOD /template`, or `*`.
    pub operation: String,
    /// The difference's path.
    pub path: String,
    /// Why it is accepted (shown in the report).
    pub reason: String,
}

/// Reads the list.
pub fn read(file: &Path) -> Result<Vec<Accepted>, String> {
    let name = file.display();
    let bytes = crate::common::bounded_file::read(file, FILE_LIMIT).map_err(|e| format!("--accept {name}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("--accept {name}: not UTF-8 text"))?;
    serde_saphyr::from_str::<Vec<Accepted>>(&text)
        .map_err(|e| format!("--accept {name}: a list of {{operation, path, reason}} is expected: {e}"))
}

/// `[3]` -> `[*]`, so a path accepted once matches at every position.
fn positions_as_any(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close) if after[..close].bytes().all(|b| b.is_ascii_digit()) => {
                out.push_str("[*]");
                rest = &after[close + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Marks the differences of `operation` the list accepts.
pub fn apply(list: &[Accepted], operation: &str, differences: &mut [Difference]) {
    for difference in differences {
        let path = positions_as_any(&difference.path);
        if let Some(known) =
            list.iter().find(|a| (a.operation == "*" || a.operation == operation) && positions_as_any(&a.path) == path)
        {
            difference.accepted = Some(known.reason.clone());
        }
    }
}
