//! Registering a webhook, as Justworks staff do for a partner: `POST
//! /__admin/vendors/justworks/webhooks {"url", "event_types", "client_id"?, "secret"?,
//! "faults"?}` answers the webhook with its signing secret (the only answer that shows it);
//! `POST /__admin/vendors/justworks/remove_webhook {"id"}` removes one and its deliveries. The
//! app action takes them too: `POST /__admin/vendors/justworks/apps {..., "webhooks": [{"url",
//! "event_types", "secret"?, "faults"?}]}` registers the app with exactly these webhooks.
//! Everything is checked before anything changes; a URL that addresses this server is refused
//! by the admin API before the registration is made.

use super::super::model::App;
use super::super::scopes::Granted;
use super::super::store::{JustworksStore, State};
use super::{EVENT_TYPES, MAX_WEBHOOKS, Status, Webhook, check_secret, check_url};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::rng::hex_string;
use crate::outbound::queue::Faults;
use crate::vendor::ActionOutcome;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// Event types a registration may list (repeats included) before it is refused unread.
const MAX_LISTED: usize = 32;

/// What a registration carries.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Registration {
    url: String,
    event_types: Vec<String>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    secret: Option<String>,
    #[serde(default)]
    faults: Faults,
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::with_message(ErrorKind::BadRequest, message)
}

/// `webhooks` and `remove_webhook`; `None` for any other action.
pub fn action(
    store: &JustworksStore,
    action: &str,
    body: &Value,
    now: DateTime<Utc>,
) -> Option<Result<ActionOutcome, ApiError>> {
    match action {
        "webhooks" => Some(register(store, body, now)),
        "remove_webhook" => Some(remove(store, body)),
        _ => None,
    }
}

// Divergence: Justworks staff register webhooks for a partner; the sandbox does it as an admin action.
fn register(store: &JustworksStore, body: &Value, now: DateTime<Utc>) -> Result<ActionOutcome, ApiError> {
    let (registration, event_types) = parse(body)?;
    let client_id = match registration.client_id.clone() {
        Some(id) => id,
        None => store.read().apps.first().map(|a| a.client_id.clone()).unwrap_or_default(),
    };
    let scopes = store.read().app(&client_id).map(|app| app.scopes.clone());
    let scopes = scopes.ok_or_else(|| bad(format!("no app with client_id '{client_id}'")))?;
    check_scopes(&scopes, &client_id, &event_types)?;
    let shared = Arc::clone(store.shared());
    let url = registration.url.clone();
    let then = Box::new(move || {
        let mut state = shared.write();
        if state.webhooks.list.len() >= MAX_WEBHOOKS {
            return Err(too_many());
        }
        Ok(made(&mut state, registration, client_id, event_types, now))
    });
    Ok(ActionOutcome::Guarded { urls: vec![url], then })
}

/// The `apps` action with `"webhooks": [...]`: the app and exactly these webhooks of it (its
/// earlier ones go, with their pending deliveries), all checked before anything changes, in one
/// write. The answer is the app with its webhooks, each with its secret.
pub fn app_with_webhooks(
    store: &JustworksStore,
    app: App,
    listed: &Value,
    now: DateTime<Utc>,
) -> Result<ActionOutcome, ApiError> {
    let listed = listed.as_array().ok_or_else(|| bad("webhooks is a list of {url, event_types, secret?, faults?}"))?;
    if listed.len() > MAX_WEBHOOKS {
        return Err(bad(format!("an app lists at most {MAX_WEBHOOKS} webhooks")));
    }
    let mut checked = Vec::with_capacity(listed.len());
    for body in listed {
        let (registration, event_types) = parse(body)?;
        if registration.client_id.as_ref().is_some_and(|id| *id != app.client_id) {
            return Err(bad("a webhook listed in an app belongs to that app: leave out client_id"));
        }
        check_scopes(&app.scopes, &app.client_id, &event_types)?;
        checked.push((registration, event_types));
    }
    let shared = Arc::clone(store.shared());
    let urls = checked.iter().map(|(registration, _)| registration.url.clone()).collect();
    let then = Box::new(move || {
        let mut state = shared.write();
        let others = state.webhooks.list.iter().filter(|w| w.client_id != app.client_id).count();
        if others + checked.len() > MAX_WEBHOOKS {
            return Err(too_many());
        }
        let replaced: Vec<String> =
            state.webhooks.list.iter().filter(|w| w.client_id == app.client_id).map(|w| w.id.clone()).collect();
        for id in &replaced {
            state.webhooks.queue.forget(id);
        }
        state.webhooks.list.retain(|w| w.client_id != app.client_id);
        state.apps.retain(|a| a.client_id != app.client_id);
        state.apps.push(app.clone());
        let webhooks: Vec<Value> = checked
            .into_iter()
            .map(|(registration, event_types)| made(&mut state, registration, app.client_id.clone(), event_types, now))
            .collect();
        let mut answer = json!(app);
        answer["webhooks"] = Value::Array(webhooks);
        Ok(answer)
    });
    Ok(ActionOutcome::Guarded { urls, then })
}

/// A registration's body, read and checked on its own (its app is checked by the caller).
fn parse(body: &Value) -> Result<(Registration, Vec<String>), ApiError> {
    if body.get("event_types").and_then(Value::as_array).is_some_and(|l| l.len() > MAX_LISTED) {
        return Err(bad(format!("event_types lists at most {MAX_LISTED} names")));
    }
    let registration: Registration = serde_json::from_value(body.clone())
        .map_err(|e| bad(format!("a webhook needs url and event_types (client_id, secret, faults optional): {e}")))?;
    check_url(&registration.url).map_err(bad)?;
    let event_types = event_types(&registration.event_types)?;
    if let Some(secret) = &registration.secret {
        check_secret(secret).map_err(bad)?;
    }
    registration.faults.check().map_err(bad)?;
    Ok((registration, event_types))
}

fn too_many() -> ApiError {
    ApiError::with_message(
        ErrorKind::Conflict,
        format!("this sandbox holds at most {MAX_WEBHOOKS} Justworks webhooks; remove one first"),
    )
}

/// The listed types, known, each once, in the documented order.
fn event_types(listed: &[String]) -> Result<Vec<String>, ApiError> {
    if let Some(unknown) = listed.iter().find(|t| !EVENT_TYPES.contains(&t.as_str())) {
        return Err(bad(format!("unknown event type '{unknown}' (known: {})", EVENT_TYPES.join(", "))));
    }
    let types: Vec<String> =
        EVENT_TYPES.iter().filter(|t| listed.iter().any(|l| l == *t)).map(|t| (*t).to_owned()).collect();
    if types.is_empty() {
        return Err(bad("event_types lists at least one event type"));
    }
    Ok(types)
}

/// The app (its scopes) may read what its events carry.
fn check_scopes(scopes: &[String], client_id: &str, event_types: &[String]) -> Result<(), ApiError> {
    let granted = Granted::from_list(&scopes.join(" "));
    for event in event_types {
        let needed = if event.starts_with("member.") { "member.basic:read" } else { "company.basic:read" };
        if !granted.has(needed) {
            return Err(bad(format!("the app '{client_id}' lacks the scope {needed} that {event} events need")));
        }
    }
    Ok(())
}

/// Adds the webhook (its count checked by the caller, under the same write lock) and answers it
/// with its secret.
fn made(
    state: &mut State,
    registration: Registration,
    client_id: String,
    event_types: Vec<String>,
    now: DateTime<Utc>,
) -> Value {
    let hooks = &mut state.webhooks;
    let id = super::super::seed::prefixed_id(&mut hooks.rng, "webhook");
    let secret = registration.secret.unwrap_or_else(|| format!("jw_whsec_{}", hex_string(&mut hooks.rng, 40)));
    let hook = Webhook {
        id,
        client_id,
        url: registration.url,
        event_types,
        secret,
        status: Status::Opened,
        faults: registration.faults,
        created_at: now,
        closed_at: None,
    };
    let answer = json!(hook);
    hooks.list.push(hook);
    answer
}

fn remove(store: &JustworksStore, body: &Value) -> Result<ActionOutcome, ApiError> {
    let id = body.get("id").and_then(Value::as_str).ok_or_else(|| bad("give \"id\": a webhook id"))?;
    let mut state = store.write();
    let hooks = &mut state.webhooks;
    let before = hooks.list.len();
    hooks.list.retain(|w| w.id != id);
    if hooks.list.len() == before {
        return Err(ApiError::with_message(ErrorKind::NotFound, format!("no webhook '{id}'")));
    }
    hooks.queue.forget(id);
    Ok(ActionOutcome::Done(json!({"removed": id})))
}
