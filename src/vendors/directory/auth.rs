//! `Authorization: Bearer <token>`: an organization token (an HS256 JWT naming the account and
//! its organization, expiry on the sandbox clock) or an administration token (an API key's
//! secret, capped by its `limitToRole`). Roles rank OWNER > ADMIN > MANAGER > EMPLOYEE.

use super::model::Claims;
use super::store::State;
use crate::common::auth_header::authorization_parts;
use crate::common::error::{ApiError, ErrorKind};
use crate::common::jwt;
use actix_web::HttpRequest;
use actix_web::http::header::WWW_AUTHENTICATE;
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

/// The caller, or 401 with Spring Security resource server's `WWW-Authenticate`: a bare
/// `Bearer` challenge when no bearer token was sent, `error="invalid_token"` when one was.
pub fn authenticate(req: &HttpRequest, state: &State, now: DateTime<Utc>) -> Result<Caller, ApiError> {
    let parts = authorization_parts(req);
    let [scheme, token] = parts.as_slice() else { return Err(challenge()) };
    if !scheme.eq_ignore_ascii_case(b"bearer") {
        return Err(challenge());
    }
    let invalid = || invalid_token(None, "Invalid token");
    let token = std::str::from_utf8(token).map_err(|_| invalid())?;
    if let Some(key) = state.keys.iter().find(|k| k.secret == token) {
        let role = key.limit_to_role.clone().unwrap_or_else(|| "OWNER".into());
        return Ok(Caller { org: key.org.clone(), account: None, role });
    }
    let claims: Claims = jwt::verify(token, &state.jwt_secret).map_err(|_| invalid())?;
    if claims.exp < now.timestamp() {
        let expired_at = DateTime::from_timestamp(claims.exp, 0).unwrap_or_default();
        return Err(invalid_token(
            Some("JWT expired"),
            &format!("Jwt expired at {}", expired_at.format("%Y-%m-%dT%H:%M:%SZ")),
        ));
    }
    let account = state.account(&claims.sub).filter(|a| a.active).ok_or_else(invalid)?;
    let role = account.role_in(&claims.org).ok_or_else(invalid)?;
    Ok(Caller { org: claims.org, account: Some(account.id.clone()), role: role.to_owned() })
}

/// No bearer token: RFC 6750's bare challenge.
fn challenge() -> ApiError {
    ApiError::new(ErrorKind::Unauthorized).header(WWW_AUTHENTICATE, "Bearer")
}

/// A bearer token that does not authenticate: RFC 6750 section 3.1's `invalid_token`, worded as
/// Spring Security words it.
fn invalid_token(message: Option<&str>, description: &str) -> ApiError {
    let error = match message {
        Some(message) => ApiError::with_message(ErrorKind::Unauthorized, message),
        None => ApiError::new(ErrorKind::Unauthorized),
    };
    let challenge = format!(
        "Bearer error=\"invalid_token\", error_description=\"{description}\", error_uri=\"https://tools.ietf.org/html/rfc6750#section-3.1\""
    );
    error.header(WWW_AUTHENTICATE, &challenge)
}
