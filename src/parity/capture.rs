//! One exchange the recorder saw, turned into a redacted HAR entry.

use super::har::{Content, Entry, Pair, PostData, Request, Response, Timings};
use super::redact::Redactor;
use base64::Engine;
use bytes::Bytes;

/// What went through the proxy, before redaction: owned, so that the recorder's writer thread
/// can redact and write it while the worker goes on (the bodies are shared, not copied).
pub struct Exchange {
    /// RFC 3339 start time.
    pub started: String,
    /// Milliseconds until the request was sent, the first answer byte, the last one.
    pub timings: Timings,
    /// Method.
    pub method: String,
    /// The absolute upstream URL.
    pub url: String,
    /// Request headers as the client sent them.
    pub request_headers: Vec<(String, String)>,
    /// Request body.
    pub request_body: Bytes,
    /// Status.
    pub status: u16,
    /// Answer headers as upstream sent them.
    pub response_headers: Vec<(String, String)>,
    /// Answer body.
    pub response_body: Bytes,
}

/// Whether a request belongs to an OAuth flow, where `code` is a secret.
fn is_oauth(url: &str, body: &[u8]) -> bool {
    let url = url.to_ascii_lowercase();
    ["oauth", "authorize", "/token", "grant_type=", "response_type="].iter().any(|mark| url.contains(mark))
        || memchr::memmem::find(body, b"grant_type").is_some()
}

/// The exchange as a HAR entry, every secret replaced by its placeholder.
pub fn entry(redactor: &mut Redactor, x: &Exchange) -> Entry {
    let oauth = is_oauth(&x.url, &x.request_body);
    let url = redactor.url(&x.url, oauth);
    let request_headers = headers(redactor, &x.request_headers);
    let response_headers = headers(redactor, &x.response_headers);
    let request_type = find(&x.request_headers, "content-type");
    let post_data = (!x.request_body.is_empty()).then(|| PostData {
        mime_type: request_type.clone(),
        text: redactor.body(&request_type, &String::from_utf8_lossy(&x.request_body), true, oauth),
    });
    let response_type = find(&x.response_headers, "content-type");
    let (text, encoding) = match std::str::from_utf8(&x.response_body) {
        Ok(text) => (redactor.body(&response_type, text, false, oauth), None),
        // Redactable only as text: a secret in base64 would reach the file unseen.
        Err(_) if Redactor::is_text(&response_type) => {
            (redactor.body(&response_type, &String::from_utf8_lossy(&x.response_body), false, oauth), None)
        }
        Err(_) => (base64::engine::general_purpose::STANDARD.encode(&x.response_body), Some("base64".to_owned())),
    };
    let query_string = url
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or_default())
        .map(|q| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (n, v) = p.split_once('=').unwrap_or((p, ""));
                    Pair { name: super::redact::decode(n), value: super::redact::decode(v) }
                })
                .collect()
        })
        .unwrap_or_default();
    let redirect_url = super::har::header(&response_headers, "location").unwrap_or_default().to_owned();
    let time = x.timings.send + x.timings.wait + x.timings.receive;
    Entry {
        started_date_time: x.started.clone(),
        time,
        request: Request {
            method: x.method.clone(),
            url,
            http_version: "HTTP/1.1".to_owned(),
            cookies: cookies(&request_headers, "cookie"),
            headers: request_headers,
            query_string,
            post_data,
            headers_size: -1,
            body_size: len(&x.request_body),
        },
        response: Response {
            status: x.status,
            status_text: actix_web::http::StatusCode::from_u16(x.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or_default()
                .to_owned(),
            http_version: "HTTP/1.1".to_owned(),
            cookies: cookies(&response_headers, "set-cookie"),
            headers: response_headers,
            content: Content { size: len(&x.response_body), mime_type: response_type, text: Some(text), encoding },
            redirect_url,
            headers_size: -1,
            body_size: len(&x.response_body),
        },
        cache: serde_json::Map::new(),
        timings: x.timings.clone(),
    }
}

fn len(bytes: &[u8]) -> i64 {
    i64::try_from(bytes.len()).unwrap_or(i64::MAX)
}

fn find(headers: &[(String, String)], name: &str) -> String {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// Headers with their secret values replaced.
fn headers(redactor: &mut Redactor, headers: &[(String, String)]) -> Vec<Pair> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = match name.to_ascii_lowercase().as_str() {
                "authorization" | "proxy-authorization" | "x-api-key" | "api-key" => redactor.authorization(value),
                "cookie" => redactor.cookie_header(value),
                "set-cookie" => redactor.set_cookie(value),
                "location" | "content-location" | "refresh" => redactor.url(value, true),
                _ => value.clone(),
            };
            Pair { name: name.clone(), value }
        })
        .collect()
}

/// The (already redacted) cookies of a `Cookie` or `Set-Cookie` header, as HAR lists them.
fn cookies(headers: &[Pair], name: &str) -> Vec<Pair> {
    headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case(name))
        .flat_map(|h| {
            let text = if name == "set-cookie" { h.value.split(';').next().unwrap_or_default() } else { &h.value };
            text.split(';')
                .filter_map(|pair| pair.trim().split_once('='))
                .map(|(n, v)| Pair { name: n.to_owned(), value: v.to_owned() })
                .collect::<Vec<_>>()
        })
        .collect()
}
