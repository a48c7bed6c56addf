//! Django's `LocaleMiddleware` as ChiefOnboarding has it: `Accept-Language` picks one of the
//! project's LANGUAGES that has a catalog, and every DRF message is translated from DRF's and
//! Django's own catalogs (extracted into `fixtures/chiefonboarding/translations.json`).

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// LANGUAGES with a translation catalog. `jp` is in LANGUAGES but has no catalog, so it is English.
const TRANSLATED: &[&str] = &["nl", "fr", "de", "tr", "pt", "es", "cs"];

/// language -> (English template -> translated template); `{name}` marks a placeholder.
type Catalogs = BTreeMap<String, BTreeMap<String, String>>;

// Divergence: the unique-email message's field label comes from ChiefOnboarding's own catalog,
// which is not bundled; only its Dutch label is known (see make_translations.py).
static CATALOGS: LazyLock<Catalogs> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../../fixtures/chiefonboarding/translations.json")).unwrap_or_default()
});

/// The response language for a request: the first acceptable `Accept-Language` entry (by q)
/// whose language or base language has a catalog, else `en`.
pub fn language(req: &HttpRequest) -> &'static str {
    let Some(header) = req.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else { return "en" };
    let mut ranked: Vec<(f32, usize, &str)> = header
        .split(',')
        .enumerate()
        .filter_map(|(index, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let q =
                pieces.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (!tag.is_empty() && q > 0.0).then_some((q, index, tag))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, tag) in ranked {
        if tag == "*" {
            break;
        }
        let base = tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase();
        if base == "en" {
            return "en";
        }
        if let Some(found) = TRANSLATED.iter().find(|code| **code == base) {
            return found;
        }
    }
    "en"
}

/// One message in `language`; unknown messages stay as they are, like gettext.
pub fn translate(message: &str, language: &str) -> String {
    let Some(catalog) = CATALOGS.get(language) else { return message.to_owned() };
    if let Some(exact) = catalog.get(message) {
        return exact.clone();
    }
    catalog
        .iter()
        .filter(|(template, _)| template.contains('{'))
        .find_map(|(template, translated)| fill(translated, &captures(template, message)?))
        .unwrap_or_else(|| message.to_owned())
}

/// Every string inside a JSON value (field-keyed error lists), translated.
pub fn translate_value(value: Value, language: &str) -> Value {
    if language == "en" {
        return value;
    }
    match value {
        Value::String(s) => Value::String(translate(&s, language)),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| translate_value(v, language)).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, translate_value(v, language))).collect()),
        other => other,
    }
}

/// Matches `message` against a template with `{name}` placeholders; the captured values by name.
fn captures(template: &str, message: &str) -> Option<Vec<(String, String)>> {
    let mut found = Vec::new();
    let mut rest_template = template;
    let mut rest_message = message;
    loop {
        let Some(open) = rest_template.find('{') else {
            return (rest_template == rest_message).then_some(found);
        };
        let literal = &rest_template[..open];
        rest_message = rest_message.strip_prefix(literal)?;
        let close = open + rest_template[open..].find('}')?;
        let name = &rest_template[open + 1..close];
        rest_template = &rest_template[close + 1..];
        let next_literal = &rest_template[..rest_template.find('{').unwrap_or(rest_template.len())];
        let end = if next_literal.is_empty() { rest_message.len() } else { rest_message.rfind(next_literal)? };
        found.push((name.to_owned(), rest_message[..end].to_owned()));
        rest_message = &rest_message[end..];
    }
}

fn fill(translated: &str, values: &[(String, String)]) -> Option<String> {
    Some(values.iter().fold(translated.to_owned(), |text, (name, value)| text.replace(&format!("{{{name}}}"), value)))
}
