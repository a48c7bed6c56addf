//! A bounded ring buffer of the requests a sandbox answered, newest last.

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

/// Request bodies longer than this are cut in the journal (the request itself is not).
pub const BODY_LIMIT: usize = 8 * 1024;

/// Request headers worth keeping: what decides how a vendor answers.
pub const RECORDED_HEADERS: &[&str] =
    &["accept", "accept-language", "authorization", "content-type", "content-length", "user-agent"];

/// One request and what answered it.
#[derive(Debug, Clone, Serialize)]
pub struct JournalEntry {
    /// Position in this sandbox's journal since its last reset, from 1.
    pub seq: u64,
    /// The `x-sandbox-request-id` the response carried.
    pub request_id: String,
    /// Sandbox-clock time the request arrived (RFC 3339, milliseconds).
    #[serde(serialize_with = "rfc3339_millis")]
    pub at: DateTime<Utc>,
    /// `inbound` for requests to the sandbox, `outbound` for calls the sandbox made.
    pub direction: &'static str,
    /// Vendor id, e.g. `chiefonboarding`.
    pub vendor: String,
    /// HTTP method.
    pub method: String,
    /// Path relative to the vendor prefix, e.g. `/api/employees/`.
    pub path: String,
    /// Raw query string, without `?`.
    pub query: String,
    /// The recorded request headers (see [`RECORDED_HEADERS`]).
    pub headers: BTreeMap<String, String>,
    /// Request body as text, cut at [`BODY_LIMIT`] bytes.
    pub body: Option<String>,
    /// Whether `body` was cut.
    pub body_truncated: bool,
    /// Status code answered.
    pub status: u16,
    /// Wall time spent answering, in milliseconds.
    pub duration_ms: f64,
    /// `<scenario>#<rule index>` when a scenario rule shaped the answer.
    pub scenario: Option<String>,
}

/// Which journal entries a reader wants.
#[derive(Debug, Default, Clone)]
pub struct JournalFilter {
    /// Only this vendor.
    pub vendor: Option<String>,
    /// Only this method (case-insensitive).
    pub method: Option<String>,
    /// Only this path; `*` matches any run of characters.
    pub path: Option<String>,
    /// Only this status.
    pub status: Option<u16>,
    /// At most this many, the newest.
    pub limit: Option<usize>,
}

impl JournalFilter {
    fn accepts(&self, entry: &JournalEntry) -> bool {
        self.vendor.as_ref().is_none_or(|v| *v == entry.vendor)
            && self.method.as_ref().is_none_or(|m| m.eq_ignore_ascii_case(&entry.method))
            && self.path.as_ref().is_none_or(|p| wildcard_match(p, &entry.path))
            && self.status.is_none_or(|s| s == entry.status)
    }
}

/// The journal of one sandbox.
#[derive(Debug)]
pub struct Journal {
    limit: usize,
    inner: Mutex<Ring>,
}

#[derive(Debug, Default)]
struct Ring {
    next_seq: u64,
    entries: VecDeque<JournalEntry>,
}

impl Journal {
    /// A journal keeping at most `limit` entries (0 keeps none).
    pub fn new(limit: usize) -> Self {
        Self { limit, inner: Mutex::new(Ring::default()) }
    }

    /// Appends an entry, numbering it and dropping the oldest past the limit.
    pub fn record(&self, mut entry: JournalEntry) {
        if self.limit == 0 {
            return;
        }
        let mut ring = self.inner.lock();
        ring.next_seq += 1;
        entry.seq = ring.next_seq;
        if ring.entries.len() == self.limit {
            ring.entries.pop_front();
        }
        ring.entries.push_back(entry);
    }

    /// The entries the filter accepts, oldest first.
    pub fn entries(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        let ring = self.inner.lock();
        let mut picked: Vec<JournalEntry> = ring
            .entries
            .iter()
            .rev()
            .filter(|e| filter.accepts(e))
            .take(filter.limit.unwrap_or(usize::MAX))
            .cloned()
            .collect();
        picked.reverse();
        picked
    }

    /// Forgets every entry and restarts numbering.
    pub fn clear(&self) {
        *self.inner.lock() = Ring::default();
    }
}

fn rfc3339_millis<S: serde::Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

/// Cuts a body for the journal at a char boundary at or below [`BODY_LIMIT`].
pub fn journal_body(body: &[u8]) -> (Option<String>, bool) {
    if body.is_empty() {
        return (None, false);
    }
    let text = String::from_utf8_lossy(body);
    if text.len() <= BODY_LIMIT {
        return (Some(text.into_owned()), false);
    }
    let mut cut = BODY_LIMIT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    (Some(text[..cut].to_owned()), true)
}

/// `*` matches any run of characters (also `/`); everything else matches itself.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else { return rest.is_empty() };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_match_handles_stars() {
        assert!(wildcard_match("/api/employees/", "/api/employees/"));
        assert!(!wildcard_match("/api/employees/", "/api/employees/x"));
        assert!(wildcard_match("/api/*", "/api/users/"));
        assert!(wildcard_match("*/users/", "/api/users/"));
        assert!(wildcard_match("/a*b*c", "/a-x-b-y-c"));
        assert!(!wildcard_match("/a*b*c", "/a-x-c"));
        assert!(!wildcard_match("/ab*ba", "/aba"));
    }

    #[test]
    fn journal_body_cuts_at_char_boundary() {
        let long = "é".repeat(BODY_LIMIT);
        let (body, cut) = journal_body(long.as_bytes());
        assert!(cut);
        assert!(body.is_some_and(|b| b.len() <= BODY_LIMIT));
    }
}
