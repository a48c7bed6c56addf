//! The app-wide steps 1 to 3 of the pipeline as one middleware: each layer of actix middleware
//! boxes a future and a call per request, so the three steps run in sequence inside one.

use crate::pipeline::{body_deadline, forwarded, request_id};
use actix_web::Error;
use actix_web::HttpResponse;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
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

/// The middleware: names the request, drops untrusted forwarding headers, puts the deadline on
/// its body; then stamps the id on the answer (a 408 if the deadline cut the body).
pub async fn walk(
    front: Front,
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = request_id::name(&req);
    forwarded::strip_unless_trusted(front.trust_forwarded, &mut req);
    let expired = body_deadline::arm(front.body_timeout, &mut req);
    let mut res = next.call(req).await?;
    if let Some(expired) = expired {
        res = body_deadline::answer(front.body_timeout, front.late_admin_body, &expired, res);
    }
    request_id::stamp(&mut res, id);
    Ok(res)
}
