//! Justworks' admin actions, what Justworks staff do for a partner in the real product: `apps`
//! (an OAuth app: client id and secret, redirect URIs, scopes, consent page details, optionally
//! its webhooks), `webhooks` and `remove_webhook` (see `webhooks/register.rs`).

use super::model::App;
use super::store::{JustworksStore, State};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::url;
use crate::vendor::{ActionOutcome, AdminActions};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

impl AdminActions for State {
    /// `apps` (`client_id`, `client_secret`, `name`, `redirect_uris`, `scopes`, ..., `webhooks`?)
    /// registers the OAuth app, or replaces it; `webhooks`, `remove_webhook`: see `webhooks/register.rs`.
    fn admin_action(
        store: &JustworksStore,
        action: &str,
        body: &Value,
        now: DateTime<Utc>,
    ) -> Result<ActionOutcome, ApiError> {
        if let Some(outcome) = super::webhooks::register::action(store, action, body, now) {
            return outcome;
        }
        if action != "apps" {
            return Err(ApiError::with_message(
                ErrorKind::NotFound,
                format!("justworks has no admin action '{action}' (try 'apps', 'webhooks', 'remove_webhook')"),
            ));
        }
        register(store, body, now)
    }
}

/// Registers the app in `body`, or replaces the one with its `client_id`; with `webhooks`, the
/// app's webhooks become exactly those (see `webhooks/register.rs`). Checked whole first.
pub fn register(store: &JustworksStore, body: &Value, now: DateTime<Utc>) -> Result<ActionOutcome, ApiError> {
    let mut app: App = serde_json::from_value(body.clone()).map_err(|e| {
        ApiError::with_message(
            ErrorKind::BadRequest,
            format!("an app needs client_id, client_secret, name, redirect_uris, scopes: {e}"),
        )
    })?;
    let urls = app.redirect_uris.iter().chain([&app.logo_url, &app.terms_url, &app.privacy_url].into_iter().flatten());
    if let Some(bad) = urls.into_iter().find(|u| !url::is_web_url(u)) {
        return Err(ApiError::with_message(ErrorKind::BadRequest, format!("'{bad}' is not an http(s) URL")));
    }
    if app.redirect_uris.is_empty() {
        return Err(ApiError::with_message(ErrorKind::BadRequest, "an app needs at least one redirect URI"));
    }
    if let Some(unknown) = app.scopes.iter().find(|s| !super::scopes::known(s)) {
        return Err(ApiError::with_message(ErrorKind::BadRequest, format!("unknown scope '{unknown}'")));
    }
    app.scopes.sort();
    if let Some(webhooks) = body.get("webhooks") {
        return super::webhooks::register::app_with_webhooks(store, app, webhooks, now);
    }
    let mut state = store.write();
    state.apps.retain(|a| a.client_id != app.client_id);
    state.apps.push(app.clone());
    Ok(ActionOutcome::Done(json!(app)))
}
