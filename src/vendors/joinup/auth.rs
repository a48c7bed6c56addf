//! `djangorestframework-jwt`'s `JSONWebTokenAuthentication`, message for message: the
//! `Authorization: JWT <token>` header, HS256 tokens signed with the sandbox's secret, expiry on
//! the sandbox clock, and the user named by the payload's `username`.

use super::model::{Claims, User};
use super::store::State;
use crate::common::auth_header::authorization_parts;
use crate::common::error::{ApiError, ErrorKind};
use crate::common::jwt::{self, JwtError};
use actix_web::HttpRequest;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// The header value DRF sends with every 401 (`authenticate_header`).
pub const WWW_AUTHENTICATE: &str = "JWT realm=\"api\"";

/// The placeholder token of the docs' examples (`Authorization: JWT beep-beep-beep-beep-beep`).
pub const DOCS_TOKEN: &str = "beep-beep-beep-beep-beep";

/// `JSONWebTokenAuthentication.authenticate`: the user, or DRF's 401 with the library's message.
pub fn authenticate<'s>(req: &HttpRequest, state: &'s State, now: DateTime<Utc>) -> Result<&'s User, ApiError> {
    let failed = |message: &str| ApiError::with_message(ErrorKind::Unauthorized, message);
    let parts = authorization_parts(req);
    let token = match parts.as_slice() {
        [keyword, rest @ ..] if keyword.eq_ignore_ascii_case(b"jwt") => match rest {
            [] => return Err(failed("Invalid Authorization header. No credentials provided.")),
            [token] => *token,
            _ => return Err(failed("Invalid Authorization header. Credentials string should not contain spaces.")),
        },
        // No header, or another scheme: this authenticator abstains and DRF reports no credentials.
        _ => return Err(failed("Authentication credentials were not provided.")),
    };
    // Divergence: the docs' placeholder is not a JWT; accepting it lets their examples run unchanged.
    let users = &state.users;
    let docs_alias = state.settings.docs_token.as_deref();
    if let Some(user) =
        docs_alias.filter(|_| token == DOCS_TOKEN.as_bytes()).and_then(|id| users.iter().find(|u| u.identity == id))
    {
        return Ok(user);
    }
    let token = std::str::from_utf8(token).map_err(|_| failed("Error decoding signature."))?;
    // Verifying is a pure function of the token and the secret; only expiry depends on the clock.
    let claims = state.verified_tokens.get_or_try(token, || verify(token, &state.secret).map(Arc::new))?;
    if claims.exp.is_some_and(|exp| exp < now.timestamp()) {
        return Err(failed("Signature has expired."));
    }
    let Some(username) = claims.username.as_deref().filter(|u| !u.is_empty()) else {
        return Err(failed("Invalid payload."));
    };
    let user = users.iter().find(|u| u.username == username).ok_or_else(|| failed("Invalid signature."))?;
    if user.is_active { Ok(user) } else { Err(failed("User account is disabled.")) }
}

/// PyJWT's `decode` in its order: structure, algorithm, signature (expiry is the caller's).
fn verify(token: &str, secret: &str) -> Result<Claims, ApiError> {
    jwt::verify(token, secret).map_err(|err| {
        let message = match err {
            // InvalidAlgorithmError is an InvalidTokenError: AuthenticationFailed's own default text.
            JwtError::Algorithm => "Incorrect authentication credentials.",
            JwtError::Malformed | JwtError::Signature => "Error decoding signature.",
        };
        ApiError::with_message(ErrorKind::Unauthorized, message)
    })
}
