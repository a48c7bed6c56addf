//! Joinup's admin actions (`tokens`, `signups`). Kept apart from the store so the actions (the
//! signup hook's call) sit above the state they change.

use super::signup;
use super::store::{State, seeded_expiry};
use crate::common::clock;
use crate::common::error::{ApiError, ErrorKind};
use crate::common::seeded::SeededState;
use crate::vendor::{ActionOutcome, AdminActions};
use chrono::{DateTime, Utc};
use serde_json::Value;

impl AdminActions for State {
    fn admin_action(
        store: &SeededState<State>,
        action: &str,
        body: &Value,
        now: DateTime<Utc>,
    ) -> Result<ActionOutcome, ApiError> {
        match action {
            "tokens" => mint_token(&store.read(), body, now).map(ActionOutcome::Done),
            "signups" => signup::start(store.shared(), body),
            _ => Err(ApiError::with_message(
                ErrorKind::NotFound,
                format!("joinup has no admin action '{action}' (try 'tokens' or 'signups')"),
            )),
        }
    }
}

/// `POST /__admin/vendors/joinup/tokens {"identity", "expires_in"}`: a token for an identity,
/// expiring `expires_in` seconds from the sandbox's now (the seeded expiry when omitted).
fn mint_token(state: &State, body: &Value, now: DateTime<Utc>) -> Result<Value, ApiError> {
    let bad = |message: &str| ApiError::with_message(ErrorKind::BadRequest, message);
    let identity = body.get("identity").and_then(Value::as_str).ok_or_else(|| bad("give \"identity\""))?;
    let exp = match body.get("expires_in") {
        None => seeded_expiry(),
        Some(seconds) => {
            now + seconds.as_i64().and_then(clock::span).ok_or_else(|| {
                bad("\"expires_in\" must be an integer number of seconds, at most ten years either way")
            })?
        }
    };
    let user = state
        .users
        .iter()
        .find(|u| u.identity == identity)
        .ok_or_else(|| ApiError::with_message(ErrorKind::NotFound, format!("no joinup identity '{identity}'")))?;
    Ok(state.credential(user, exp))
}
