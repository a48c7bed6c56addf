//! `TokenAuthentication`, message for message: `Authorization: Token <key>`, the keyword matched
//! case-insensitively, the header split on whitespace runs, inactive users refused.

use super::model::User;
use super::store::State;
use crate::common::auth_header::authorization_parts;
use crate::common::error::{ApiError, ErrorKind};
use actix_web::HttpRequest;

/// The token's user, or DRF's 401 with its exact message.
pub fn authenticate<'s>(req: &HttpRequest, state: &'s State) -> Result<&'s User, ApiError> {
    let unauthorized = |message: &str| ApiError::with_message(ErrorKind::Unauthorized, message);
    let parts = authorization_parts(req);
    let mut parts = parts.as_slice().iter().copied();
    match (parts.next(), parts.next(), parts.next()) {
        (Some(keyword), _, _) if !keyword.eq_ignore_ascii_case(b"token") => {
            Err(unauthorized("Authentication credentials were not provided."))
        }
        (None, _, _) => Err(unauthorized("Authentication credentials were not provided.")),
        (Some(_), None, _) => Err(unauthorized("Invalid token header. No credentials provided.")),
        (Some(_), Some(key), None) => {
            let key = std::str::from_utf8(key).map_err(|_| {
                unauthorized("Invalid token header. Token string should not contain invalid characters.")
            })?;
            let user = state.user_by_token(key).ok_or_else(|| unauthorized("Invalid token."))?;
            if user.is_active { Ok(user) } else { Err(unauthorized("User inactive or deleted.")) }
        }
        _ => Err(unauthorized("Invalid token header. Token string should not contain spaces.")),
    }
}
