//! A bounded ring buffer of the requests a sandbox answered, newest last.

use crate::common::wildcard::wildcard_match;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, Uri};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

/// Request bodies longer than this are cut in the journal (the request itself is not).
pub const BODY_LIMIT: usize = 8 * 1024;

/// Request headers worth keeping: what decides how a vendor answers.
pub const RECORDED_HEADERS: [HeaderName; 6] = [
    header::ACCEPT,
    header::ACCEPT_LANGUAGE,
    header::AUTHORIZATION,
    header::CONTENT_TYPE,
    header::CONTENT_LENGTH,
    header::USER_AGENT,
];

/// One request and what answered it. Holds the request's own parts (their clones are reference
/// counts, not copies) and becomes JSON only when someone reads the journal.
#[derive(Debug, Clone)]
pub struct JournalEntry {
    /// Position in this sandbox's journal since its last reset, from 1.
    pub seq: u64,
    /// The `x-sandbox-request-id` the response carried.
    pub request_id: HeaderValue,
    /// Sandbox-clock time the request arrived.
    pub at: DateTime<Utc>,
    /// `inbound` for requests to the sandbox, `outbound` for calls the sandbox made.
    pub direction: &'static str,
    /// Vendor id, e.g. `chiefonboarding`.
    pub vendor: &'static str,
    /// HTTP method.
    pub method: Method,
    /// The request URI as received.
    pub uri: Uri,
    /// Length of the vendor prefix at the start of the URI's path.
    pub prefix_len: usize,
    /// The recorded request headers (see [`RECORDED_HEADERS`]).
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The first [`BODY_LIMIT`] bytes of the request body, in their own allocation (see
    /// [`JournalEntry::keep_body`]).
    pub body: Bytes,
    /// The whole body's length in bytes.
    pub body_len: usize,
    /// Status code answered.
    pub status: u16,
    /// Wall time spent answering, in milliseconds.
    pub duration_ms: f64,
    /// `<scenario>#<rule index>` when a scenario rule shaped the answer.
    pub scenario: Option<String>,
    /// The panic message, when answering panicked and the vendor's 500 went out instead.
    pub panic: Option<String>,
}

impl JournalEntry {
    /// Keeps at most [`BODY_LIMIT`] bytes of `body`, copied: a slice of the request's buffer
    /// would keep the whole buffer (up to the body limit) alive as long as the entry lives.
    pub fn keep_body(&mut self, body: &[u8]) {
        self.body = Bytes::copy_from_slice(&body[..body.len().min(BODY_LIMIT)]);
        self.body_len = body.len();
    }

    /// The path relative to the vendor prefix, e.g. `/api/employees/`.
    pub fn path(&self) -> &str {
        self.uri.path().get(self.prefix_len..).unwrap_or(self.uri.path())
    }
}

impl Serialize for JournalEntry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let headers: BTreeMap<&str, &str> =
            self.headers.iter().filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?))).collect();
        let (body, cut_here) = journal_body(&self.body);
        let body_truncated = cut_here || self.body_len > self.body.len();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("seq", &self.seq)?;
        map.serialize_entry("request_id", self.request_id.to_str().unwrap_or_default())?;
        map.serialize_entry("at", &self.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))?;
        map.serialize_entry("direction", self.direction)?;
        map.serialize_entry("vendor", self.vendor)?;
        map.serialize_entry("method", self.method.as_str())?;
        map.serialize_entry("path", self.path())?;
        map.serialize_entry("query", self.uri.query().unwrap_or(""))?;
        if self.direction == "outbound" {
            map.serialize_entry("url", &self.uri.to_string())?;
        }
        map.serialize_entry("headers", &headers)?;
        map.serialize_entry("body", &body)?;
        map.serialize_entry("body_truncated", &body_truncated)?;
        map.serialize_entry("status", &self.status)?;
        map.serialize_entry("duration_ms", &((self.duration_ms * 1000.0).round() / 1000.0))?;
        map.serialize_entry("scenario", &self.scenario)?;
        if let Some(panic) = &self.panic {
            map.serialize_entry("panic", panic)?;
        }
        map.end()
    }
}

/// Which journal entries a reader wants.
#[derive(Debug, Default, Clone)]
pub struct JournalFilter {
    /// Only this vendor.
    pub vendor: Option<String>,
    /// Only `inbound` or `outbound` entries.
    pub direction: Option<String>,
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
            && self.direction.as_ref().is_none_or(|d| *d == entry.direction)
            && self.method.as_ref().is_none_or(|m| m.eq_ignore_ascii_case(entry.method.as_str()))
            && self.path.as_ref().is_none_or(|p| wildcard_match(p, entry.path()))
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

/// Cuts a body for the journal at a char boundary at or below [`BODY_LIMIT`] (a kept body may
/// end inside a character, which the lossy decoding would otherwise show).
fn journal_body(body: &[u8]) -> (Option<String>, bool) {
    if body.is_empty() {
        return (None, false);
    }
    let text = match std::str::from_utf8(body) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        // A cut inside the last character is not a decoding error worth a U+FFFD.
        Err(e) if e.error_len().is_none() => {
            std::borrow::Cow::Borrowed(std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default())
        }
        Err(_) => String::from_utf8_lossy(body),
    };
    if text.len() <= BODY_LIMIT {
        return (Some(text.into_owned()), false);
    }
    let mut cut = BODY_LIMIT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    (Some(text[..cut].to_owned()), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_body_cuts_at_char_boundary() {
        let long = "é".repeat(BODY_LIMIT);
        let (body, cut) = journal_body(long.as_bytes());
        assert!(cut);
        assert!(body.is_some_and(|b| b.len() <= BODY_LIMIT));
    }
}
