//! The behaviour guard of the architecture refactor (issue 25): a recorded list of requests per
//! vendor (and one for the admin API), kept as data in `tests/api/replay/<name>.json`, is sent in
//! order to a fresh default-seed app and the whole transcript (request line, status, every header
//! sorted by name, the body byte for byte) is compared with one insta snapshot per test. A refactor
//! that changes any answer fails here with a readable diff.
//!
//! The sandbox clock is frozen at [`FROZEN_AT`] before the first step, so every timestamp a vendor
//! derives from "now" (bodies and the vendors' `Date` header) is exact. Only what is volatile by
//! nature is normalised (see [`normalise`]): the admin API's `Date` header (real wall clock), the
//! process-wide `x-sandbox-request-id` counter, the ephemeral port, and journal durations.

use crate::helpers::{TestApp, spawn_app};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The instant the sandbox clock is frozen at before each replay.
const FROZEN_AT: &str = "2026-03-01T09:00:00Z";

/// One replay file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Replay {
    /// Seconds the frozen clock is advanced (silently, through the admin API) before each step,
    /// so per-second and per-minute rate limits do not answer every other step.
    #[serde(default)]
    advance_each: i64,
    steps: Vec<Step>,
}

/// One recorded request.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    /// Shown in the transcript above the request line (why this request is in the list).
    #[serde(default)]
    note: Option<String>,
    method: String,
    /// The whole path and query, vendor prefix included.
    path: String,
    /// `@identity` (that identity's ready value in `/__admin/credentials`, of this file's vendor,
    /// or `@vendor.identity`), or a raw `Authorization` value.
    #[serde(default)]
    auth: Option<String>,
    /// A JSON body (sent as `application/json` unless `content_type` says otherwise).
    #[serde(default)]
    json: Option<Value>,
    /// A raw body, sent as is.
    #[serde(default)]
    body: Option<String>,
    /// A body of `deep` nested arrays (`[[[...]]]`), for the depth bounds.
    #[serde(default)]
    deep: Option<usize>,
    #[serde(default)]
    content_type: Option<String>,
    /// Seconds to advance the clock before this step instead of the file's `advance_each`.
    #[serde(default)]
    advance: Option<i64>,
    /// Values of the answer kept for later steps: variable name -> a JSON pointer into the body,
    /// or `location?param` for a query parameter of the `Location` header.
    /// `{name}` in a later step's path, auth, headers or body is replaced by the value.
    #[serde(default)]
    save: BTreeMap<String, String>,
    /// Any other request headers.
    #[serde(default)]
    headers: BTreeMap<String, String>,
}

#[tokio::test]
async fn replay_joinup_answers_unchanged() {
    insta::assert_snapshot!(replay("joinup", include_str!("replay/joinup.json")).await);
}

#[tokio::test]
async fn replay_justworks_answers_unchanged() {
    insta::assert_snapshot!(replay("justworks", include_str!("replay/justworks.json")).await);
}

#[tokio::test]
async fn replay_directory_answers_unchanged() {
    insta::assert_snapshot!(replay("directory", include_str!("replay/directory.json")).await);
}

#[tokio::test]
async fn replay_orquest_answers_unchanged() {
    insta::assert_snapshot!(replay("orquest", include_str!("replay/orquest.json")).await);
}

#[tokio::test]
async fn replay_chiefonboarding_answers_unchanged() {
    insta::assert_snapshot!(replay("chiefonboarding", include_str!("replay/chiefonboarding.json")).await);
}

#[tokio::test]
async fn replay_admin_answers_unchanged() {
    insta::assert_snapshot!(replay("admin", include_str!("replay/admin.json")).await);
}

/// Spawns a fresh app, freezes its clock, sends every step in order; the transcript.
async fn replay(vendor: &str, steps: &str) -> String {
    let replay: Replay = serde_json::from_str(steps).expect("the replay file parses");
    let app = spawn_app().await;
    app.admin_post("/__admin/clock", json!({"set": FROZEN_AT, "frozen": true}), 200).await;
    let credentials = app.get_json("/__admin/credentials", None, 200).await;
    let mut transcript = String::new();
    let mut saved = BTreeMap::new();
    for (index, step) in replay.steps.iter().enumerate() {
        let advance = step.advance.unwrap_or(replay.advance_each);
        if advance > 0 {
            app.admin_post("/__admin/clock", json!({"advance_seconds": advance}), 200).await;
        }
        let step = substitute(step, &saved);
        let (exchange, body, location) = send(&app, vendor, &credentials, &step).await;
        for (name, pointer) in &step.save {
            let value = match pointer.strip_prefix("location?") {
                Some(param) => location.as_deref().and_then(|l| query_param(l, param)),
                None => serde_json::from_str::<Value>(&body).ok().and_then(|b| b.pointer(pointer).cloned()),
            };
            let value = value.unwrap_or_else(|| panic!("step {}: no {pointer} to save in\n{exchange}", index + 1));
            saved.insert(name.clone(), value.as_str().map_or_else(|| value.to_string(), str::to_owned));
        }
        let _ = writeln!(transcript, "### {} {} {}", index + 1, step.method, step.path);
        if let Some(note) = &step.note {
            let _ = writeln!(transcript, "# {note}");
        }
        transcript.push_str(&exchange);
        transcript.push('\n');
    }
    transcript
}

/// A query parameter of a URL, as a JSON string.
fn query_param(url: &str, name: &str) -> Option<Value> {
    let query = url.split_once('?')?.1;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    pairs.into_iter().find(|(key, _)| key == name).map(|(_, value)| Value::String(value))
}

/// The step with every `{name}` of a saved value replaced.
fn substitute(step: &Step, saved: &BTreeMap<String, String>) -> Step {
    let text = |s: &str| saved.iter().fold(s.to_owned(), |s, (name, value)| s.replace(&format!("{{{name}}}"), value));
    let json = step.json.as_ref().map(|body| {
        let replaced = text(&body.to_string());
        serde_json::from_str(&replaced).expect("the body stays JSON")
    });
    Step {
        note: step.note.clone(),
        method: step.method.clone(),
        path: text(&step.path),
        auth: step.auth.as_deref().map(text),
        json,
        body: step.body.as_deref().map(text),
        deep: step.deep,
        content_type: step.content_type.clone(),
        advance: step.advance,
        save: step.save.clone(),
        headers: step.headers.iter().map(|(k, v)| (k.clone(), text(v))).collect(),
    }
}

/// Sends one step; its answer as text (status line, sorted headers, a blank line, the body) and
/// the raw body and `Location`.
async fn send(app: &TestApp, vendor: &str, credentials: &Value, step: &Step) -> (String, String, Option<String>) {
    let method = Method::from_bytes(step.method.as_bytes()).expect("a method");
    let mut request = app.request(method, &step.path);
    if let Some(auth) = &step.auth {
        request = request.header("Authorization", authorization(vendor, credentials, auth));
    }
    if let Some(body) = &step.json {
        request = request.json(body);
    }
    if let Some(body) = &step.body {
        request = request.body(body.clone());
    }
    if let Some(depth) = step.deep {
        request = request.header("Content-Type", "application/json").body("[".repeat(depth) + &"]".repeat(depth));
    }
    if let Some(content_type) = &step.content_type {
        request = request.header("Content-Type", content_type);
    }
    for (name, value) in &step.headers {
        request = request.header(name, value);
    }
    let response = app.execute(request).await;
    let status = response.status();
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect();
    headers.sort();
    let bytes = response.bytes().await.expect("the body is read");
    let raw = String::from_utf8_lossy(&bytes).into_owned();
    let (body, resized) = normalise(&app.base, &raw);
    let mut text = format!("{status}\n");
    for (name, value) in headers {
        let value = match name.as_str() {
            "x-sandbox-request-id" => "<request id>".to_owned(),
            "date" if is_wall_clock(&value) => "<wall clock>".to_owned(),
            "content-length" if resized => "<varies>".to_owned(),
            _ => normalise(&app.base, &value).0,
        };
        let _ = writeln!(text, "{name}: {value}");
    }
    let _ = writeln!(text, "\n{}", pretty(&body));
    (text, raw, location)
}

/// The `Authorization` value a step names.
fn authorization(vendor: &str, credentials: &Value, auth: &str) -> String {
    let Some(identity) = auth.strip_prefix('@') else { return auth.to_owned() };
    let (vendor, identity) = identity.split_once('.').unwrap_or((vendor, identity));
    let value = credentials[vendor][identity]["authorization"].as_str();
    value.unwrap_or_else(|| panic!("no identity {vendor}.{identity} in /__admin/credentials")).to_owned()
}

/// Whether a `Date` value is the real wall clock (the admin API's), not the frozen sandbox clock.
fn is_wall_clock(value: &str) -> bool {
    chrono::DateTime::parse_from_rfc2822(value)
        .is_ok_and(|at| (at.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds().abs() < 120)
}

/// The text with what varies from run to run replaced, and whether a replacement changed its
/// length (then the `Content-Length` is not comparable either).
fn normalise(base: &str, text: &str) -> (String, bool) {
    let host = base.trim_start_matches("http://");
    let port = host.rsplit(':').next().unwrap_or_default();
    // Ephemeral ports are five digits on Linux: the length does not change.
    let text = text.replace(host, &format!("127.0.0.1:{}", "P".repeat(port.len())));
    let text = replace_number_after(&text, "req-", "<request id>");
    let resized_text = replace_number_after(&text, "\"duration_ms\":", "\"<duration>\"");
    let resized = resized_text != text;
    (resized_text, resized)
}

/// Every number (digits, a dot) right after `marker` replaced by `placeholder`.
fn replace_number_after(text: &str, marker: &str, placeholder: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let after = &rest[at + marker.len()..];
        let digits = after.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(after.len());
        out.push_str(&rest[..at + marker.len()]);
        if digits > 0 && after.starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str(placeholder);
            rest = &after[digits..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Compact JSON re-indented for a readable diff (only whitespace is added, nothing reordered or
/// reformatted: the `Content-Length` above still pins the bytes); any other body verbatim.
fn pretty(body: &str) -> String {
    if serde_json::from_str::<serde::de::IgnoredAny>(body).is_err() || has_outer_whitespace(body) {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len() * 2);
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let closes = matches!(chars.peek(), Some('}' | ']'));
                if !closes {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                if !(out.ends_with('{') || out.ends_with('[')) {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    out.push_str(&"  ".repeat(depth));
}

/// Whether a JSON text has whitespace outside its strings (then it is shown verbatim).
fn has_outer_whitespace(body: &str) -> bool {
    let (mut in_string, mut escaped) = (false, false);
    for c in body.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c.is_whitespace() {
            return true;
        }
    }
    false
}
