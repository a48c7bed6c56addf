//! The OAuth endpoints and the Partner API's resource routes, one file per resource, and what
//! they share: the bearer token and its scopes, cursor pagination, query checks.

mod company;
mod deductions;
mod members;
mod oauth;
mod payroll;
mod time_off;
mod webhooks;

use super::auth;
use super::scopes::Granted;
use super::store::{JustworksStore, State};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::keyset::CursorPage;
use crate::common::media;
use crate::common::query::last;
use crate::common::routing::endpoint;
use crate::sandbox::InSandbox;
use actix_web::http::header::ACCEPT;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde_json::{Value, json};

type Jw = InSandbox<JustworksStore>;
type Answer = Result<HttpResponse, ApiError>;

/// Registers the OAuth endpoints and every resource route relative to `/justworks`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/oauth/authorize").get(oauth::authorize).post(oauth::decide))
        .service(endpoint("/oauth/token").post(oauth::token))
        .service(endpoint("/oauth/revoke").post(oauth::revoke))
        .service(endpoint("/v1/oauth/revoke").post(oauth::revoke));
    company::configure(cfg);
    members::configure(cfg);
    deductions::configure(cfg);
    payroll::configure(cfg);
    time_off::configure(cfg);
    webhooks::configure(cfg);
}

/// A valid token holding the endpoint's required scope (403 without it).
fn authorize(req: &HttpRequest, jw: &Jw, state: &State, required: &str) -> Result<Granted, ApiError> {
    let granted = auth::bearer(req, state, jw.sandbox.clock.now())?;
    if granted.has(required) {
        Ok(granted)
    } else {
        Err(ApiError::with_message(ErrorKind::Forbidden, format!("The access token lacks the scope {required}.")))
    }
}

/// The JSON body: 415 for another media type (a body with no Content-Type included), `None`
/// for no body at all.
fn json_body(req: &HttpRequest, body: &[u8]) -> Result<Option<Value>, ApiError> {
    let content_type = media::content_type(req);
    if body.is_empty() && content_type.is_none_or(media::is_json) {
        return Ok(None);
    }
    if !content_type.is_some_and(media::is_json) {
        return Err(ApiError::with_message(ErrorKind::UnsupportedMediaType, "The body must be application/json.")
            .header(ACCEPT, "application/json"));
    }
    serde_json::from_slice(body).map(Some).map_err(|e| bad(format!("invalid JSON: {e}")))
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::with_message(ErrorKind::BadRequest, message)
}

/// One page of a cursor-paginated list: `{"items", "next_cursor"}` (no cursor on the last page).
/// Each item comes with its position in the store, the keyset cursor's key.
fn page<T: Serialize>(pairs: &[(String, String)], items: &[(usize, T)]) -> Answer {
    cursor_page(pairs, items.len(), |i| items[i].0, |i| &items[i].1)
}

/// One page of a derived list of `len` items (their keys are their positions).
fn page_of<T: Serialize>(pairs: &[(String, String)], len: usize, item: impl Fn(usize) -> T) -> Answer {
    cursor_page(pairs, len, |i| i, item)
}

/// The page `limit` and `cursor` pick out of `len` items with ascending keys; only the page's
/// items are rendered.
fn cursor_page<T: Serialize>(
    pairs: &[(String, String)],
    len: usize,
    key: impl Fn(usize) -> usize,
    item: impl Fn(usize) -> T,
) -> Answer {
    Ok(HttpResponse::Ok().json(cursor_body(pairs, len, key, item)?))
}

/// The `{"items", "next_cursor"}` body of [`cursor_page`].
fn cursor_body<T: Serialize>(
    pairs: &[(String, String)],
    len: usize,
    key: impl Fn(usize) -> usize,
    item: impl Fn(usize) -> T,
) -> Result<serde_json::Value, ApiError> {
    let page = CursorPage::keyed(last(pairs, "limit"), last(pairs, "cursor"), 100, len, key).map_err(|message| {
        bad(if message.starts_with("limit") { "limit must be between 1 and 100" } else { message })
    })?;
    let shown: Vec<T> = page.range.map(item).collect();
    let mut body = json!({"items": shown});
    if let Some(cursor) = page.next {
        body["next_cursor"] = json!(cursor);
    }
    Ok(body)
}

/// A `YYYY-MM-DD` query value (an RFC 3339 timestamp is accepted and cut to its date).
fn date(pairs: &[(String, String)], name: &str) -> Result<Option<chrono::NaiveDate>, ApiError> {
    let Some(text) = last(pairs, name) else { return Ok(None) };
    chrono::NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| bad(format!("{name} must be a date YYYY-MM-DD")))
}
