//! `POST /v1/webhooks/get`, `POST /v1/webhooks/{webhook_id}/resume` and `POST
//! /v1/webhooks/{webhook_id}/simulate`: an app's own webhooks (another app's are 404).
// Divergence: Justworks names no scope for these; any valid token of the owning app may call them.

use super::{Answer, Jw, bad, json_body};
use crate::common::error::{ApiError, ErrorKind};
use crate::common::query::{self, last};
use crate::common::routing::endpoint;
use crate::sandbox::Body;
use crate::vendors::justworks::auth;
use crate::vendors::justworks::webhooks::{self, Status};
use crate::vendors::justworks::webhooks::{events, simulate_payload};
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

/// Largest `payload_override`, serialized.
const MAX_OVERRIDE_BYTES: usize = 64 * 1024;
/// Simulated deliveries a sandbox's Justworks holds waiting at most. An override of 64 KiB can
/// take a megabyte as a JSON tree, and a receiver that hangs keeps each waiting 10 s: without
/// a bound, a loop of simulate calls fills memory.
// Divergence: Justworks states no such limit; past it the sandbox answers 429.
const MAX_SIMULATED_WAITING: usize = 10;

pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(endpoint("/v1/webhooks/get").post(list))
        .service(endpoint("/v1/webhooks/{webhook_id}/resume").post(resume))
        .service(endpoint("/v1/webhooks/{webhook_id}/simulate").post(simulate));
}

fn not_found() -> ApiError {
    ApiError::with_message(ErrorKind::NotFound, "Webhook not found")
}

/// "List Webhooks": `{"items": [{id, url, status, event_types}]}`, filtered by `status`
/// (`opened` or `closed`, in the query or the JSON body).
async fn list(req: HttpRequest, body: Body, jw: Jw) -> Answer {
    let pairs = query::pairs(req.query_string());
    let body = json_body(&req, &body)?;
    let wanted = match last(&pairs, "status").map(str::to_owned).or_else(|| {
        body.as_ref().and_then(|b| b.get("status")).map(|s| s.as_str().unwrap_or("(not a string)").to_owned())
    }) {
        None => None,
        Some(text) if text == "opened" => Some(Status::Opened),
        Some(text) if text == "closed" => Some(Status::Closed),
        Some(_) => return Err(bad("status must be opened or closed")),
    };
    let state = jw.store.read();
    let app = auth::bearer_app(&req, &state, jw.sandbox.clock.now())?;
    let items: Vec<Value> = state
        .webhooks
        .list
        .iter()
        .filter(|w| w.client_id == app && wanted.is_none_or(|s| w.status == s))
        .map(|w| w.view())
        .collect();
    Ok(HttpResponse::Ok().json(json!({"items": items})))
}

/// "Resume Webhook": reopens it; its held deliveries are due now with a fresh schedule.
async fn resume(req: HttpRequest, path: web::Path<String>, jw: Jw) -> Answer {
    let now = jw.sandbox.clock.now();
    let mut state = jw.store.write();
    let app = auth::bearer_app(&req, &state, now)?;
    let hooks = &mut state.webhooks;
    let hook = hooks.list.iter_mut().find(|w| w.id == *path && w.client_id == app).ok_or_else(not_found)?;
    hook.status = Status::Opened;
    hook.closed_at = None;
    let view = hook.view();
    hooks.queue.release(&path, now);
    Ok(HttpResponse::Ok().json(view))
}

/// "Simulate Webhook": queues one delivery due now: a sample event of the webhook's first type,
/// or `payload_override` sent as the whole body, to `url_override` or the webhook's URL.
// Divergence: the answer `{"id", "event_type", "url", "status": "accepted"}` is the sandbox's.
async fn simulate(req: HttpRequest, path: web::Path<String>, body: Body, jw: Jw) -> Answer {
    let body = json_body(&req, &body)?.unwrap_or(json!({}));
    let Some(fields) = body.as_object() else { return Err(bad("the body must be a JSON object")) };
    if let Some(unknown) = fields.keys().find(|k| !matches!(k.as_str(), "payload_override" | "url_override")) {
        return Err(bad(format!("unknown field {unknown} (payload_override, url_override)")));
    }
    let payload = match fields.get("payload_override") {
        None | Some(Value::Null) => None,
        Some(object @ Value::Object(_)) if serde_json::to_vec(object).map_or(0, |b| b.len()) <= MAX_OVERRIDE_BYTES => {
            Some(object.clone())
        }
        Some(Value::Object(_)) => {
            return Err(bad(format!("payload_override is larger than {MAX_OVERRIDE_BYTES} bytes")));
        }
        Some(_) => return Err(bad("payload_override must be a JSON object")),
    };
    let url = match fields.get("url_override") {
        None | Some(Value::Null) => None,
        Some(Value::String(url)) => Some(webhooks::check_url(url).map(|()| url.clone()).map_err(bad)?),
        Some(_) => return Err(bad("url_override must be a URL string")),
    };
    let now = jw.sandbox.clock.now();
    let mut state = jw.store.write();
    let app = auth::bearer_app(&req, &state, now)?;
    let hook = state.webhooks.list.iter().find(|w| w.id == *path && w.client_id == app).ok_or_else(not_found)?.clone();
    if state.webhooks.queue.pending.iter().filter(|p| p.payload["simulated"] == true).count() >= MAX_SIMULATED_WAITING {
        let message =
            format!("{MAX_SIMULATED_WAITING} simulated deliveries are waiting; move the clock or retry later");
        return Err(ApiError::with_message(ErrorKind::RateLimited, message));
    }
    let id = state.webhooks.new_event_id();
    let event = events::sample(&state, &hook, now, &id);
    let answer = json!({"id": id, "event_type": event["event_type"], "url": url.as_deref().unwrap_or(&hook.url), "status": "accepted"});
    state.webhooks.queue_simulated(&hook.id, simulate_payload(event, payload, url), now);
    Ok(HttpResponse::Ok().json(answer))
}
