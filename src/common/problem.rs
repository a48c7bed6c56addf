//! The first problem found in a JSON document the admin API reads (a snapshot, a vendor part,
//! its records' references): where, as a JSON path from the document's root, and what.

use std::fmt;

/// The first problem of a snapshot document: where (a JSON path such as
/// `vendors.joinup.state.tenants[0].employees[3].company`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON path from the document's root.
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { path: path.into(), message: message.into() }
    }

    /// A vendor's settings refused by its own checks (the admin API's message).
    pub fn settings(error: &crate::common::error::ApiError) -> Self {
        Self::at("settings", error.message.clone().unwrap_or_else(|| "invalid settings".to_owned()))
    }

    /// The same problem seen from `prefix` (a parent's path).
    pub fn under(self, prefix: &str) -> Self {
        let path = match (prefix.is_empty(), self.path.is_empty(), self.path.starts_with('[')) {
            (true, _, _) => self.path,
            (false, true, _) => prefix.to_owned(),
            (false, false, true) => format!("{prefix}{}", self.path),
            (false, false, false) => format!("{prefix}.{}", self.path),
        };
        Self { path, ..self }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() { write!(f, "{}", self.message) } else { write!(f, "{}: {}", self.path, self.message) }
    }
}
