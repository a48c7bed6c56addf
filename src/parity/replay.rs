//! Replaying a recording in order: each request rewritten through the bindings (credentials,
//! ids, codes), sent to the target, its answer compared with the recorded one, and the
//! bindings it reveals learned for the requests after it.

use super::accept::{self, Accepted};
use super::bind::{Bindings, is_id_key};
use super::compare::{self, Answer, Written};
use super::har::Entry;
use super::load::Recording;
use super::redact::is_placeholder;
use super::report::Exchange;
use super::target::Target;
use actix_web::http::Method;
use base64::Engine;
use bytes::Bytes;
use serde_json::Value;

/// Request headers a replay does not send: the connection's own and those the client sets
/// (cookies are sent with the sandbox's values, see [`Bindings::cookie`]).
const NOT_SENT: &[&str] = &[
    "host",
    "content-length",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "accept-encoding",
    "proxy-authorization",
    "proxy-connection",
];

/// What a replay needs besides the recording.
pub struct Replay<'a> {
    /// The sandbox.
    pub target: &'a Target,
    /// The vendor's base URL on the target.
    pub base: String,
    /// The path part of `base` (`/justworks`), which `Location`s are compared below.
    pub base_path: String,
    /// The vendor's OpenAPI path templates.
    pub templates: Vec<String>,
    /// `--accept`.
    pub accepted: Vec<Accepted>,
}

impl Replay<'_> {
    /// Replays every entry; an unreachable target stops it.
    pub async fn run(&self, recording: &Recording, bindings: &mut Bindings) -> Result<Vec<Exchange>, String> {
        let upstream_path = path_of(&recording.upstream);
        let mut written = Written::new();
        let mut out = Vec::with_capacity(recording.entries.len());
        let mut previous: Option<&Entry> = None;
        for (index, entry, target) in &recording.entries {
            if let Some(seconds) = previous.and_then(|before| idle_seconds(before, entry)) {
                self.target.advance_clock(seconds).await?;
            }
            previous = Some(entry);
            let operation = format!("{} {}", entry.request.method, template(&self.templates, target));
            let method = Method::from_bytes(entry.request.method.as_bytes())
                .map_err(|_| format!("entry {index}: not an HTTP method: {:?}", entry.request.method))?;
            let url = format!("{}{}", self.base, bindings.path(target));
            let mut headers = Vec::new();
            for pair in &entry.request.headers {
                let name = pair.name.to_ascii_lowercase();
                if NOT_SENT.contains(&name.as_str()) || name.starts_with(':') {
                    continue;
                }
                let value = if name == "cookie" {
                    bindings.cookie(&pair.value)
                } else if name == "authorization" {
                    bindings.authorization(&pair.value, entry.response.status == 401)
                } else {
                    pair.value.clone()
                };
                headers.push((name, value));
            }
            let body = match &entry.request.post_data {
                Some(post) => {
                    remember(&post.mime_type, &post.text, &mut written);
                    Bytes::from(rewrite_body(bindings, &post.mime_type, &post.text))
                }
                None => Bytes::new(),
            };
            written.iter().for_each(|value| bindings.wrote(value));
            let got = self.target.send(&method, &url, &headers, body).await?;
            let recorded_body = recorded_text(entry);
            let sandbox_body = String::from_utf8_lossy(&got.body).into_owned();
            let recorded_headers: Vec<(String, String)> =
                entry.response.headers.iter().map(|p| (p.name.clone(), p.value.clone())).collect();
            learn(bindings, entry, &recorded_body, &sandbox_body, &got.headers);
            let recorded = Answer {
                status: entry.response.status,
                headers: &recorded_headers,
                body: &recorded_body,
                base_path: &upstream_path,
            };
            let sandbox =
                Answer { status: got.status, headers: &got.headers, body: &sandbox_body, base_path: &self.base_path };
            let mut differences = compare::compare(&recorded, &sandbox, bindings, &written);
            accept::apply(&self.accepted, &operation, &mut differences);
            out.push(Exchange {
                index: *index,
                operation,
                request: format!("{} {target}", entry.request.method),
                recorded_status: entry.response.status,
                sandbox_status: got.status,
                differences,
            });
        }
        Ok(out)
    }
}

/// Whole seconds the session waited between the end of `before` and the start of `next`, when
/// at least one: the vendor's time went on (a job finished), so the sandbox's clock goes on too.
fn idle_seconds(before: &Entry, next: &Entry) -> Option<u64> {
    let start = |e: &Entry| chrono::DateTime::parse_from_rfc3339(&e.started_date_time).ok();
    let (a, b) = (start(before)?, start(next)?);
    let waited = (b - a).num_milliseconds() as f64 / 1000.0 - before.time.max(0.0) / 1000.0;
    // At most a year per gap: a recording's clock cannot push the sandbox's past its range.
    (waited >= 1.0).then(|| waited.min(366.0 * 86_400.0) as u64)
}

/// The path of a URL (`http://h/justworks` -> `/justworks`).
pub fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.find('/').map_or(String::new(), |at| rest[at..].trim_end_matches('/').to_owned())
}

fn recorded_text(entry: &Entry) -> String {
    let text = entry.response.content.text.clone().unwrap_or_default();
    if entry.response.content.encoding.as_deref() == Some("base64") {
        let bytes = base64::engine::general_purpose::STANDARD.decode(text.as_bytes()).unwrap_or_default();
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    text
}

fn essence(mime: &str) -> String {
    mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

fn rewrite_body(bindings: &mut Bindings, mime: &str, text: &str) -> String {
    let essence = essence(mime);
    if essence == "application/x-www-form-urlencoded" {
        return bindings.form(text);
    }
    match super::json_body(text) {
        Some(mut value) if essence.ends_with("json") || essence.is_empty() => {
            bindings.json(&mut value, "", 0);
            value.to_string()
        }
        _ => text.to_owned(),
    }
}

/// The values a request body writes (strings of 3 characters or more, ids and secrets aside).
fn remember(mime: &str, text: &str, written: &mut Written) {
    let keep = |key: &str, value: &str| value.chars().count() >= 3 && !is_placeholder(value) && !is_id_key(key);
    if essence(mime) == "application/x-www-form-urlencoded" {
        for (key, value) in serde_urlencoded::from_str::<Vec<(String, String)>>(text).unwrap_or_default() {
            if keep(&key, &value) {
                written.insert(value);
            }
        }
        return;
    }
    fn walk(key: &str, value: &Value, out: &mut Vec<(String, String)>, depth: usize) {
        match value {
            Value::Object(map) if depth < super::MAX_DEPTH => map.iter().for_each(|(k, v)| walk(k, v, out, depth + 1)),
            Value::Array(items) if depth < super::MAX_DEPTH => items.iter().for_each(|v| walk(key, v, out, depth + 1)),
            Value::String(text) => out.push((key.to_owned(), text.clone())),
            _ => {}
        }
    }
    if let Some(value) = super::json_body(text) {
        let mut pairs = Vec::new();
        walk("", &value, &mut pairs, 0);
        written.extend(pairs.into_iter().filter(|(k, v)| keep(k, v)).map(|(_, v)| v));
    }
}

fn learn(bindings: &mut Bindings, entry: &Entry, recorded: &str, sandbox: &str, headers: &[(String, String)]) {
    if let (Some(r), Some(s)) = (super::json_body(recorded), super::json_body(sandbox)) {
        bindings.learn_json(&r, &s, "", 0);
    }
    let cookies = |pairs: Vec<(&str, &str)>| -> Vec<String> {
        pairs.into_iter().filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie")).map(|(_, v)| v.to_owned()).collect()
    };
    let recorded_cookies =
        cookies(entry.response.headers.iter().map(|p| (p.name.as_str(), p.value.as_str())).collect());
    let sandbox_cookies = cookies(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect());
    bindings.learn_cookies(&recorded_cookies, &sandbox_cookies);
    let r = super::har::header(&entry.response.headers, "location");
    let s = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("location")).map(|(_, v)| v.as_str());
    if let (Some(r), Some(s)) = (r, s) {
        bindings.learn_location(r, s);
    }
}

/// The operation's path template: the vendor's OpenAPI path the request matches (literal
/// segments preferred), or the path with id-looking segments as `{id}`.
pub fn template(templates: &[String], target: &str) -> String {
    let path = target.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').collect();
    let best = templates
        .iter()
        .filter(|t| {
            let parts: Vec<&str> = t.split('/').collect();
            parts.len() == segments.len()
                && parts.iter().zip(&segments).all(|(t, s)| t == s || (t.starts_with('{') && t.ends_with('}')))
        })
        .min_by_key(|t| t.matches('{').count());
    if let Some(found) = best {
        return found.clone();
    }
    segments
        .iter()
        .map(|s| {
            let digits = s.bytes().filter(u8::is_ascii_digit).count();
            let id = (!s.is_empty() && digits == s.len()) || (s.len() >= 12 && digits > 0) || is_placeholder(s);
            if id { "{id}" } else { s }
        })
        .collect::<Vec<_>>()
        .join("/")
}
