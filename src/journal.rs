//! A bounded ring buffer of the requests a sandbox answered, newest last: at most a count of
//! entries and a byte budget (`--journal-limit`, `--journal-bytes`), the oldest evicted first.
//! Each entry's parts are cut to fixed sizes (body, URI, headers) and marked where cut, so an
//! entry costs at most [`MAX_ENTRY_BYTES`] and a sandbox's journal at most its budget plus one.
//! An answer body past the cut is kept as a view of its buffer (no copy) when that buffer is at
//! most a sixteenth of the budget; the budget counts each such buffer once, at twice its length
//! (what its allocation may hold).

mod capture;

use crate::common::wildcard::wildcard_match;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, Uri};
use bytes::Bytes;
pub use capture::{
    Answer, BODY_LIMIT, Cut, DEFAULT_BYTES, HEADER_VALUE_LIMIT, HEADERS_LIMIT, KeptHeaders, MAX_ENTRY_BYTES,
    MAX_RECORDED_HEADERS, OUTCOME_DETAIL_LIMIT, Outcome, URI_LIMIT, keep_decoded_path, keep_headers, keep_uri,
};
use capture::{ENTRY_OVERHEAD, HEADER_OVERHEAD, Shared, journal_body, visible_text};
use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// Distinct unmatched (vendor, method, path) groups kept; later new ones are only counted.
const MAX_UNMATCHED_GROUPS: usize = 1000;
/// Bytes of the paths of the unmatched groups kept; later new groups are only counted.
const UNMATCHED_PATH_BYTES: usize = 256 * 1024;

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
    /// The path as the router saw it (percent-decoded), when that differs from the URI's.
    pub decoded_path: Option<Box<str>>,
    /// Length of the vendor prefix at the start of the (decoded) path.
    pub prefix_len: usize,
    /// The recorded request headers (see [`MAX_RECORDED_HEADERS`]).
    pub headers: KeptHeaders,
    /// What was cut from the request's URI and headers to keep the entry bounded.
    pub cut: Cut,
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
    /// Whether the request reached no emulated operation (an unknown route or a wrong method).
    pub unmatched: bool,
    /// What answered: the sandbox's response (inbound) or the client's (outbound), when known.
    pub answer: Option<Box<Answer>>,
    /// How an outbound call ended, and the delivery it was an attempt of (none inbound).
    pub outcome: Option<Box<Outcome>>,
}

/// Headers as the journal shows them: name to value (the last of repeated names).
fn header_map<'h>(headers: impl Iterator<Item = (&'h HeaderName, &'h [u8])>) -> BTreeMap<&'h str, &'h str> {
    headers.filter_map(|(name, value)| Some((name.as_str(), visible_text(value)?))).collect()
}

impl JournalEntry {
    /// Keeps at most [`BODY_LIMIT`] bytes of `body`, copied: a slice of the request's buffer
    /// would keep the whole buffer (up to the body limit) alive as long as the entry lives.
    pub fn keep_body(&mut self, body: &[u8]) {
        self.body = Bytes::copy_from_slice(&body[..body.len().min(BODY_LIMIT)]);
        self.body_len = body.len();
    }

    /// Bytes the journal's budget counts for this entry (at most [`MAX_ENTRY_BYTES`] plus its
    /// scenario label and panic message): what it holds, whether or not shared with the server
    /// (an answer's headers are the server's own).
    pub fn weight(&self) -> usize {
        // A body shared with other entries is charged by the ring, once per buffer.
        let answer = self.answer.as_ref().map_or(0, |a| {
            a.headers.iter().map(|(name, value)| name.as_str().len() + value.len() + HEADER_OVERHEAD).sum::<usize>()
                + if a.shares.is_some() { 0 } else { a.body.len() }
        });
        let text = self.scenario.as_ref().map_or(0, String::len) + self.panic.as_ref().map_or(0, String::len);
        let text = text + self.outcome.as_ref().map_or(0, |o| o.weight());
        ENTRY_OVERHEAD
            + self.uri.path_and_query().map_or(0, |p| p.as_str().len())
            + self.uri.authority().map_or(0, |a| a.as_str().len())
            + self.decoded_path.as_ref().map_or(0, |p| p.len())
            + self.headers.weight()
            + self.body.len()
            + answer
            + text
    }

    /// The path relative to the vendor prefix, decoded as the router saw it, e.g. `/api/employees/`.
    pub fn path(&self) -> &str {
        let full = self.decoded_path.as_deref().unwrap_or(self.uri.path());
        full.get(self.prefix_len..).unwrap_or(full)
    }
}

impl Serialize for JournalEntry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let headers = header_map(self.headers.iter());
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
        if self.cut.headers {
            map.serialize_entry("headers_truncated", &true)?;
        }
        if self.cut.uri {
            map.serialize_entry("uri_truncated", &true)?;
        }
        map.serialize_entry("body", &body)?;
        map.serialize_entry("body_truncated", &body_truncated)?;
        map.serialize_entry("status", &self.status)?;
        map.serialize_entry("duration_ms", &((self.duration_ms * 1000.0).round() / 1000.0))?;
        map.serialize_entry("scenario", &self.scenario)?;
        if let Some(panic) = &self.panic {
            map.serialize_entry("panic", panic)?;
        }
        if self.unmatched {
            map.serialize_entry("unmatched", &true)?;
        }
        if let Some(outcome) = &self.outcome {
            map.serialize_entry("outcome", outcome)?;
        }
        if let Some(answer) = &self.answer {
            let (body, cut_here) = journal_body(&answer.body);
            let truncated = cut_here || answer.body_len.is_some_and(|len| len > answer.body.len());
            let answer = serde_json::json!({
                "headers": header_map(answer.headers.iter().map(|(name, value)| (name, value.as_bytes()))),
                "body": body,
                "body_truncated": truncated,
                "streamed": answer.body_len.is_none(),
            });
            map.serialize_entry("response", &answer)?;
        }
        map.end()
    }
}

/// Which journal entries a reader wants. The admin API reads its `GET /__admin/requests` query
/// straight into this type: unknown parameters are refused, so a typo does not silently filter
/// nothing.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalFilter {
    /// The sandbox whose journal is read (`default` when absent): the reader resolves it, the
    /// filter itself ignores it.
    pub sandbox: Option<String>,
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
    /// Refuses a `direction` other than `inbound` or `outbound`, which would match nothing.
    pub fn check(&self) -> Result<(), &'static str> {
        match self.direction.as_deref() {
            Some(direction) if direction != "inbound" && direction != "outbound" => {
                Err("direction is inbound or outbound")
            }
            _ => Ok(()),
        }
    }

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
    bytes: usize,
    inner: Mutex<Ring>,
}

#[derive(Debug, Default)]
struct Ring {
    next_seq: u64,
    /// How many times the journal was emptied: numbers restart after each, so `--state-dir`
    /// tells a seq of this numbering from the same seq of an earlier one.
    epoch: u64,
    /// The entries with their weights (weighed once, when recorded).
    entries: VecDeque<(usize, JournalEntry)>,
    /// What the budget counts for the kept entries (the sum of their weights and of the
    /// buffers in `shared`).
    bytes: usize,
    /// Answer body buffers kept alive by views in entries, by address: how many entries keep
    /// each, and its length (charged once, while any entry keeps it).
    shared: HashMap<usize, (usize, usize)>,
    /// Requests that reached no emulated operation, by (vendor, method, path); kept past the
    /// ring's eviction.
    unmatched: BTreeMap<(&'static str, String, String), Unmatched>,
    /// Bytes of the paths in `unmatched`.
    unmatched_bytes: usize,
    /// Unmatched requests of groups past [`MAX_UNMATCHED_GROUPS`] or [`UNMATCHED_PATH_BYTES`].
    unmatched_overflow: u64,
}

/// How often one unmatched call was seen, and when last.
#[derive(Debug, Clone)]
struct Unmatched {
    count: u64,
    last_seen: DateTime<Utc>,
}

impl Journal {
    /// A journal keeping at most `limit` entries (0 keeps none) weighing at most `bytes` (see
    /// [`JournalEntry::weight`]; the newest entry is kept even if it alone weighs more).
    pub fn new(limit: usize, bytes: usize) -> Self {
        Self { limit, bytes, inner: Mutex::new(Ring::default()) }
    }

    /// Whether entries are kept at all (`--journal-limit 0` keeps none, so the pipeline skips
    /// copying a request's headers, body and answer for them).
    pub fn keeps_entries(&self) -> bool {
        self.limit > 0
    }

    /// Appends an entry, numbering it and dropping the oldest past the count or the budget.
    pub fn record(&self, mut entry: JournalEntry) {
        if self.limit == 0 {
            return;
        }
        // A buffer past a sixteenth of the budget is not kept alive for a view of its start.
        if let Some(answer) = entry.answer.as_mut()
            && answer.shares.is_some_and(|shared| shared.len > self.bytes / 16)
        {
            answer.body = Bytes::copy_from_slice(&answer.body);
            answer.shares = None;
        }
        // Charged twice its length: a buffer grown by doubling (a `Vec`, a `BytesMut`) may
        // hold up to that.
        let shares = entry
            .answer
            .as_ref()
            .and_then(|answer| answer.shares)
            .map(|shared| Shared { len: shared.len.saturating_mul(2), ..shared });
        let weight = entry.weight();
        let mut ring = self.inner.lock();
        ring.next_seq += 1;
        entry.seq = ring.next_seq;
        if entry.unmatched && entry.direction == "inbound" {
            ring.note_unmatched(&entry);
        }
        while ring.entries.len() >= self.limit
            || (!ring.entries.is_empty() && ring.bytes + weight + ring.charge(shares) > self.bytes)
        {
            let Some((oldest, evicted)) = ring.entries.pop_front() else { break };
            ring.bytes = ring.bytes.saturating_sub(oldest);
            if let Some(shared) = evicted.answer.and_then(|answer| answer.shares) {
                ring.release(shared.at);
            }
        }
        ring.bytes += weight + ring.charge(shares);
        if let Some(shared) = shares {
            ring.shared.entry(shared.at).or_insert((0, shared.len)).0 += 1;
        }
        ring.entries.push_back((weight, entry));
    }

    /// The entries the filter accepts, oldest first.
    pub fn entries(&self, filter: &JournalFilter) -> Vec<JournalEntry> {
        let ring = self.inner.lock();
        let mut picked: Vec<JournalEntry> = ring
            .entries
            .iter()
            .map(|(_, entry)| entry)
            .rev()
            .filter(|e| filter.accepts(e))
            .take(filter.limit.unwrap_or(usize::MAX))
            .cloned()
            .collect();
        picked.reverse();
        picked
    }

    /// Every kept entry, oldest first, and how many older ones were evicted since the last clear.
    pub fn all(&self) -> (Vec<JournalEntry>, u64) {
        let ring = self.inner.lock();
        (ring.entries.iter().map(|(_, entry)| entry.clone()).collect(), ring.next_seq - ring.entries.len() as u64)
    }

    /// The calls that reached no emulated operation, grouped, most frequent first.
    pub fn unmatched(&self) -> serde_json::Value {
        let ring = self.inner.lock();
        let mut groups: Vec<(&(&str, String, String), &Unmatched)> = ring.unmatched.iter().collect();
        groups.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
        let list: Vec<serde_json::Value> = groups
            .into_iter()
            .map(|((vendor, method, path), seen)| {
                serde_json::json!({
                    "vendor": vendor, "method": method, "path": path, "count": seen.count,
                    "last_seen": seen.last_seen.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                })
            })
            .collect();
        serde_json::json!({"unmatched": list, "not_grouped": ring.unmatched_overflow})
    }

    /// The number of the last entry recorded (0 before any, and after a clear).
    pub fn last_seq(&self) -> u64 {
        self.inner.lock().next_seq
    }

    /// The numbering in use (how many times the journal was emptied) and the last number of
    /// it: where a state change is in the sandbox's history.
    pub fn position(&self) -> (u64, u64) {
        let ring = self.inner.lock();
        (ring.epoch, ring.next_seq)
    }

    /// Forgets every entry and restarts numbering (a new epoch).
    pub fn clear(&self) {
        let mut ring = self.inner.lock();
        let epoch = ring.epoch + 1;
        *ring = Ring { epoch, ..Ring::default() };
    }
}

impl Ring {
    /// What keeping this answer body's buffer adds: nothing when another entry keeps it already.
    fn charge(&self, shares: Option<Shared>) -> usize {
        shares.filter(|shared| !self.shared.contains_key(&shared.at)).map_or(0, |shared| shared.len)
    }

    /// One entry fewer keeps this buffer; the last one's going uncharges it.
    fn release(&mut self, at: usize) {
        if let Some((holders, charged)) = self.shared.get_mut(&at) {
            *holders -= 1;
            if *holders == 0 {
                self.bytes = self.bytes.saturating_sub(*charged);
                self.shared.remove(&at);
            }
        }
    }

    fn note_unmatched(&mut self, entry: &JournalEntry) {
        let key = (entry.vendor, entry.method.to_string(), entry.path().to_owned());
        if let Some(seen) = self.unmatched.get_mut(&key) {
            seen.count += 1;
            seen.last_seen = entry.at;
        } else if self.unmatched.len() < MAX_UNMATCHED_GROUPS
            && self.unmatched_bytes + key.2.len() <= UNMATCHED_PATH_BYTES
        {
            self.unmatched_bytes += key.2.len();
            self.unmatched.insert(key, Unmatched { count: 1, last_seen: entry.at });
        } else {
            self.unmatched_overflow += 1;
        }
    }
}
