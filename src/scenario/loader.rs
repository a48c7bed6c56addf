//! Reads scenario files (YAML or JSON) and compiles them, refusing anything doubtful with
//! `file:rule N: reason`. Nothing half-loaded ever reaches an engine.

use super::delay::compile_delay;
use super::matcher::{MAX_BODY_CONTAINS_CHARS, MAX_PAIRS, Matcher, PathGlob, check_glob};
use super::model::{
    ERROR_KINDS, ErrorSpec, MAX_RULES, MAX_WINDOW_SECONDS, RESERVED_NAMES, RuleSpec, ScenarioFile, ThenSpec, WhenSpec,
};
use super::{Action, Delay, Fire, ItemError, Rule, Scenario};
use crate::common::error::ApiError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use bytes::Bytes;
use std::fmt;
use std::sync::Arc;

/// Why a scenario was refused: the file, the rule (0-based, as in `x-sandbox-scenario`) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    /// File name (or `<body>` for an admin upload).
    pub file: String,
    /// The rule at fault, when one is.
    pub rule: Option<usize>,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rule {
            Some(rule) => write!(f, "{}:rule {rule}: {}", self.file, self.reason),
            None => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// Files larger than this are refused before parsing.
pub(super) const MAX_FILE_BYTES: usize = 1024 * 1024;
/// JSON values in a JSON scenario, like the YAML budget's node count.
const MAX_JSON_NODES: usize = 20_000;

/// What a scenario may name of a vendor (the scenario engine sits below the vendor contract,
/// so callers describe their vendors with this).
#[derive(Debug, Clone, Copy)]
pub struct KnownVendor {
    /// Vendor id, e.g. `joinup`.
    pub id: &'static str,
    /// Whether its bulk endpoints honour `item_error`.
    pub has_bulk_items: bool,
}

/// Parses and compiles scenario text. JSON when it starts with `{`, YAML otherwise.
pub fn compile_text(
    text: &str,
    file: &str,
    default_name: &str,
    vendors: &[KnownVendor],
) -> Result<Scenario, LoadError> {
    let fail = |rule: Option<usize>, reason: String| LoadError { file: file.to_owned(), rule, reason };
    if text.len() > MAX_FILE_BYTES {
        return Err(fail(None, format!("larger than {MAX_FILE_BYTES} bytes")));
    }
    let parsed: ScenarioFile = if text.trim_start().starts_with('{') {
        if json_values(text) > MAX_JSON_NODES {
            return Err(fail(None, format!("more than {MAX_JSON_NODES} JSON values")));
        }
        serde_json::from_str(text).map_err(|e| fail(None, format!("invalid JSON: {e}")))?
    } else {
        serde_saphyr::from_str_with_options(text, yaml_options())
            .map_err(|e| fail(None, format!("invalid YAML: {e}")))?
    };
    let name = match parsed.name {
        Some(name) => name,
        None if default_name.is_empty() => {
            return Err(fail(None, "the scenario needs a name (give `name`, or ?name=)".to_owned()));
        }
        None => default_name.to_owned(),
    };
    if !crate::common::names::valid_name(&name) {
        return Err(fail(None, format!("scenario name '{name}' must be 1 to 64 of A-Z a-z 0-9 - _ .")));
    }
    if RESERVED_NAMES.contains(&name.as_str()) {
        return Err(fail(
            None,
            format!("scenario name '{name}' is reserved: /__admin/scenarios/{name} is a fixed admin route"),
        ));
    }
    if parsed.rules.is_empty() {
        return Err(fail(None, "a scenario needs at least one rule".to_owned()));
    }
    if parsed.rules.len() > MAX_RULES {
        return Err(fail(None, format!("{} rules; a scenario has at most {MAX_RULES}", parsed.rules.len())));
    }
    let rules = parsed
        .rules
        .into_iter()
        .enumerate()
        .map(|(index, spec)| compile_rule(spec, vendors).map_err(|reason| fail(Some(index), reason)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Scenario { name, description: parsed.description, rules, source: text.to_owned() })
}

/// An upper bound on the values in a JSON text, counted in one pass before it is parsed: each
/// value past the first follows a `,`, `:` or opening bracket outside a string.
fn json_values(text: &str) -> usize {
    let (mut count, mut in_string, mut escaped) = (1, false, false);
    for byte in text.bytes() {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b',' | b':' | b'[' | b'{') => count += 1,
            _ => {}
        }
    }
    count
}

/// A scenario is small: tight budgets refuse alias bombs and deep nesting in milliseconds.
fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = 20_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_depth = 64;
    budget.max_total_scalar_bytes = MAX_FILE_BYTES;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options
}

fn compile_rule(spec: RuleSpec, vendors: &[KnownVendor]) -> Result<Rule, String> {
    let matcher = compile_when(spec.when, vendors)?;
    let fire = compile_fire(&spec.fire)?;
    let (delay, action) = compile_then(spec.then, matcher.vendor.as_deref(), vendors)?;
    Ok(Rule { when: matcher, fire, delay, action })
}

/// Compiles a `when`: the scenario files' matcher, also the journal's (`/__admin/requests/find`).
pub fn compile_when(when: WhenSpec, vendors: &[KnownVendor]) -> Result<Matcher, String> {
    let vendor = match when.vendor.as_str() {
        "*" => None,
        id if vendors.iter().any(|v| v.id == id) => Some(id.to_owned()),
        id => {
            let known: Vec<&str> = vendors.iter().map(|v| v.id).collect();
            return Err(format!("unknown vendor '{id}' (known: {}, or *)", known.join(", ")));
        }
    };
    for (field, count) in [("query", when.query.len()), ("headers", when.headers.len())] {
        if count > MAX_PAIRS {
            return Err(format!("{field}: {count} matchers; at most {MAX_PAIRS}"));
        }
    }
    let needle = when.body_contains.as_deref().map_or(0, |needle| needle.chars().count());
    if needle > MAX_BODY_CONTAINS_CHARS {
        return Err(format!("body_contains: {needle} characters; at most {MAX_BODY_CONTAINS_CHARS}"));
    }
    let method = when
        .method
        .map(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()).map_err(|_| format!("bad method '{m}'")))
        .transpose()?;
    let path = when.path.as_deref().map(PathGlob::parse).transpose()?;
    let headers = when.headers.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect();
    Ok(Matcher {
        vendor,
        method,
        path,
        query: when.query.into_iter().collect(),
        headers,
        body_contains: when.body_contains,
    })
}

fn compile_fire(spec: &super::model::FireSpec) -> Result<Fire, String> {
    if let Some(p) = spec.probability
        && !(0.0..=1.0).contains(&p)
    {
        return Err(format!("probability {p} is out of range 0..1"));
    }
    if spec.every == Some(0) {
        return Err("every must be at least 1".to_owned());
    }
    if let Some(window) = &spec.window {
        if window.duration_s == 0 {
            return Err("window.duration_s must be at least 1".to_owned());
        }
        for (field, seconds) in [("start_after_s", window.start_after_s), ("duration_s", window.duration_s)] {
            if seconds > MAX_WINDOW_SECONDS {
                return Err(format!("window.{field} is at most {MAX_WINDOW_SECONDS} (ten years)"));
            }
        }
    }
    Ok(Fire {
        times: spec.times,
        after: spec.after.unwrap_or(0),
        every: spec.every,
        probability: spec.probability,
        window: spec.window.as_ref().map(|w| (w.start_after_s, w.duration_s)),
    })
}

fn compile_then(
    then: ThenSpec,
    vendor: Option<&str>,
    vendors: &[KnownVendor],
) -> Result<(Option<Delay>, Action), String> {
    let outcomes = [then.error.is_some(), then.response.is_some(), then.fault.is_some(), then.item_error.is_some()];
    if outcomes.iter().filter(|given| **given).count() > 1 {
        return Err("then takes one of error, response, fault, item_error (delay may join any)".to_owned());
    }
    let delay = then.delay.map(compile_delay).transpose()?;
    let action = if let Some(error) = then.error {
        Action::Error(compile_error(error)?)
    } else if let Some(response) = then.response {
        compile_response(response)?
    } else if let Some(fault) = then.fault {
        Action::Fault(fault.read()?)
    } else if let Some(item) = then.item_error {
        let bulk = vendors.iter().filter(|v| vendor.is_none_or(|id| v.id == id)).any(|v| v.has_bulk_items);
        if !bulk {
            return Err(format!("item_error needs a vendor with bulk endpoints; {} has none", vendor.unwrap_or("*")));
        }
        if item.matching.len() > MAX_PAIRS {
            return Err(format!("item_error.where: {} fields; at most {MAX_PAIRS}", item.matching.len()));
        }
        for (field, glob) in &item.matching {
            check_glob(&format!("item_error.where.{field}"), glob)?;
        }
        Action::ItemError(Arc::new(ItemError { matching: item.matching, message: item.message, status: item.status }))
    } else if delay.is_some() {
        Action::Pass
    } else {
        return Err("then needs one of error, response, fault, item_error or delay".to_owned());
    };
    Ok((delay, action))
}

fn compile_error(spec: ErrorSpec) -> Result<ApiError, String> {
    let (kind, status, message, headers) = match spec {
        ErrorSpec::Kind(kind) => (kind, None, None, Default::default()),
        ErrorSpec::Full { kind, status, message, headers } => (kind, status, message, headers),
    };
    let kind = ERROR_KINDS.iter().copied().find(|k| k.code() == kind).ok_or_else(|| {
        let kinds: Vec<&str> = ERROR_KINDS.iter().map(|k| k.code()).collect();
        format!("unknown error kind '{kind}' (one of {})", kinds.join(", "))
    })?;
    let mut error = ApiError::new(kind);
    error.message = message;
    error.status = status.map(status_code).transpose()?;
    if let Some(status) = error.status.filter(|s| !may_carry_body(*s)) {
        // An error is rendered with the vendor's body, which such a status cannot carry.
        return Err(format!("error status {} cannot carry the vendor's error body", status.as_u16()));
    }
    error.headers = compile_headers(headers)?;
    Ok(error)
}

fn compile_response(spec: super::model::ResponseSpec) -> Result<Action, String> {
    let status = status_code(spec.status)?;
    let (body, json) = match (spec.body, spec.body_text) {
        (Some(_), Some(_)) => return Err("response takes body or body_text, not both".to_owned()),
        (Some(body), None) => (Bytes::from(serde_json::to_vec(&body).map_err(|e| e.to_string())?), true),
        (None, Some(text)) => (Bytes::from(text), false),
        (None, None) => (Bytes::new(), false),
    };
    if status == StatusCode::SWITCHING_PROTOCOLS {
        return Err("status 101 is never allowed: the connection would switch protocols".to_owned());
    }
    if !body.is_empty() && !may_carry_body(status) {
        return Err(format!("status {} has no body in HTTP; drop body/body_text", status.as_u16()));
    }
    Ok(Action::Response { status, headers: compile_headers(spec.headers)?, body, json })
}

fn compile_headers(
    headers: std::collections::BTreeMap<String, String>,
) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    headers
        .into_iter()
        .map(|(name, value)| {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("bad header name '{name}'"))?;
            let value = HeaderValue::from_str(&value).map_err(|_| format!("bad value for header '{name}'"))?;
            Ok((header, value))
        })
        .collect()
}

fn status_code(code: u16) -> Result<StatusCode, String> {
    StatusCode::from_u16(code)
        .ok()
        .filter(|s| (100..=599).contains(&s.as_u16()))
        .ok_or_else(|| format!("bad status {code}"))
}

/// Whether a response with this status may have a body: 1xx, 204 and 304 never do (RFC 9110
/// 6.4.1), and bytes sent after one would be read as the start of the connection's next response.
fn may_carry_body(status: StatusCode) -> bool {
    !(status.is_informational() || status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED)
}
