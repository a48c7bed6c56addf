//! Snapshot documents as the admin API reads them (`PUT /__admin/snapshot`, `POST
//! /__admin/sandboxes`): the body read once, up to `--snapshot-limit`, then checked against a
//! work budget and parsed on a blocking thread, so a large or hostile document never stalls an
//! async worker (`/__admin/health` keeps answering) and a refused one is never built.

use super::error::AdminError;
use crate::common::json_budget::Budget;
use crate::common::problem::Problem;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use serde::de::{DeserializeOwned, IgnoredAny};

/// Deepest nesting a snapshot may have: an export has 15 levels, a scenario's rules a few more.
const MAX_DEPTH: usize = 64;
/// Tokens (values and keys) a small document may hold regardless of its size.
const TOKEN_ALLOWANCE: usize = 1 << 16;
/// Bytes of document per token past the allowance. An export spends about 11; `[0,0,...]`
/// spends 2 and would cost 40 times its size once parsed.
const BYTES_PER_TOKEN: usize = 4;

/// The budget of a document of `len` bytes: what a real export needs, and a bound on what
/// parsing it may cost (about 80 bytes a token, so at most 20 times the document past 64 Ki
/// tokens).
pub fn budget(len: usize) -> Budget {
    Budget { max_depth: MAX_DEPTH, max_tokens: TOKEN_ALLOWANCE + len / BYTES_PER_TOKEN }
}

/// The request's body, read once into one buffer (sized from `Content-Length` when given), or
/// 413 `payload_too_large` past `limit` (`--snapshot-limit`) without reading the rest.
pub async fn read_body(req: &HttpRequest, mut payload: web::Payload, limit: usize) -> Result<Bytes, AdminError> {
    let too_large = || {
        AdminError::with_status(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("a snapshot document is at most {limit} bytes (--snapshot-limit)"),
        )
    };
    let declared =
        req.headers().get(actix_web::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(too_large());
    }
    let mut buf = BytesMut::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AdminError::bad_request(format!("reading the body: {e}")))?;
        if buf.len().saturating_add(chunk.len()) > limit {
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// `body` as `T`, checked against [`budget`] first and parsed on a blocking thread: 400
/// `invalid_snapshot` past the budget, 400 `bad_request` for malformed JSON. `check` runs on the
/// text (well-formed, within the budget) before `T` is built, 400 `invalid_snapshot` with its
/// problem: a refused document costs what `check` costs, so it reads the text typed.
pub async fn parse<T: DeserializeOwned + Send + 'static>(
    body: Bytes,
    check: impl FnOnce(&str) -> Result<(), Problem> + Send + 'static,
) -> Result<T, AdminError> {
    let malformed = |e: serde_json::Error| AdminError::bad_request(format!("invalid JSON body: {e}"));
    web::block(move || {
        budget(body.len()).check(&body).map_err(|exceeded| {
            AdminError::invalid_snapshot(&Problem::at("", format!("the document is {exceeded}")))
        })?;
        // Malformed JSON is answered as such, whatever `check` would find before the fault.
        serde_json::from_slice::<IgnoredAny>(&body).map_err(malformed)?;
        if let Ok(text) = std::str::from_utf8(&body) {
            check(text).map_err(|problem| AdminError::invalid_snapshot(&problem))?;
        }
        serde_json::from_slice(&body).map_err(malformed)
    })
    .await
    .map_err(|e| AdminError::internal(e.to_string()))?
}

/// The `snapshot` of a create request's text checked before the request is built (see
/// `crate::snapshot::check_text`); a request that is not an object is left to its own parse.
pub fn check_create_request(sandbox: &crate::sandbox::Sandbox, text: &str) -> Result<(), Problem> {
    #[derive(serde::Deserialize)]
    struct Request<'a> {
        #[serde(borrow)]
        snapshot: Option<&'a serde_json::value::RawValue>,
    }
    match serde_json::from_str::<Request>(text) {
        Ok(Request { snapshot: Some(raw) }) if raw.get() != "null" => crate::snapshot::check_text(sandbox, raw.get()),
        _ => Ok(()),
    }
}

/// A snapshot document as the restore reads it, without its `journal` and `journal_evicted`: a
/// `PUT` ignores them (the journal is traffic, not state), so they are skipped while reading
/// instead of built (a journal of small values would cost dozens of times its size, and the
/// document is kept for reset).
#[derive(Debug)]
pub struct Document(pub serde_json::Value);

impl<'de> serde::Deserialize<'de> for Document {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(KeptMembers).map(|kept| Document(serde_json::Value::Object(kept)))
    }
}

/// Reads a document's members, skipping the journal's.
struct KeptMembers;

impl<'de> serde::de::Visitor<'de> for KeptMembers {
    type Value = serde_json::Map<String, serde_json::Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a snapshot document (a JSON object)")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut members: A) -> Result<Self::Value, A::Error> {
        let mut kept = serde_json::Map::new();
        while let Some(name) = members.next_key::<String>()? {
            if name == "journal" || name == "journal_evicted" {
                members.next_value::<IgnoredAny>()?;
            } else {
                kept.insert(name, members.next_value()?);
            }
        }
        Ok(kept)
    }
}

impl schemars::JsonSchema for Document {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        serde_json::Value::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        serde_json::Value::json_schema(generator)
    }
}
