//! What a recorded value stands for in the sandbox. The real account's records are not the
//! sandbox's seed, and the real secrets are not in the file: an id the vendor returned is bound
//! to the id the sandbox returned at the same JSON path of the same exchange (or the same place
//! of a `Location`), a placeholder to the value the sandbox gave at its place, or, the first
//! time a credential is used, to the sandbox identity of the same role: the first identity of
//! `GET /__admin/credentials` with the same `Authorization` scheme (`--identity` overrides),
//! or for a form or body field (`client_secret`, `password`) the first identity that has it.
//! Later requests carry the sandbox's values (path segments, queries, bodies).

use super::redact::{decode, is_placeholder};
use serde_json::Value;
use std::collections::HashMap;

/// Recorded value -> the sandbox's, plus how to find a credential not yet bound.
pub struct Bindings {
    values: HashMap<String, String>,
    written: std::collections::HashSet<String>,
    refused: std::collections::HashSet<String>,
    identities: Value,
    overrides: HashMap<String, String>,
}

/// Whether a key names an identifier (bound across data sets, compared by shape).
pub fn is_id_key(key: &str) -> bool {
    matches!(key, "id" | "pk" | "uuid" | "cursor")
        || key.ends_with("_id")
        || key.ends_with("Id")
        || key.ends_with("ID")
        || key.ends_with("_uuid")
        || key.ends_with("_key")
}

impl Bindings {
    /// Bindings for a replay with the vendor's `identities` (one object per identity) and the
    /// `--identity` overrides (placeholder -> identity name).
    pub fn new(identities: Value, overrides: HashMap<String, String>) -> Self {
        Self { values: HashMap::new(), written: Default::default(), refused: Default::default(), identities, overrides }
    }

    /// The sandbox's value for a recorded one, when bound.
    pub fn get(&self, recorded: &str) -> Option<&str> {
        self.values.get(recorded).map(String::as_str)
    }

    /// Binds the first time only: a value keeps the meaning it got first.
    fn bind(&mut self, recorded: &str, sandbox: &str) {
        if recorded != sandbox && !recorded.is_empty() {
            self.values.entry(recorded.to_owned()).or_insert_with(|| sandbox.to_owned());
        }
    }

    fn identity(&self, name: &str) -> Option<&Value> {
        self.identities.get(name)
    }

    /// The identities, in the order the admin API lists them.
    fn identities(&self) -> impl Iterator<Item = &Value> {
        self.identities.as_object().into_iter().flat_map(|map| map.values())
    }

    /// A recorded `Authorization` value with its credential replaced. A credential the vendor
    /// refused (401) the first time it was used stays a placeholder, which the sandbox refuses
    /// too, rather than becoming a valid identity.
    pub fn authorization(&mut self, value: &str, refused: bool) -> String {
        let (scheme, credential) = value.split_once(' ').unwrap_or(("", value));
        if self.refused.contains(credential)
            || (refused && is_placeholder(credential) && self.get(credential).is_none())
        {
            self.refused.insert(credential.to_owned());
            return value.to_owned();
        }
        if let Some(identity) = self.overrides.get(credential).and_then(|name| self.identity(name)) {
            return identity["authorization"].as_str().unwrap_or(value).to_owned();
        }
        if let Some(bound) = self.get(credential) {
            return if scheme.is_empty() { bound.to_owned() } else { format!("{scheme} {bound}") };
        }
        if !is_placeholder(credential) {
            return value.to_owned();
        }
        let prefix = format!("{} ", scheme.to_ascii_lowercase());
        let found = self
            .identities()
            .filter_map(|identity| identity["authorization"].as_str())
            .find(|auth| auth.to_ascii_lowercase().starts_with(&prefix))
            .map(str::to_owned);
        match found {
            Some(auth) => {
                self.bind(credential, auth.split_once(' ').map_or(auth.as_str(), |(_, c)| c));
                auth
            }
            None => value.to_owned(),
        }
    }

    /// The sandbox's value for a recorded field value under `key`, or the value itself.
    pub fn field(&mut self, key: &str, value: &str) -> String {
        if let Some(bound) = self.get(value)
            && (is_placeholder(value) || is_id_key(key) || value.len() >= 8)
        {
            return bound.to_owned();
        }
        if is_placeholder(value) {
            let name = if key == "token" { "access_token" } else { key };
            let found = self
                .overrides
                .get(value)
                .and_then(|id| self.identity(id))
                .and_then(|identity| identity.get(name).or_else(|| identity.get(key)))
                .or_else(|| self.identities().find_map(|identity| identity.get(name).or_else(|| identity.get(key))))
                .and_then(Value::as_str)
                .map(str::to_owned);
            if let Some(found) = found {
                self.bind(value, &found);
                return found;
            }
        }
        // The integrator's OAuth app is not the sandbox's: its id and registered redirect URI
        // are the sandbox app's (the redirect bound, so `Location`s compare below it).
        let app = matches!(key, "client_id" | "redirect_uri")
            .then(|| self.identities().find_map(|identity| identity[key].as_str()).map(str::to_owned))
            .flatten();
        if let Some(sandbox) = app {
            self.bind(value, &sandbox);
            return sandbox;
        }
        value.to_owned()
    }

    /// A recorded path and query with bound segments and values replaced.
    pub fn path(&mut self, target: &str) -> String {
        let (path, query) = target.split_once('?').map_or((target, None), |(p, q)| (p, Some(q)));
        let path: Vec<String> = path
            .split('/')
            .map(|segment| {
                let decoded = decode(segment);
                match self.get(&decoded) {
                    Some(bound) => bound.to_owned(),
                    None if is_placeholder(&decoded) => self.field("", &decoded),
                    None => segment.to_owned(),
                }
            })
            .collect();
        let mut out = path.join("/");
        if let Some(query) = query {
            out.push('?');
            out.push_str(&self.form(query));
        }
        out
    }

    /// A form body or query with bound values replaced, other pairs byte for byte.
    pub fn form(&mut self, text: &str) -> String {
        text.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) => {
                    let (key_text, value_text) = (decode(key), decode(value));
                    let replaced = self.field(&key_text, &value_text);
                    if replaced == value_text {
                        pair.to_owned()
                    } else {
                        serde_urlencoded::to_string([(key_text, replaced)]).unwrap_or_else(|_| pair.to_owned())
                    }
                }
                None => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// A recorded JSON request body with bound values replaced.
    pub fn json(&mut self, value: &mut Value, key: &str, depth: usize) {
        if depth > super::MAX_DEPTH {
            return;
        }
        match value {
            Value::Object(map) => map.iter_mut().for_each(|(k, child)| self.json(child, k, depth + 1)),
            Value::Array(items) => items.iter_mut().for_each(|child| self.json(child, key, depth + 1)),
            Value::String(text) => *text = self.field(key, text),
            Value::Number(number) if is_id_key(key) => {
                if let Some(bound) = self.get(&number.to_string()) {
                    *value = bound
                        .parse::<serde_json::Number>()
                        .map_or_else(|_| Value::String(bound.to_owned()), Value::Number);
                }
            }
            _ => {}
        }
    }

    /// Learns from one exchange's answers: ids and placeholders at the same JSON paths. An
    /// array element is paired with the sandbox's element that holds the same value the
    /// session wrote (the user it created, by its email), else with the one at its position.
    pub fn learn_json(&mut self, recorded: &Value, sandbox: &Value, key: &str, depth: usize) {
        if depth > super::MAX_DEPTH {
            return;
        }
        match (recorded, sandbox) {
            (Value::Object(r), Value::Object(s)) => {
                for (k, child) in r {
                    if let Some(other) = s.get(k) {
                        self.learn_json(child, other, k, depth + 1);
                    }
                }
            }
            (Value::Array(r), Value::Array(s)) => {
                for (i, a) in r.iter().enumerate() {
                    let partner = s.iter().find(|b| self.same_written(a, b)).or_else(|| s.get(i));
                    if let Some(b) = partner {
                        self.learn_json(a, b, key, depth + 1);
                    }
                }
            }
            (Value::String(r), other) if is_placeholder(r) || is_id_key(key) => {
                if let Some(s) = scalar(other) {
                    self.bind(r, &s);
                }
            }
            (Value::Number(r), other) if is_id_key(key) => {
                if let Some(s) = scalar(other) {
                    self.bind(&r.to_string(), &s);
                }
            }
            _ => {}
        }
    }

    /// Whether two records share a value the session wrote, under the same key.
    fn same_written(&self, a: &Value, b: &Value) -> bool {
        let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else { return false };
        a.iter().any(|(k, v)| {
            v.as_str().is_some_and(|text| self.written.contains(text) && b.get(k).and_then(Value::as_str) == Some(text))
        })
    }

    /// Remembers a value the session wrote (a request body's), which pairs records.
    pub fn wrote(&mut self, value: &str) {
        self.written.insert(value.to_owned());
    }

    /// Learns a session cookie: the recorded `Set-Cookie`'s placeholder is the sandbox's value
    /// of the cookie of the same name.
    pub fn learn_cookies(&mut self, recorded: &[String], sandbox: &[String]) {
        let pair = |header: &String| {
            header
                .split(';')
                .next()
                .and_then(|p| p.split_once('='))
                .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        };
        let got: HashMap<String, String> = sandbox.iter().filter_map(pair).collect();
        for (name, value) in recorded.iter().filter_map(pair) {
            if let Some(other) = got.get(&name) {
                self.bind(&value, other);
            }
        }
    }

    /// A recorded `Cookie` header with bound values replaced; a cookie whose placeholder is not
    /// bound (the sandbox never set it) is left out.
    pub fn cookie(&self, value: &str) -> String {
        value
            .split(';')
            .filter_map(|pair| {
                let (name, v) = pair.trim().split_once('=')?;
                match self.get(v) {
                    Some(bound) => Some(format!("{name}={bound}")),
                    None if is_placeholder(v) => None,
                    None => Some(format!("{name}={v}")),
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Learns from a redirect: the query's placeholders and ids, and differing path segments
    /// that hold a digit (ids), when both paths have as many segments.
    pub fn learn_location(&mut self, recorded: &str, sandbox: &str) {
        let split = |url: &str| {
            let url = url.split('#').next().unwrap_or_default().to_owned();
            let (path, query) =
                url.split_once('?').map_or((url.clone(), String::new()), |(p, q)| (p.to_owned(), q.to_owned()));
            (path, query)
        };
        let ((rec_path, rec_query), (got_path, got_query)) = (split(recorded), split(sandbox));
        let got: HashMap<String, String> =
            got_query.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (decode(k), decode(v))).collect();
        for (k, v) in rec_query.split('&').filter_map(|p| p.split_once('=')) {
            let (k, v) = (decode(k), decode(v));
            if (is_placeholder(&v) || is_id_key(&k))
                && let Some(other) = got.get(&k)
            {
                self.bind(&v, other);
            }
        }
        let (r, g): (Vec<&str>, Vec<&str>) = (rec_path.rsplit('/').collect(), got_path.rsplit('/').collect());
        for (a, b) in r.iter().zip(&g) {
            if a != b && !a.contains(':') && (a.bytes().any(|c| c.is_ascii_digit()) || is_placeholder(a)) {
                self.bind(&decode(a), &decode(b));
            }
        }
    }
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}
