//! What "the same" means. Exactly: the status, the content type (its media type), the headers
//! that carry behaviour (`Allow`, `Retry-After`, `WWW-Authenticate`, `Location`'s path), error
//! bodies (status 400 and up) and every value the session itself wrote and read back. By shape:
//! other JSON bodies (the same keys, the same JSON types, strings of the same format; array
//! elements merged into one shape, so records that exist on one side only are no difference).
//! Ids, tokens, placeholders and bound values compare through their bindings; timestamps,
//! request ids and cursors by format. `null` is compatible with any type: whether an optional
//! field is set depends on the data, which differs between the two accounts.

use super::bind::{Bindings, is_id_key};
use super::redact::is_placeholder;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;

/// One difference between the recorded answer and the sandbox's.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    /// `status`, `headers.<name>`, `body` or a JSON path (`$.results[*].email`).
    pub path: String,
    /// The recorded value (JSON for body values).
    pub recorded: String,
    /// The sandbox's value.
    pub sandbox: String,
    /// The rule that found it: `exact`, `shape`, `missing key`, `extra key`, `type`, `format`,
    /// `written value`.
    pub rule: &'static str,
    /// The `--accept` reason, when this difference is a known one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
}

/// One side of an exchange's answer.
pub struct Answer<'a> {
    /// Status.
    pub status: u16,
    /// Headers.
    pub headers: &'a [(String, String)],
    /// Body text.
    pub body: &'a str,
    /// The part of `Location` paths that is the vendor's base (`/justworks`).
    pub base_path: &'a str,
}

/// Values the session wrote (request bodies), compared exactly when read back.
pub type Written = HashSet<String>;

const ABSENT: &str = "(absent)";

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Every difference between the recorded answer and the sandbox's.
pub fn compare(recorded: &Answer<'_>, sandbox: &Answer<'_>, bindings: &Bindings, written: &Written) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut differ = |path: String, r: String, s: String, rule| {
        out.push(Difference { path, recorded: r, sandbox: s, rule, accepted: None });
    };
    if recorded.status != sandbox.status {
        differ("status".into(), recorded.status.to_string(), sandbox.status.to_string(), "exact");
    }
    let media = |a: &Answer<'_>| {
        header(a.headers, "content-type").map(|t| t.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
    };
    let pairs = [
        ("content-type", media(recorded), media(sandbox)),
        ("allow", allow(recorded), allow(sandbox)),
        (
            "retry-after",
            header(recorded.headers, "retry-after").map(str::to_owned),
            header(sandbox.headers, "retry-after").map(str::to_owned),
        ),
        (
            "www-authenticate",
            header(recorded.headers, "www-authenticate").map(str::to_owned),
            header(sandbox.headers, "www-authenticate").map(str::to_owned),
        ),
        ("location", location(recorded, bindings), location(sandbox, bindings)),
    ];
    for (name, r, s) in pairs {
        if r != s {
            differ(
                format!("headers.{name}"),
                r.unwrap_or_else(|| ABSENT.into()),
                s.unwrap_or_else(|| ABSENT.into()),
                "exact",
            );
        }
    }
    let error = recorded.status >= 400;
    match (super::json_body(recorded.body), super::json_body(sandbox.body)) {
        (Some(r), Some(s)) => {
            let mut walk = Walk { bindings, out: &mut out };
            if error {
                walk.exact("$".into(), &r, &s, "", 0);
            } else {
                walk.shape("$".into(), &r, &s, 0);
                walk.written(&r, &s, written);
            }
        }
        _ if error && recorded.body.trim() != sandbox.body.trim() => {
            differ("body".into(), clip(recorded.body), clip(sandbox.body), "exact");
        }
        _ => {}
    }
    out
}

fn allow(answer: &Answer<'_>) -> Option<String> {
    let mut methods: Vec<String> = header(answer.headers, "allow")?
        .split(',')
        .map(|m| m.trim().to_ascii_uppercase())
        .filter(|m| !m.is_empty())
        .collect();
    methods.sort();
    Some(methods.join(", "))
}

/// `Location`'s path below the vendor's base, bound values replaced by the sandbox's.
fn location(answer: &Answer<'_>, bindings: &Bindings) -> Option<String> {
    let url = header(answer.headers, "location")?;
    let target = url.split(['?', '#']).next().unwrap_or_default();
    let url = bindings.get(target).unwrap_or(url);
    let without_origin = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => url,
    };
    let path = without_origin.split(['?', '#']).next().unwrap_or_default();
    let path = path.strip_prefix(answer.base_path).filter(|p| p.is_empty() || p.starts_with('/')).unwrap_or(path);
    let segments: Vec<&str> = path.split('/').map(|s| bindings.get(s).unwrap_or(s)).collect();
    Some(segments.join("/"))
}

/// A value as a report shows it: JSON, at most 120 characters.
pub fn clip(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= 120 {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(119).collect::<String>())
    }
}

fn show(value: &Value) -> String {
    clip(&value.to_string())
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The format class of a string: what volatile values (times, ids, tokens) are compared by.
pub fn format(text: &str) -> Option<&'static str> {
    if text.is_empty() || is_placeholder(text) {
        return None;
    }
    let uuid = text.len() == 36
        && text
            .bytes()
            .enumerate()
            .all(|(i, b)| if matches!(i, 8 | 13 | 18 | 23) { b == b'-' } else { b.is_ascii_hexdigit() });
    Some(
        if chrono::DateTime::parse_from_rfc3339(text).is_ok()
            || chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        {
            "date-time"
        } else if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() {
            "date"
        } else if uuid {
            "uuid"
        } else if text.starts_with("http://") || text.starts_with("https://") {
            "uri"
        } else if text.contains('@') && !text.contains(char::is_whitespace) {
            "email"
        } else {
            "text"
        },
    )
}

/// Keys whose values change from run to run however faithful the sandbox: compared by format.
fn is_volatile_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    is_id_key(key)
        || lower.ends_with("_at")
        || lower.ends_with("time")
        || lower.ends_with("date")
        || lower.starts_with("date")
        || lower.contains("timestamp")
        || lower.contains("trace")
        || lower.contains("nonce")
        || lower.contains("token")
        || (lower.contains("request") && lower.ends_with("id"))
}

struct Walk<'a> {
    bindings: &'a Bindings,
    out: &'a mut Vec<Difference>,
}

impl Walk<'_> {
    fn differ(&mut self, path: String, recorded: String, sandbox: String, rule: &'static str) {
        self.out.push(Difference { path, recorded, sandbox, rule, accepted: None });
    }

    fn keys(&mut self, path: &str, r: &serde_json::Map<String, Value>, s: &serde_json::Map<String, Value>) {
        for (key, value) in r.iter().filter(|(k, _)| !s.contains_key(*k)) {
            self.differ(format!("{path}.{key}"), show(value), ABSENT.into(), "missing key");
        }
        for (key, value) in s.iter().filter(|(k, _)| !r.contains_key(*k)) {
            self.differ(format!("{path}.{key}"), ABSENT.into(), show(value), "extra key");
        }
    }

    /// Error bodies: every value equal, but for bound, volatile and placeholder values.
    fn exact(&mut self, path: String, r: &Value, s: &Value, key: &str, depth: usize) {
        if depth > super::MAX_DEPTH {
            return;
        }
        match (r, s) {
            (Value::Object(a), Value::Object(b)) => {
                self.keys(&path, a, b);
                for (k, v) in a {
                    if let Some(other) = b.get(k) {
                        self.exact(format!("{path}.{k}"), v, other, k, depth + 1);
                    }
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                if a.len() != b.len() {
                    self.differ(format!("{path}.length"), a.len().to_string(), b.len().to_string(), "exact");
                }
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    self.exact(format!("{path}[{i}]"), x, y, key, depth + 1);
                }
            }
            (Value::String(a), Value::String(b)) => {
                let same = a == b
                    || is_placeholder(a)
                    || self.bindings.get(a) == Some(b.as_str())
                    || (is_volatile_key(key) || format(a) == Some("date-time")) && format(a) == format(b);
                if !same {
                    self.differ(path, show(r), show(s), "exact");
                }
            }
            (Value::Number(a), Value::Number(b))
                if a != b
                    && !is_volatile_key(key)
                    && self.bindings.get(&a.to_string()) != Some(b.to_string().as_str()) =>
            {
                self.differ(path, show(r), show(s), "exact");
            }
            (Value::Number(_), Value::Number(_)) => {}
            _ if r != s => self.differ(path, show(r), show(s), if kind(r) == kind(s) { "exact" } else { "type" }),
            _ => {}
        }
    }

    /// Other bodies: keys, types, formats; arrays by their elements' merged shape.
    fn shape(&mut self, path: String, r: &Value, s: &Value, depth: usize) {
        if depth > super::MAX_DEPTH {
            return;
        }
        match (r, s) {
            (Value::Null, _) | (_, Value::Null) => {}
            (Value::Object(a), Value::Object(b)) => {
                self.keys(&path, a, b);
                for (k, v) in a {
                    if let Some(other) = b.get(k) {
                        self.shape(format!("{path}.{k}"), v, other, depth + 1);
                    }
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                if let (Some(x), Some(y)) = (merged(a), merged(b)) {
                    self.shape(format!("{path}[*]"), &x, &y, depth + 1);
                }
            }
            (Value::String(a), Value::String(b)) => {
                if let (Some(x), Some(y)) = (format(a), format(b))
                    && x != y
                    && self.bindings.get(a) != Some(b.as_str())
                {
                    self.differ(path, format!("{x} {}", show(r)), format!("{y} {}", show(s)), "format");
                }
            }
            _ if kind(r) != kind(s) => {
                self.differ(path, format!("{} {}", kind(r), show(r)), format!("{} {}", kind(s), show(s)), "type")
            }
            _ => {}
        }
    }

    /// Strings the session wrote that the recorded answer holds: the sandbox's answer must hold
    /// them (through their bindings) at the same path, array positions aside.
    fn written(&mut self, r: &Value, s: &Value, written: &Written) {
        if written.is_empty() {
            return;
        }
        let mut recorded = Vec::new();
        leaves("$", r, &mut recorded, 0);
        let mut sandbox = Vec::new();
        leaves("$", s, &mut sandbox, 0);
        let sandbox: HashSet<(String, &str)> = sandbox.into_iter().collect();
        let mut seen = HashSet::new();
        for (path, value) in recorded {
            if !written.contains(value) || !seen.insert((path.clone(), value)) {
                continue;
            }
            let expected = self.bindings.get(value).unwrap_or(value);
            if !sandbox.contains(&(path.clone(), expected)) {
                self.differ(path, show(&Value::String(value.to_owned())), ABSENT.into(), "written value");
            }
        }
    }
}

/// One value with the shape of all of `items`: objects' keys united, the first non-null value
/// of each (at most 64 elements are looked at).
fn merged(items: &[Value]) -> Option<Value> {
    let mut iter = items.iter().take(64);
    let first = iter.next()?.clone();
    Some(iter.fold(first, merge))
}

fn merge(acc: Value, next: &Value) -> Value {
    match (acc, next) {
        (Value::Object(mut a), Value::Object(b)) => {
            for (k, v) in b {
                let merged = match a.remove(k) {
                    Some(existing) => merge(existing, v),
                    None => v.clone(),
                };
                a.insert(k.clone(), merged);
            }
            Value::Object(a)
        }
        (Value::Null, other) => other.clone(),
        (Value::String(a), Value::String(b)) if a.is_empty() => Value::String(b.clone()),
        (Value::Array(a), Value::Array(b)) if a.is_empty() => Value::Array(b.clone()),
        (acc, _) => acc,
    }
}

/// Every string leaf with its path, array positions as `[*]`.
fn leaves<'v>(path: &str, value: &'v Value, out: &mut Vec<(String, &'v str)>, depth: usize) {
    if depth > super::MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| leaves(&format!("{path}.{k}"), v, out, depth + 1)),
        Value::Array(items) => items.iter().for_each(|v| leaves(&format!("{path}[*]"), v, out, depth + 1)),
        Value::String(text) => out.push((path.to_owned(), text)),
        _ => {}
    }
}
