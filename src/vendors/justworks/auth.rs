//! `Authorization: Bearer <access token>` on the resource endpoints: the token's scopes, or a
//! 401 that says whether the token is unknown, revoked or expired (on the sandbox clock). The
//! OAuth server that issues tokens is `routes/oauth.rs`.

use super::scopes;
use super::store::State;
use crate::common::auth_header::authorization_parts;
use crate::common::error::{ApiError, ErrorKind};
use actix_web::HttpRequest;
use chrono::{DateTime, Utc};

/// The scopes of a valid access token, or 401.
pub fn bearer(req: &HttpRequest, state: &State, now: DateTime<Utc>) -> Result<scopes::Granted, ApiError> {
    let parts = authorization_parts(req);
    let token = match parts.as_slice() {
        [scheme, token] if scheme.eq_ignore_ascii_case(b"bearer") => std::str::from_utf8(token).ok(),
        _ => None,
    };
    let record = token.and_then(|t| state.access_tokens.get(t));
    match record {
        None => Err(ApiError::with_message(ErrorKind::Unauthorized, "Missing or invalid access token.")),
        Some(t) if t.revoked => {
            Err(ApiError::with_message(ErrorKind::Unauthorized, "The access token has been revoked."))
        }
        Some(t) if t.expires_at <= now => {
            Err(ApiError::with_message(ErrorKind::Unauthorized, "The access token has expired."))
        }
        Some(t) => Ok(scopes::Granted::from_list(&t.scope)),
    }
}

/// The app (client id) a valid access token was issued to, or the 401 [`bearer`] gives.
pub fn bearer_app(req: &HttpRequest, state: &State, now: DateTime<Utc>) -> Result<String, ApiError> {
    bearer(req, state, now)?;
    let parts = authorization_parts(req);
    let token = parts.as_slice().get(1).and_then(|t| std::str::from_utf8(t).ok()).unwrap_or_default();
    Ok(state.access_tokens.get(token).map(|t| t.client_id.clone()).unwrap_or_default())
}
