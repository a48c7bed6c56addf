//! The `apps` admin action: an OAuth app as Justworks staff register one for a partner (client
//! id and secret, redirect URIs, scopes, consent page details), optionally with its webhooks.

use super::model::App;
use super::store::JustworksStore;
use crate::common::error::{ApiError, ErrorKind};
use crate::common::url;
use crate::vendor::ActionOutcome;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

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
