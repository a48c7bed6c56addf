//! Handlers of the admin API. Each parses, validates fully, then changes state: bad input
//! changes nothing.

use super::context::{Admin, AdminResult, optional_json, required_json, sandbox, store};
use super::error::AdminError;
use super::guard::{self, AdminAccess};
use super::model::{ClockRequest, CreateSandbox, ResetRequest, SandboxQuery};
use super::sandbox_view::{created_answer, describe};
use super::{console, document, fork, keep, openapi, scenarios, snapshot, verify, workforce};
use crate::common::clock::ClockChange;
use crate::common::routing;
use crate::journal::JournalFilter;
use crate::outbound::{self, OutboundResult};
use crate::pipeline::front::{self, Front};
use crate::pipeline::request_id::RequestId;
use crate::sandbox::{RegistryError, Sandbox, SnapshotRefused};
use crate::scenario::matcher::check_glob;
use crate::vendor::ActionOutcome;
use actix_web::HttpMessage;
use actix_web::dev::HttpServiceFactory;
use actix_web::http::Method;
use actix_web::http::header::HeaderValue;
use actix_web::middleware::from_fn;
use actix_web::{FromRequest, Handler, Responder};
use actix_web::{HttpRequest, HttpResponse, Route, web};
use bytes::Bytes;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{Map, Value, json};

/// The `/__admin` scope, behind its access guard.
pub fn scope(access: AdminAccess, front: Front) -> impl HttpServiceFactory {
    web::scope("/__admin")
        .wrap(from_fn(keep::after_write))
        .wrap(from_fn(move |req, next| guard::guard(access.clone(), req, next)))
        .wrap(from_fn(move |req, next| front::walk(front, req, next)))
        .app_data(web::QueryConfig::default().error_handler(|e, _| AdminError::bad_request(e.to_string()).into()))
        .configure(configure)
        .default_service(web::to(|req: HttpRequest| async move {
            AdminResult::Err(AdminError::not_found(format!("no admin route {}", req.path())))
        }))
}

/// Every admin route, relative to `/__admin` (each noted for the admin OpenAPI document).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/health", [get(health)]))
        .service(resource("/credentials", [get(credentials)]))
        .service(resource("/reset", [post(reset)]))
        .service(resource("/vendors", [get(vendors)]))
        .service(resource("/vendors/{id}/state", [get(vendor_state)]))
        .service(resource("/vendors/{id}/settings", [get(vendor_settings), patch(patch_settings)]))
        .service(resource("/vendors/{id}/openapi", [get(openapi::vendor)]))
        .service(resource("/vendors/{id}/{action}", [post(vendor_action)]))
        .service(resource("/requests", [get(requests), delete(clear_requests)]))
        .service(resource("/requests/find", [post(verify::find)]))
        .service(resource("/requests/verify", [post(verify::verify)]))
        .service(resource("/requests/unmatched", [get(verify::unmatched)]))
        .service(resource("/sandboxes", [get(list_sandboxes), post(create_sandbox)]))
        .service(resource("/snapshot", [get(snapshot::get), put(snapshot::put)]))
        .service(resource("/sandboxes/{name}", [get(get_sandbox), delete(delete_sandbox)]))
        .service(resource("/clock", [get(clock), post(set_clock)]))
        .service(resource("/workforce", [get(workforce::get), patch(workforce::patch)]))
        .service(resource("/workforce/people", [get(workforce::people)]))
        .service(resource("/workforce/events", [get(workforce::events), post(workforce::post_event)]))
        .service(resource("/scenarios", [get(scenarios::list), post(scenarios::add)]))
        // Before `/scenarios/{name}`, so `active`, `shipped` and `schema` are never taken for a name.
        .service(resource("/scenarios/active", [put(scenarios::activate), delete(scenarios::deactivate)]))
        .service(resource("/scenarios/shipped", [get(scenarios::shipped)]))
        .service(resource("/scenarios/schema", [get(scenarios::schema)]))
        .service(resource("/scenarios/{name}", [delete(scenarios::remove)]))
        .service(resource("/ui", [get(console::page)]))
        .service(resource("/ui/assets/{file}", [get(console::asset)]))
        .service(resource("/ui/{page}", [get(console::page)]))
        .service(resource("/openapi", [get(admin_openapi)]));
}

/// A resource answering these (method, route) pairs, and 405 in the admin shape otherwise.
fn resource<const N: usize>(path: &str, routes: [(Method, Route); N]) -> actix_web::Resource {
    let allow = routes.iter().map(|(method, _)| method.as_str()).collect::<Vec<_>>().join(", ");
    let resource = routes.into_iter().fold(web::resource(path), |r, (method, route)| {
        routing::note_served(&method, path);
        r.route(route)
    });
    resource.default_service(web::to(move |req: HttpRequest| {
        let allow = allow.clone();
        async move {
            let mut refused =
                actix_web::ResponseError::error_response(&AdminError::method_not_allowed(req.method().as_str()));
            if let Ok(value) = HeaderValue::from_str(&allow) {
                refused.headers_mut().insert(actix_web::http::header::ALLOW, value);
            }
            Ok::<_, actix_web::Error>(refused)
        }
    }))
}

macro_rules! on {
    ($name:ident, $method:ident) => {
        fn $name<F, Args>(handler: F) -> (Method, Route)
        where
            F: Handler<Args>,
            Args: FromRequest + 'static,
            F::Output: Responder + 'static,
        {
            (Method::$method, web::method(Method::$method).to(handler))
        }
    };
}
on!(get, GET);
on!(post, POST);
on!(put, PUT);
on!(patch, PATCH);
on!(delete, DELETE);

/// `GET /__admin/openapi`: this API's own document, from the routes above.
async fn admin_openapi(admin: Admin, query: web::Query<openapi::DocumentQuery>, req: HttpRequest) -> AdminResult {
    openapi::admin(&admin, configure, &query, &req)
}

/// `GET /__admin/health`.
async fn health(admin: Admin) -> AdminResult {
    let default = sandbox(&admin, None)?;
    let vendors: Vec<&str> = admin.registry.vendors().iter().map(|v| v.id()).collect();
    let mut answer = json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "seed": default.seed(),
        "vendors": vendors,
    });
    // Only with `--state-dir`: without it the answer stays byte for byte what it was.
    if let Some(durable) = &admin.durable {
        answer["state_dir"] = json!(durable.path().display().to_string());
    }
    Ok(HttpResponse::Ok().json(answer))
}

/// `GET /__admin/credentials`: ready-to-use credentials per vendor and identity.
async fn credentials(admin: Admin, query: web::Query<SandboxQuery>) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let all: Map<String, Value> = sandbox.stores().map(|(id, store)| (id.to_owned(), store.credentials())).collect();
    Ok(HttpResponse::Ok().json(all))
}

/// `POST /__admin/reset`: body optional.
async fn reset(admin: Admin, query: web::Query<SandboxQuery>, body: Bytes) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let request: ResetRequest = optional_json(&body)?;
    if let Some(unknown) = request.vendors.iter().flatten().find(|v| !sandbox.vendor_ids().any(|id| id == v.as_str())) {
        return Err(AdminError::bad_request(format!("unknown vendor '{unknown}'")));
    }
    sandbox.reset(request.seed, request.vendors.as_deref());
    let vendors: Vec<String> = request.vendors.unwrap_or_else(|| sandbox.vendor_ids().map(str::to_owned).collect());
    Ok(HttpResponse::Ok().json(json!({"sandbox": sandbox.name(), "seed": sandbox.seed(), "vendors": vendors})))
}

/// `GET /__admin/vendors`: record counts per vendor.
async fn vendors(admin: Admin, query: web::Query<SandboxQuery>) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let list: Vec<Value> = admin
        .registry
        .vendors()
        .iter()
        .filter_map(|vendor| {
            let store = sandbox.store(vendor.id())?;
            Some(json!({
                "id": vendor.id(),
                "name": vendor.display_name(),
                "prefix": format!("/{}", vendor.id()),
                "counts": store.counts(),
            }))
        })
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

/// `GET /__admin/vendors/{id}/state`.
async fn vendor_state(admin: Admin, id: web::Path<String>, query: web::Query<SandboxQuery>) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    Ok(HttpResponse::Ok().json(store(&sandbox, &id)?.state()))
}

/// `GET /__admin/vendors/{id}/settings`.
async fn vendor_settings(admin: Admin, id: web::Path<String>, query: web::Query<SandboxQuery>) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    Ok(HttpResponse::Ok().json(store(&sandbox, &id)?.settings()))
}

/// `PATCH /__admin/vendors/{id}/settings`: a partial object of switches.
async fn patch_settings(
    admin: Admin,
    id: web::Path<String>,
    query: web::Query<SandboxQuery>,
    body: Bytes,
) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let patch: Value = required_json(&body)?;
    if !patch.is_object() {
        return Err(AdminError::bad_request("settings patch must be a JSON object"));
    }
    // A seed count may reseed a vendor with up to 100,000 records: seconds of work kept off the
    // async worker, so the other connections it serves (health probes) are not held up.
    let (store, this_server) = (std::sync::Arc::clone(store(&sandbox, &id)?), admin.this_server);
    let updated = web::block(move || store.update_settings(&patch, &this_server))
        .await
        .map_err(|e| AdminError::internal(e.to_string()))??;
    Ok(HttpResponse::Ok().json(updated))
}

/// `POST /__admin/vendors/{id}/{action}`: vendor-specific operations (minting tokens, simulating
/// a signup); an action that calls the client makes that call here, journaled, then finishes.
async fn vendor_action(
    req: HttpRequest,
    admin: Admin,
    path: web::Path<(String, String)>,
    query: web::Query<SandboxQuery>,
    body: Bytes,
) -> AdminResult {
    let (id, action) = path.into_inner();
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let body: Value = if body.is_empty() { json!({}) } else { required_json(&body)? };
    let answer = match store(&sandbox, &id)?.admin_action(&action, &body, sandbox.clock.now())? {
        ActionOutcome::Done(answer) => answer,
        ActionOutcome::Guarded { urls, then } => match urls.iter().find_map(|u| admin.this_server.check_url(u).err()) {
            Some(reason) => return Err(AdminError::bad_request(reason)),
            None => then()?,
        },
        ActionOutcome::Call { call, finish } => {
            if let Some(reason) = outbound::hop_refusal(req.headers()) {
                tracing::warn!(vendor = call.vendor, url = %call.url, "outbound call skipped: {reason}");
                return Ok(HttpResponse::Ok().json(finish(&OutboundResult::Refused(reason), sandbox.clock.now())));
            }
            let request_id = req.extensions().get::<RequestId>().map(|id| id.0.clone());
            let result = outbound::send(
                &call,
                (&sandbox.clock, &sandbox.journal),
                request_id.unwrap_or(HeaderValue::from_static("")),
                (&admin.outbound_trust, &admin.this_server),
            )
            .await;
            finish(&result, sandbox.clock.now())
        }
    };
    Ok(HttpResponse::Ok().json(answer))
}

/// `GET /__admin/requests`: the journal, newest last.
async fn requests(admin: Admin, filter: web::Query<JournalFilter>) -> AdminResult {
    let sandbox = sandbox(&admin, filter.sandbox.as_deref())?;
    filter.check().map_err(AdminError::bad_request)?;
    if let Some(path) = &filter.path {
        check_glob("path", path).map_err(AdminError::bad_request)?;
    }
    Ok(HttpResponse::Ok().json(sandbox.journal.entries(&filter)))
}

/// `DELETE /__admin/requests`.
async fn clear_requests(admin: Admin, query: web::Query<SandboxQuery>) -> AdminResult {
    sandbox(&admin, query.sandbox.as_deref())?.journal.clear();
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /__admin/sandboxes`.
async fn list_sandboxes(admin: Admin) -> AdminResult {
    let list: Vec<Value> = admin.registry.all().iter().map(|s| describe(s)).collect();
    Ok(HttpResponse::Ok().json(list))
}

/// `POST /__admin/sandboxes`: 201 with the new sandbox, seeded, made from a snapshot or a copy
/// of another sandbox (`from`).
async fn create_sandbox(admin: Admin, req: HttpRequest, body: web::Payload) -> AdminResult {
    // A snapshot may come along: read under the snapshot limit and budget, off the worker.
    let body = document::read_body(&req, body, admin.snapshot_limit).await?;
    // Any sandbox serves the same vendors: the default one checks the snapshot's parts.
    let checker = sandbox(&admin, None).ok();
    let request: CreateSandbox = document::parse(body, move |text| match checker {
        Some(checker) => document::check_create_request(&checker, text),
        None => Ok(()),
    })
    .await?;
    if request.from.is_some() || request.at.is_some() {
        let from = fork::source(&request)?;
        if let Some(at) = &request.at {
            return keep::rewind(&admin, &request.name, from, at).await;
        }
        return created_answer(fork::create(&admin, from, &request.name).await?, &request.name);
    }
    let created = match (request.seed, request.snapshot) {
        (Some(_), Some(_)) => {
            return Err(AdminError::bad_request("give a seed or a snapshot (which has its own seed), not both"));
        }
        (_, Some(document::Document(document))) => {
            let registry = admin.registry.clone();
            let name = request.name.clone();
            let created = web::block(move || {
                registry.create_with(&name, |name, setup| crate::snapshot::sandbox_from(name, document, setup))
            })
            .await
            .map_err(|e| AdminError::internal(e.to_string()))?;
            match created {
                Err(SnapshotRefused::Document(problem)) => return Err(AdminError::invalid_snapshot(&problem)),
                Err(SnapshotRefused::Registry(error)) => Err(error),
                Ok(created) => Ok(created),
            }
        }
        (Some(seed), None) => admin.registry.create(&request.name, seed),
        (None, None) => admin.registry.create(&request.name, sandbox(&admin, None)?.seed()),
    };
    created_answer(created, &request.name)
}

/// `GET /__admin/sandboxes/{name}`.
async fn get_sandbox(admin: Admin, name: web::Path<String>) -> AdminResult {
    Ok(HttpResponse::Ok().json(describe(&*sandbox(&admin, Some(&name))?)))
}

/// `DELETE /__admin/sandboxes/{name}`.
async fn delete_sandbox(admin: Admin, name: web::Path<String>) -> AdminResult {
    match admin.registry.delete(&name) {
        Ok(()) => Ok(HttpResponse::NoContent().finish()),
        Err(RegistryError::DefaultIsPermanent) => Err(AdminError::bad_request("the default sandbox cannot be deleted")),
        Err(_) => Err(AdminError::unknown_sandbox(&name)),
    }
}

/// `GET /__admin/clock`.
async fn clock(admin: Admin, query: web::Query<SandboxQuery>) -> AdminResult {
    Ok(HttpResponse::Ok().json(clock_view(&*sandbox(&admin, query.sandbox.as_deref())?)))
}

/// `POST /__admin/clock`: `frozen`, `set`, `advance_seconds`, applied in that order.
async fn set_clock(admin: Admin, query: web::Query<SandboxQuery>, body: Bytes) -> AdminResult {
    let sandbox = sandbox(&admin, query.sandbox.as_deref())?;
    let request: ClockRequest = required_json(&body)?;
    if request.set.is_none() && request.advance_seconds.is_none() && request.frozen.is_none() {
        return Err(AdminError::bad_request("give one of set, advance_seconds, frozen"));
    }
    let set = match &request.set {
        Some(text) => Some(
            DateTime::parse_from_rfc3339(text)
                .map_err(|e| AdminError::bad_request(format!("set: not an RFC 3339 time ({e})")))?
                .with_timezone(&Utc),
        ),
        None => None,
    };
    let advance = match request.advance_seconds {
        Some(seconds) if seconds < 0 => {
            return Err(AdminError::bad_request("advance_seconds must be >= 0; use set to go back"));
        }
        Some(seconds) => Some(
            Duration::try_seconds(seconds).ok_or_else(|| AdminError::bad_request("advance_seconds is out of range"))?,
        ),
        None => None,
    };
    // Freezing first makes `{"set": t, "frozen": true}` stop exactly at t; all or nothing.
    let change = ClockChange { frozen: request.frozen, set, advance };
    sandbox.clock.apply(change).map_err(|e| AdminError::bad_request(e.to_string()))?;
    // The workforce events due in the interval happen before the answer (nothing when unused),
    // off the async worker: 18 months of 100,000 people is seconds of work.
    if sandbox.workforce.is_live() {
        let moving = std::sync::Arc::clone(&sandbox);
        web::block(move || moving.workforce_catch_up()).await.map_err(|e| AdminError::internal(e.to_string()))?;
    }
    // Then the outbound deliveries due by the new time, each at its own sandbox time.
    sandbox.deliver_due(&admin.outbound_trust, &admin.this_server).await;
    Ok(HttpResponse::Ok().json(clock_view(&sandbox)))
}

/// The app's last service: every path under no vendor prefix and not under `/__admin` gets
/// the admin API's 404 naming the prefixes (after the pipeline's steps 1 to 3, as every path).
pub fn fallback(front: Front) -> impl HttpServiceFactory {
    web::scope("")
        .wrap(from_fn(move |req, next| front::walk(front, req, next)))
        .default_service(web::to(unknown_prefix))
}

/// A path under no vendor prefix and not under `/__admin`.
async fn unknown_prefix(admin: Admin, req: HttpRequest) -> AdminResult {
    let prefixes = admin.registry.vendors().iter().map(|v| format!("/{}", v.id())).collect();
    Err(AdminError::unknown_prefix(req.path(), prefixes))
}

fn clock_view(sandbox: &Sandbox) -> Value {
    json!({
        "now": sandbox.clock.now().to_rfc3339_opts(SecondsFormat::Millis, true),
        "frozen": sandbox.clock.is_frozen(),
    })
}
