//! Steps 1 to 3 of the pipeline around whatever answers: the admin API and the fallback wear
//! them as one middleware ([`walk`]); a vendor's pipeline runs them inline ([`around`]), since
//! each layer of actix middleware boxes a future and a call per request.

use crate::pipeline::{body_deadline, forwarded, request_id};
use actix_web::Error;
use actix_web::HttpResponse;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderValue;
use actix_web::middleware::Next;
use std::future::Future;
use std::time::Duration;

/// What the app-wide steps need from the settings.
#[derive(Clone, Copy)]
pub struct Front {
    /// `--trust-forwarded`.
    pub trust_forwarded: bool,
    /// `--body-timeout`.
    pub body_timeout: Duration,
    /// The admin API's 408 for a late admin body (startup hands it over).
    pub late_admin_body: fn(String) -> HttpResponse,
}

/// The middleware: the steps around the next service, which reads the request's id from the
/// request's extensions.
pub async fn walk(front: Front, req: ServiceRequest, next: Next<BoxBody>) -> Result<ServiceResponse<BoxBody>, Error> {
    around(front, req, |req, id| {
        request_id::mark(&req, &id);
        next.call(req)
    })
    .await
}

/// Names the request, drops untrusted forwarding headers, puts the deadline on its body, lets
/// `answer` answer (given the request's id); then stamps the id on the answer (a 408 if the
/// deadline cut the body).
pub async fn around<F, A>(front: Front, mut req: ServiceRequest, answer: A) -> Result<ServiceResponse<BoxBody>, Error>
where
    A: FnOnce(ServiceRequest, HeaderValue) -> F,
    F: Future<Output = Result<ServiceResponse<BoxBody>, Error>>,
{
    let id = request_id::next();
    forwarded::strip_unless_trusted(front.trust_forwarded, &mut req);
    let expired = body_deadline::arm(front.body_timeout, &mut req);
    let mut res = answer(req, id.clone()).await?;
    if let Some(expired) = expired {
        res = body_deadline::answer(front.body_timeout, front.late_admin_body, &expired, res);
    }
    request_id::stamp(&mut res, id);
    Ok(res)
}
