//! Secrets out of a recording: each secret value becomes a placeholder `{{secret:N}}`, the same
//! value the same placeholder within a file, so `parity` can tell "the token the token call
//! returned" from "another token" without ever seeing either.
//!
//! Secret: the credential of `Authorization` (the scheme stays), cookie values (`Cookie`,
//! `Set-Cookie`), the values of [`SECRET_KEYS`] in JSON and form bodies and queries, OAuth's
//! `code` in queries, form bodies, JSON token requests (with a `grant_type`) and redirect
//! `Location`s, everything under [`SECRET_MAPS`], and whatever `--redact` names. A key named
//! `code` in a JSON answer (an error's code) is not a secret. Last, any known secret that still
//! appears verbatim anywhere in the file is replaced too.

use super::jsonpath::JsonPath;
use serde_json::Value;
use std::collections::HashMap;

/// Keys whose values are secrets wherever they appear (JSON bodies, form bodies, queries).
pub const SECRET_KEYS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "password",
    "token",
    "api_key",
    "apiKey",
    "secret",
    "secretBase64",
    "client_assertion",
    "assertion",
];

/// Keys whose whole value (every string under it) is secret: Directory's app secrets.
pub const SECRET_MAPS: &[&str] = &["secretData", "mappingSecrets"];

/// The shortest secret also replaced where it appears inside other text (shorter values, such
/// as a one-digit password, would replace unrelated digits).
const MIN_VERBATIM: usize = 8;

/// The placeholders of one file.
#[derive(Debug, Default)]
pub struct Redactor {
    numbers: HashMap<String, usize>,
    extra: Vec<JsonPath>,
}

/// Whether `text` is already a placeholder.
pub fn is_placeholder(text: &str) -> bool {
    text.starts_with("{{secret:") && text.ends_with("}}")
}

impl Redactor {
    /// A redactor that also replaces the values `extra` selects in JSON bodies.
    pub fn new(extra: Vec<JsonPath>) -> Self {
        Self { numbers: HashMap::new(), extra }
    }

    /// The placeholder of `secret` (numbered from 1 in order of first sight); an empty value or
    /// a placeholder stays as it is.
    pub fn placeholder(&mut self, secret: &str) -> String {
        if secret.is_empty() || is_placeholder(secret) {
            return secret.to_owned();
        }
        let next = self.numbers.len() + 1;
        let number = *self.numbers.entry(secret.to_owned()).or_insert(next);
        format!("{{{{secret:{number}}}}}")
    }

    /// `Scheme credential` -> `Scheme {{secret:N}}`; a value without a scheme is all credential.
    pub fn authorization(&mut self, value: &str) -> String {
        match value.trim().split_once(char::is_whitespace) {
            Some((scheme, credential)) => format!("{scheme} {}", self.placeholder(credential.trim())),
            None => self.placeholder(value.trim()),
        }
    }

    /// `a=1; b=2` -> `a={{secret:N}}; b={{secret:M}}`.
    pub fn cookie_header(&mut self, value: &str) -> String {
        value
            .split(';')
            .map(|pair| match pair.trim().split_once('=') {
                Some((name, value)) => format!("{name}={}", self.placeholder(value)),
                None => pair.trim().to_owned(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// `name=value; Path=/` -> `name={{secret:N}}; Path=/`.
    pub fn set_cookie(&mut self, value: &str) -> String {
        let (first, attributes) = value.split_once(';').unwrap_or((value, ""));
        let first = self.cookie_header(first);
        if attributes.is_empty() { first } else { format!("{first};{attributes}") }
    }

    /// A URL with the secret parameters of its query (and fragment) replaced; `oauth` also
    /// treats `code` as secret (an OAuth request or a redirect).
    pub fn url(&mut self, url: &str, oauth: bool) -> String {
        let (rest, fragment) = url.split_once('#').map_or((url, None), |(r, f)| (r, Some(f)));
        let mut out = match rest.split_once('?') {
            Some((base, query)) => format!("{base}?{}", self.form(query, oauth)),
            None => rest.to_owned(),
        };
        if let Some(fragment) = fragment {
            out.push('#');
            out.push_str(&self.form(fragment, oauth));
        }
        out
    }

    /// An `application/x-www-form-urlencoded` text (or a query) with secret values replaced,
    /// every other byte as it was.
    pub fn form(&mut self, text: &str, oauth: bool) -> String {
        text.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) if is_secret_key(&decode(key), oauth) => {
                    format!("{key}={}", self.placeholder(&decode(value)))
                }
                _ => pair.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// A JSON body with secret values replaced; `request` bodies that carry a `grant_type` are
    /// OAuth token requests, whose `code` is secret.
    pub fn json(&mut self, value: &mut Value, request: bool) {
        let oauth = request && value.get("grant_type").is_some();
        self.json_walk(value, oauth, 0);
        for path in std::mem::take(&mut self.extra) {
            path.for_each(value, &mut |hit| self.everything(hit));
            self.extra.push(path);
        }
    }

    fn json_walk(&mut self, value: &mut Value, oauth: bool, depth: usize) {
        if depth > super::MAX_DEPTH {
            return;
        }
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if SECRET_MAPS.contains(&key.as_str()) {
                        self.everything(child);
                    } else if is_secret_key(key, oauth) && (child.is_string() || child.is_number()) {
                        *child = Value::String(self.placeholder(&scalar(child)));
                    } else if is_secret_key(key, oauth) {
                        // A secret held in an object or a list (`"token": {"value": ...}`).
                        self.everything(child);
                    } else {
                        self.json_walk(child, oauth, depth + 1);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|child| self.json_walk(child, oauth, depth + 1)),
            _ => {}
        }
    }

    /// Every scalar under `value` becomes a placeholder.
    fn everything(&mut self, value: &mut Value) {
        match value {
            Value::Object(map) => map.values_mut().for_each(|child| self.everything(child)),
            Value::Array(items) => items.iter_mut().for_each(|child| self.everything(child)),
            Value::String(_) | Value::Number(_) => *value = Value::String(self.placeholder(&scalar(value))),
            _ => {}
        }
    }

    /// A body by its media type: JSON and form bodies are redacted field by field (so is JSON
    /// sent under another type), others only of the secrets already known. A body typed JSON
    /// that cannot be read within [`super::json_body`]'s budget (nested too deep, a JSON bomb,
    /// malformed) cannot be redacted field by field: it is left out, a marker in its place.
    pub fn body(&mut self, mime: &str, text: &str, request: bool, oauth: bool) -> String {
        let essence = mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        if essence == "application/x-www-form-urlencoded" {
            return self.form(text, oauth);
        }
        let typed_json = essence.ends_with("json");
        if typed_json || text.trim_start().starts_with(['{', '[']) {
            match super::json_body(text) {
                Some(mut value) => {
                    self.json(&mut value, request);
                    return serde_json::to_string(&value).unwrap_or_default();
                }
                None if typed_json => return unreadable(text.len()),
                None => {}
            }
        }
        text.to_owned()
    }

    /// Whether a body of this media type is text the recorder redacts (JSON, a form, `text/*`):
    /// one that is not valid UTF-8 is then recorded decoded with U+FFFD, not as base64 that no
    /// redaction could read.
    pub fn is_text(mime: &str) -> bool {
        let essence = mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        essence.ends_with("json") || essence == "application/x-www-form-urlencoded" || essence.starts_with("text/")
    }

    /// `text` with every known secret of at least [`MIN_VERBATIM`] bytes replaced wherever it
    /// appears (longest first, so a secret inside another does not split it).
    pub fn verbatim(&self, text: &str) -> String {
        let mut secrets: Vec<(&String, &usize)> =
            self.numbers.iter().filter(|(secret, _)| secret.len() >= MIN_VERBATIM).collect();
        secrets.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(b.1)));
        let mut out = text.to_owned();
        for (secret, number) in secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), &format!("{{{{secret:{number}}}}}"));
            }
            let json = serde_json::to_string(secret).unwrap_or_default();
            let escaped = json.trim_matches('"');
            if escaped != secret.as_str() && out.contains(escaped) {
                out = out.replace(escaped, &format!("{{{{secret:{number}}}}}"));
            }
        }
        out
    }

    /// How many secrets are known: a mark for [`Redactor::verbatim_patterns_since`].
    pub fn known(&self) -> usize {
        self.numbers.len()
    }

    /// The texts [`Redactor::verbatim`] would replace for the secrets learned after the mark
    /// `known` (each secret as it is, and as it appears inside a JSON string when that differs).
    pub fn verbatim_patterns_since(&self, known: usize) -> Vec<String> {
        let mut patterns = Vec::new();
        for (secret, _) in self.numbers.iter().filter(|(s, n)| **n > known && s.len() >= MIN_VERBATIM) {
            patterns.push(secret.clone());
            let json = serde_json::to_string(secret).unwrap_or_default();
            let escaped = json.trim_matches('"');
            if escaped != secret.as_str() {
                patterns.push(escaped.to_owned());
            }
        }
        patterns
    }
}

/// What a JSON body the recorder could not read stands for in the file.
// Divergence (from a byte-exact recording): its secrets could not be found, so none of it is kept.
fn unreadable(len: usize) -> String {
    format!(
        "{{{{body not recorded: {len} bytes typed JSON that the recorder cannot read within its budget to redact}}}}"
    )
}

/// Whether a body, query or form key holds a secret (`code` only in OAuth requests/redirects).
fn is_secret_key(key: &str, oauth: bool) -> bool {
    SECRET_KEYS.contains(&key) || (oauth && key == "code")
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// A form or query component, `+` and percent escapes decoded.
pub fn decode(text: &str) -> String {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("k={text}"))
        .ok()
        .and_then(|pairs| pairs.into_iter().next())
        .map_or_else(|| text.to_owned(), |(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_secret_same_placeholder() {
        let mut r = Redactor::default();
        assert_eq!(r.authorization("Token abc"), "Token {{secret:1}}");
        assert_eq!(r.authorization("Bearer  abc"), "Bearer {{secret:1}}");
        assert_eq!(r.url("/cb?code=xyz&state=s", true), "/cb?code={{secret:2}}&state=s");
        assert_eq!(
            r.form("grant_type=authorization_code&code=xyz&client_secret=p%2Bq", true).matches("secret:").count(),
            2
        );
        let mut body = json!({"access_token": "abc", "error": {"code": "not_found"}, "secretData": {"k": "v"}});
        r.json(&mut body, false);
        assert_eq!(
            body,
            json!({"access_token": "{{secret:1}}", "error": {"code": "not_found"}, "secretData": {"k": "{{secret:4}}"}})
        );
        assert_eq!(r.set_cookie("sid=abc; Path=/; HttpOnly"), "sid={{secret:1}}; Path=/; HttpOnly");
        assert_eq!(r.verbatim("x p+q y"), "x p+q y");
    }
}
