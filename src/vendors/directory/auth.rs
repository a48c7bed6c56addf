//! `Authorization: Bearer <token>`: an organization token (an HS256 JWT naming the account and
//! its organization, expiry on the sandbox clock) or an administration token (an API key's
//! secret, capped by its `limitToRole`). Roles rank OWNER > ADMIN > MANAGER > EMPLOYEE.

use super::model::Claims;
use super::store::State;
use crate::common::auth_header::authorization_parts;
use crate::common::error::{ApiError, ErrorKind};
use crate::common::jwt;
use actix_web::HttpRequest;
use chrono::{DateTime, Utc};

/// Who is calling: the organization every request is scoped to, the account (none for API keys)
/// and the role.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Current organization.
    pub org: String,
    /// The account of an organization token.
    pub account: Option<String>,
    /// The role the caller acts with.
    pub role: String,
}

impl Caller {
    /// Whether the role reaches `ADMIN`.
    pub fn is_admin(&self) -> bool {
        rank(&self.role) >= rank("ADMIN")
    }

    /// 403 unless an administrator.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.is_admin() { Ok(()) } else { Err(ApiError::new(ErrorKind::Forbidden)) }
    }
}

/// A role's rank; unknown roles rank lowest.
pub fn rank(role: &str) -> u8 {
    match role {
        "OWNER" => 4,
        "ADMIN" => 3,
        "MANAGER" => 2,
        "EMPLOYEE" => 1,
        _ => 0,
    }
}

/// The caller, or 401.
pub fn authenticate(req: &HttpRequest, state: &State, now: DateTime<Utc>) -> Result<Caller, ApiError> {
    let invalid = || ApiError::new(ErrorKind::Unauthorized);
    let parts = authorization_parts(req);
    let [scheme, token] = parts.as_slice() else { return Err(invalid()) };
    if !scheme.eq_ignore_ascii_case(b"bearer") {
        return Err(invalid());
    }
    let token = std::str::from_utf8(token).map_err(|_| invalid())?;
    if let Some(key) = state.keys.iter().find(|k| k.secret == token) {
        let role = key.limit_to_role.clone().unwrap_or_else(|| "OWNER".into());
        return Ok(Caller { org: key.org.clone(), account: None, role });
    }
    let claims: Claims = jwt::verify(token, &state.jwt_secret).map_err(|_| invalid())?;
    if claims.exp < now.timestamp() {
        return Err(ApiError::with_message(ErrorKind::Unauthorized, "JWT expired"));
    }
    let account = state.account(&claims.sub).filter(|a| a.active).ok_or_else(invalid)?;
    let role = account.role_in(&claims.org).ok_or_else(invalid)?;
    Ok(Caller { org: claims.org, account: Some(account.id.clone()), role: role.to_owned() })
}
