//! How a vendor is mounted: its routes under a prefix, behind one pipeline that resolves the
//! sandbox, buffers and bounds the body, renders every error in the vendor's format and
//! journals the exchange. Vendors never see any of this.

use crate::common::error::{ApiError, ErrorKind};
use crate::durable::Durable;
use crate::journal::{self, Answer, JournalEntry};
use crate::pipeline::front::{self, Front};
use crate::pipeline::{body, panic_net};
use crate::sandbox::{Addressed, DEFAULT_SANDBOX, Sandbox, SandboxRegistry};
use crate::scenario::Action;
use crate::scenario::matcher::RequestFacts;
use crate::vendor::Vendor;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{HttpServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, PathError, PayloadError, QueryPayloadError, UrlencodedError};
use actix_web::http::header::{CONTENT_TYPE, DATE, HeaderName, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{Error, HttpMessage, HttpResponse, web};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a vendor's pipeline needs: the vendor, the sandboxes, the body limit.
#[derive(Clone)]
pub struct Mount {
    /// The vendor served under this scope.
    pub vendor: Arc<dyn Vendor>,
    /// Where the addressed sandbox is looked up.
    pub registry: Arc<SandboxRegistry>,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Whether every answered request gets an info log line.
    pub access_log: bool,
    /// The answer to a sandbox name that is not registered. Startup hands over the admin API's
    /// 404 `unknown_sandbox`, so the pipeline does not import the admin API.
    pub unknown_sandbox: fn(&str) -> HttpResponse,
    /// Where state is kept (`--state-dir`): a change is kept before its answer goes.
    pub durable: Option<Arc<Durable>>,
    /// Steps 1 to 3 (request id, body deadline, forwarding headers), run inline.
    pub front: Front,
}

/// The vendor's scope for the `default` sandbox (`/<id>`) and for named ones.
pub fn scopes(mount: &Mount) -> [impl HttpServiceFactory + use<>; 2] {
    let id = mount.vendor.id();
    [scope(format!("/{id}"), mount.clone()), scope(format!("/sandboxes/{{sandbox}}/{id}"), mount.clone())]
}

fn scope(path: String, mount: Mount) -> impl HttpServiceFactory {
    let vendor = Arc::clone(&mount.vendor);
    // One reference count per request, not one per shared part of the mount.
    let mount = Arc::new(mount);
    web::scope(&path).configure(|cfg| vendor.configure(cfg)).default_service(web::to(route_not_found)).wrap(from_fn(
        move |req, next| {
            let mount = Arc::clone(&mount);
            // Boxed: inline, the pipeline's large future was copied whole on every move.
            front::around(mount.front, req, move |req, id| Box::pin(pipeline(mount, id, req, next)))
        },
    ))
}

async fn route_not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(ErrorKind::RouteNotFound))
}

async fn pipeline(
    mount: Arc<Mount>,
    id: HeaderValue,
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let named = take_sandbox_segment(&mut req);
    let sandbox_name = named.as_deref().unwrap_or(DEFAULT_SANDBOX);
    // Divergence: no vendor is addressed under an unknown sandbox, so the admin shape answers.
    let Some(sandbox) = mount.registry.get(sandbox_name) else {
        let answer = (mount.unknown_sandbox)(sandbox_name);
        return Ok(req.into_response(answer));
    };
    // The journal shows paths relative to the prefix the client used.
    let prefix_len = named.as_ref().map_or(0, |name| "/sandboxes/".len() + name.len()) + 1 + mount.vendor.id().len();
    // Boxed, as the answer's future is: together they stay under the allocator's per-thread
    // cache size and are cheap to move.
    let mut entry = Box::new(journal_entry(&req, id, &sandbox, mount.vendor.id(), prefix_len));
    let ticket = mount.durable.as_ref().map_or(0, |durable| durable.ticket());
    // `broken`: a fault took the connection down, so the client never sees a status.
    let (answered, broken) =
        match panic_net::catch(Box::pin(answer(&mount, &sandbox, &mut entry, prefix_len, req, next))).await {
            Ok(answered) => answered,
            Err(message) => {
                mount.registry.note_panic();
                (Ok(panic_net::vendor_500(message, &sandbox, &mut entry)), false)
            }
        };
    let res = match answered {
        Ok(res) => res,
        // Routing and handlers answer their own errors, so an `Err` can only come from a
        // middleware; it is still journaled.
        Err(err) => {
            entry.status = err.as_response_error().status_code().as_u16();
            sandbox.journal.record(*entry);
            return Err(err);
        }
    };
    // Before rendering, while the handler's own error is still on the response.
    entry.unmatched = entry.scenario.is_none() && reached_no_operation(&res);
    let mut res = render_errors(mount.vendor.as_ref(), res);
    if let Some(durable) = &mount.durable
        && let Err(err) = Box::pin(durable.keep(ticket, &sandbox)).await
    {
        let refused = mount.vendor.render(&err, res.request());
        res = res.into_response(refused.map_into_boxed_body());
    }
    // After rendering, which replaces the response of an injected error.
    if let Some(label) = entry.scenario.as_deref().and_then(|label| HeaderValue::from_str(label).ok()) {
        res.headers_mut().insert(SCENARIO_HEADER, label);
    }
    // The `Date` header is on the sandbox clock, like every timestamp in the bodies, so a client
    // comparing it with `expires_at` after a clock change sees the same time.
    if !res.headers().contains_key(DATE) {
        res.headers_mut().insert(DATE, date_header(sandbox.clock.now()));
    }
    entry.status = if broken { 0 } else { res.status().as_u16() };
    let res = if sandbox.journal.keeps_entries() { keep_answer(res, &mut entry) } else { res };
    entry.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    if mount.access_log {
        access_line(&sandbox, &entry);
    }
    sandbox.journal.record(*entry);
    Ok(res)
}

/// One info line per answered request (`--access-log`), for CI logs.
fn access_line(sandbox: &Sandbox, entry: &JournalEntry) {
    tracing::info!(
        target: "access",
        sandbox = sandbox.name(),
        vendor = entry.vendor,
        method = %entry.method,
        path = entry.path(),
        status = entry.status,
        duration_ms = (entry.duration_ms * 1000.0).round() / 1000.0,
        scenario = entry.scenario.as_deref().unwrap_or("-"),
        "answered"
    );
}

/// RFC 9110's IMF-fixdate (`Wed, 02 Dec 2026 07:15:47 GMT`) of `now`. Formatted once per second
/// per worker (as actix caches its own), so the hot path clones a ready value.
fn date_header(now: DateTime<Utc>) -> HeaderValue {
    thread_local! {
        static LAST: std::cell::RefCell<(i64, HeaderValue)> =
            const { std::cell::RefCell::new((i64::MIN, HeaderValue::from_static(""))) };
    }
    LAST.with_borrow_mut(|(second, value)| {
        if *second != now.timestamp() {
            let text = now.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
            *value = HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static(""));
            *second = now.timestamp();
        }
        value.clone()
    })
}

/// Buffers the body, consults the scenario engine and lets the rule or the vendor answer.
///
/// The common path (no body, no rule) awaits only the vendor's own (boxed) future: the body
/// stream, a rule's delay and its action are boxed apart, so the pipeline's future, allocated
/// per request, stays small enough for the allocator's per-thread cache and cheap to move.
async fn answer(
    mount: &Mount,
    sandbox: &Arc<Sandbox>,
    entry: &mut JournalEntry,
    prefix_len: usize,
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> (Result<ServiceResponse<BoxBody>, Error>, bool) {
    // First, so even a body-limit error is rendered on the sandbox's clock (Spring's timestamp).
    req.extensions_mut().insert(Addressed {
        sandbox: Arc::clone(sandbox),
        vendor: mount.vendor.id(),
        body: Bytes::new(),
    });
    let body = match body::declared(&mut req, mount.body_limit) {
        body::Declared::None => Bytes::new(),
        body::Declared::TooLarge => return (Ok(req.error_response(body::too_large(mount.body_limit))), false),
        body::Declared::Stream => match Box::pin(body::buffer(&mut req, mount.body_limit)).await {
            Ok(body) => body,
            Err(err) => return (Ok(req.error_response(err)), false),
        },
    };
    if !body.is_empty()
        && let Some(addressed) = req.extensions_mut().get_mut::<Addressed>()
    {
        addressed.body = body.clone();
    }
    let decision = sandbox.scenarios.decide(&facts(&req, mount.vendor.id(), prefix_len, &body), &sandbox.clock);
    if sandbox.journal.keeps_entries() {
        entry.keep_body(&body);
    }
    let Some(decision) = decision else {
        if let Err(err) = mount.vendor.filter(req.request()) {
            return (Ok(req.error_response(err)), false);
        }
        return (next.call(req).await, false);
    };
    tracing::info!(scenario = %decision.label, method = %req.method(), path = %req.path(), "scenario rule fired");
    entry.scenario = Some(decision.label);
    let broken = matches!(decision.action, Action::Fault(f) if f.breaks_connection());
    (Box::pin(apply(decision.delay, decision.action, req, next)).await, broken)
}

/// Reads the `{sandbox}` segment of a named sandbox's prefix and removes it from the match
/// info, so a vendor's own path parameters (`web::Path<String>`, positional tuples) see exactly
/// what they see under the bare prefix.
fn take_sandbox_segment(req: &mut ServiceRequest) -> Option<String> {
    let name = req.match_info().get("sandbox").map(str::to_owned)?;
    let info = req.match_info_mut();
    let consumed = info.as_str().len() - info.unprocessed().len();
    info.reset();
    // The prefix is `/sandboxes/<name ≤ 64>/<vendor id>`, far below u16::MAX.
    info.skip(u16::try_from(consumed).unwrap_or(u16::MAX));
    Some(name)
}

/// The response header naming the scenario rule that shaped a response.
pub const SCENARIO_HEADER: HeaderName = HeaderName::from_static("x-sandbox-scenario");

/// What the scenario engine sees of a request: the path the router matched (percent-decoded,
/// so `/%63hiefonboarding/...` is the request `/chiefonboarding/...` is), relative to the prefix.
fn facts<'a>(req: &'a ServiceRequest, vendor: &'a str, prefix_len: usize, body: &'a [u8]) -> RequestFacts<'a> {
    let path = routed_path(req).get(prefix_len..).unwrap_or("");
    RequestFacts::new(vendor, req.method(), path, req.query_string(), req.headers(), body)
}

/// The path as the router saw it: percent-decoded except `%2F`, `%25` and `%2B`. The same
/// string as the URI's path (no copy) unless the client percent-encoded something.
fn routed_path(req: &ServiceRequest) -> &str {
    req.match_info().as_str()
}

/// Carries out a firing rule's action after its delay; errors come back as error responses for
/// the renderer.
async fn apply(
    delay: Option<Duration>,
    action: Action,
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if let Some(delay) = delay {
        actix_web::rt::time::sleep(delay).await;
    }
    match action {
        Action::Pass => next.call(req).await,
        Action::ItemError(item) => {
            req.extensions_mut().insert(item);
            next.call(req).await
        }
        Action::Error(err) => Ok(req.error_response(err)),
        Action::Fault(fault) => fault.act(req, next).await,
        Action::Response { status, headers, body, json } => {
            let mut response = HttpResponse::build(status);
            if json {
                response.insert_header((CONTENT_TYPE, HeaderValue::from_static("application/json")));
            }
            for (name, value) in headers {
                response.insert_header((name, value));
            }
            Ok(req.into_response(response.body(body)))
        }
    }
}

/// Whether the vendor answered that no emulated operation exists: an unknown route, or a known
/// one with another method.
fn reached_no_operation(res: &ServiceResponse<BoxBody>) -> bool {
    let kind = res.response().error().and_then(|e| e.as_error::<ApiError>()).map(|e| e.kind);
    matches!(kind, Some(ErrorKind::RouteNotFound | ErrorKind::MethodNotAllowed))
}

/// Replaces any error response (handler, extractor, routing) with the vendor's rendering of it.
fn render_errors(vendor: &dyn Vendor, res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let Some(err) = res.response().error() else { return res };
    let api_error = to_api_error(err);
    let rendered = vendor.render(&api_error, res.request());
    res.into_response(rendered.map_into_boxed_body())
}

/// Maps actix's own errors (extractors, routing) onto the vendor-neutral kinds.
fn to_api_error(err: &Error) -> ApiError {
    if let Some(api_error) = err.as_error::<ApiError>() {
        return api_error.clone();
    }
    let message = err.to_string();
    let kind = if let Some(json) = err.as_error::<JsonPayloadError>() {
        match json {
            JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
                ErrorKind::PayloadTooLarge
            }
            JsonPayloadError::ContentType => ErrorKind::UnsupportedMediaType,
            _ => ErrorKind::MalformedBody,
        }
    } else if let Some(form) = err.as_error::<UrlencodedError>() {
        match form {
            UrlencodedError::Overflow { .. } => ErrorKind::PayloadTooLarge,
            UrlencodedError::ContentType => ErrorKind::UnsupportedMediaType,
            _ => ErrorKind::MalformedBody,
        }
    } else if err.as_error::<QueryPayloadError>().is_some() || err.as_error::<PayloadError>().is_some() {
        ErrorKind::BadRequest
    } else if err.as_error::<PathError>().is_some() {
        ErrorKind::RouteNotFound
    } else {
        match err.as_response_error().status_code().as_u16() {
            404 => ErrorKind::RouteNotFound,
            405 => ErrorKind::MethodNotAllowed,
            413 => ErrorKind::PayloadTooLarge,
            415 => ErrorKind::UnsupportedMediaType,
            400 => ErrorKind::BadRequest,
            _ => ErrorKind::Internal,
        }
    };
    ApiError::with_message(kind, message)
}

fn journal_entry(
    req: &ServiceRequest,
    request_id: HeaderValue,
    sandbox: &Sandbox,
    vendor: &'static str,
    prefix_len: usize,
) -> JournalEntry {
    // `--journal-limit 0` keeps no entry: the copies would be thrown away.
    let (headers, headers_cut) =
        if sandbox.journal.keeps_entries() { journal::keep_headers(req.headers()) } else { Default::default() };
    let (uri, uri_cut) = journal::keep_uri(req.uri());
    // Only a percent-encoded path costs a copy; the prefix length counts in the routed path.
    let decoded_path = journal::keep_decoded_path(routed_path(req), req.uri().path());
    JournalEntry {
        seq: 0,
        request_id,
        at: sandbox.clock.now(),
        direction: "inbound",
        vendor,
        method: req.method().clone(),
        uri,
        decoded_path,
        prefix_len,
        headers,
        cut: journal::Cut { uri: uri_cut, headers: headers_cut },
        body: Bytes::new(),
        body_len: 0,
        status: 0,
        duration_ms: 0.0,
        scenario: None,
        panic: None,
        unmatched: false,
        answer: None,
        outcome: None,
    }
}

/// The response as the journal keeps it; a body already in memory is seen without copying the
/// response (a streamed one is left alone and shown as streamed).
fn keep_answer(res: ServiceResponse<BoxBody>, entry: &mut JournalEntry) -> ServiceResponse<BoxBody> {
    let mut kept = None;
    let res = res.map_body(|head, body| match body.try_into_bytes() {
        Ok(bytes) => {
            kept = Some(Answer::keep(&head.headers, Some(&bytes)));
            BoxBody::new(bytes)
        }
        Err(body) => {
            kept = Some(Answer::keep(&head.headers, None));
            body
        }
    });
    entry.answer = kept.map(Box::new);
    res
}
