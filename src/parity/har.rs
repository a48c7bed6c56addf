//! The HAR 1.2 document (<http://www.softwareishard.com/blog/har-12-spec/>) as `record` writes
//! it and `parity` reads it: the fields every HTTP tool fills, plus hr-sandbox's own `_vendor`
//! and `_upstream` (custom fields start with `_`, which HAR readers ignore). Reading is lenient
//! (a browser export leaves out what it does not know), writing fills every required field.

use serde::{Deserialize, Serialize};

/// The whole file: `{"log": {...}}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Har {
    /// The one top-level member.
    pub log: Log,
}

/// The recording.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Log {
    /// Always `1.2` when written.
    #[serde(default)]
    pub version: String,
    /// The tool that wrote the file.
    #[serde(default)]
    pub creator: Creator,
    /// The vendor id the session talked to (hr-sandbox's own field).
    #[serde(rename = "_vendor", default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// The upstream base URL the session was forwarded to (hr-sandbox's own field).
    #[serde(rename = "_upstream", default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<String>,
    /// The exchanges, in the order they were answered.
    #[serde(default)]
    pub entries: Vec<Entry>,
}

/// `log.creator`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Creator {
    /// Tool name.
    #[serde(default)]
    pub name: String,
    /// Tool version.
    #[serde(default)]
    pub version: String,
    /// Free text (the vendor, for hr-sandbox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One request and its answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// RFC 3339 time the request started.
    #[serde(default)]
    pub started_date_time: String,
    /// Total milliseconds.
    #[serde(default)]
    pub time: f64,
    /// What the client sent.
    pub request: Request,
    /// What answered it.
    pub response: Response,
    /// Always empty: nothing is cached by the recorder.
    #[serde(default)]
    pub cache: serde_json::Map<String, serde_json::Value>,
    /// Milliseconds per phase.
    #[serde(default)]
    pub timings: Timings,
}

/// A name and a value (headers, query parameters, cookies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    /// Name.
    pub name: String,
    /// Value.
    #[serde(default)]
    pub value: String,
}

/// `entry.request`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// HTTP method.
    pub method: String,
    /// Absolute URL.
    pub url: String,
    /// `HTTP/1.1`.
    #[serde(default)]
    pub http_version: String,
    /// Cookies (values redacted).
    #[serde(default)]
    pub cookies: Vec<Pair>,
    /// Headers, in order.
    #[serde(default)]
    pub headers: Vec<Pair>,
    /// The URL's query, decoded.
    #[serde(default)]
    pub query_string: Vec<Pair>,
    /// The body, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_data: Option<PostData>,
    /// Unknown: -1.
    #[serde(default = "unknown")]
    pub headers_size: i64,
    /// Body bytes.
    #[serde(default = "unknown")]
    pub body_size: i64,
}

/// `request.postData`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostData {
    /// The request's `Content-Type`.
    #[serde(default)]
    pub mime_type: String,
    /// The body as text (redacted).
    #[serde(default)]
    pub text: String,
}

/// `entry.response`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Reason phrase.
    #[serde(default)]
    pub status_text: String,
    /// `HTTP/1.1`.
    #[serde(default)]
    pub http_version: String,
    /// Set-Cookie cookies (values redacted).
    #[serde(default)]
    pub cookies: Vec<Pair>,
    /// Headers, in order.
    #[serde(default)]
    pub headers: Vec<Pair>,
    /// The body.
    #[serde(default)]
    pub content: Content,
    /// The `Location` header, or empty.
    #[serde(rename = "redirectURL", default)]
    pub redirect_url: String,
    /// Unknown: -1.
    #[serde(default = "unknown")]
    pub headers_size: i64,
    /// Body bytes.
    #[serde(default = "unknown")]
    pub body_size: i64,
}

/// `response.content`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Content {
    /// Body bytes.
    #[serde(default)]
    pub size: i64,
    /// The answer's `Content-Type`.
    #[serde(default)]
    pub mime_type: String,
    /// The body: text, or base64 when `encoding` says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `base64` for a body that is not UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

/// `entry.timings`, in milliseconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Timings {
    /// Sending the request.
    #[serde(default)]
    pub send: f64,
    /// Waiting for the first byte.
    #[serde(default)]
    pub wait: f64,
    /// Reading the answer.
    #[serde(default)]
    pub receive: f64,
}

fn unknown() -> i64 {
    -1
}

impl Entry {
    /// The first value of a response header, by case-insensitive name.
    pub fn response_header(&self, name: &str) -> Option<&str> {
        header(&self.response.headers, name)
    }
}

/// The first value of `name` (case-insensitive) among `headers`.
pub fn header<'a>(headers: &'a [Pair], name: &str) -> Option<&'a str> {
    headers.iter().find(|p| p.name.eq_ignore_ascii_case(name)).map(|p| p.value.as_str())
}

/// The log an hr-sandbox recording starts with: no entries yet.
pub fn new_log(vendor: &str, upstream: &str) -> Har {
    Har {
        log: Log {
            version: "1.2".to_owned(),
            creator: Creator {
                name: "hr-sandbox".to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
                comment: Some(format!("recorded from the {vendor} API at {upstream}")),
            },
            vendor: Some(vendor.to_owned()),
            upstream: Some(upstream.trim_end_matches('/').to_owned()),
            entries: Vec::new(),
        },
    }
}
