//! Who is calling: `Authorization: Bearer <API key>` of an integration user, or the deprecated
//! form login's `JSESSIONID` cookie. Keys are opaque and looked up; the user sees only its
//! business, and below its node.

use super::store::State;
use crate::common::auth_header::authorization_parts;
use crate::common::error::{ApiError, ErrorKind};
use actix_web::HttpRequest;
use chrono::{DateTime, Utc};

/// The authenticated integration user: its business and its index among that business's users.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    /// Business index.
    pub business: usize,
    /// Integration user index in the business.
    pub user: usize,
}

/// The API key or session's integration user, or 401.
pub fn authenticate(req: &HttpRequest, state: &State, now: DateTime<Utc>) -> Result<Caller, ApiError> {
    let parts = authorization_parts(req);
    let found = match parts.as_slice() {
        [scheme, key] if scheme.eq_ignore_ascii_case(b"bearer") => {
            std::str::from_utf8(key).ok().and_then(|key| state.keys.get(key)).copied()
        }
        [] => req
            .cookie("JSESSIONID")
            .and_then(|cookie| state.sessions.get(cookie.value()).copied())
            .filter(|session| session.expires_at > now)
            .map(|session| (session.business, session.user)),
        _ => None,
    };
    found.map(|(business, user)| Caller { business, user }).ok_or_else(|| ApiError::new(ErrorKind::Unauthorized))
}

/// The business of the path, if the caller may see it: another business (or one that does not
/// exist) is 403, so ids of other tenants never leak.
pub fn business(state: &State, caller: Caller, business_id: &str) -> Result<usize, ApiError> {
    match state.businesses.iter().position(|b| b.id == business_id) {
        Some(index) if index == caller.business => Ok(index),
        _ => Err(ApiError::with_message(
            ErrorKind::Forbidden,
            format!("Access to business {business_id} is not allowed"),
        )),
    }
}
