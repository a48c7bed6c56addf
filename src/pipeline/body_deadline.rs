//! No request body read lasts forever: every body (vendor and admin routes alike) must arrive
//! whole within `--body-timeout` of its headers. Past it the read fails, the answer is 408 and
//! the connection is closed, whatever the handler made of the failed read.
//!
//! actix cuts slow headers (after 5 s) but waits for a body as long as bytes trickle in: a
//! client sending one byte a second held its connection and a worker's buffer indefinitely.

use actix_web::body::BoxBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::ConnectionType;
use actix_web::http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
use actix_web::rt::time::{Sleep, sleep};
use actix_web::{HttpMessage, HttpResponse};
use bytes::Bytes;
use futures_util::Stream;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

/// Puts a deadline on the request's body (three small allocations) and returns the flag the
/// deadline sets when it cuts the body; a request without a body passes untouched (`None`).
pub fn arm(timeout: Duration, req: &mut ServiceRequest) -> Option<Rc<Cell<bool>>> {
    let declared = req.headers().get(CONTENT_LENGTH).map(|v| v.as_bytes() != b"0");
    if !declared.unwrap_or_else(|| req.headers().contains_key(TRANSFER_ENCODING)) {
        return None;
    }
    let expired = Rc::new(Cell::new(false));
    let body = Deadline { inner: req.take_payload(), sleep: Box::pin(sleep(timeout)), expired: Rc::clone(&expired) };
    req.set_payload(Payload::Stream { payload: Box::pin(body) });
    Some(expired)
}

/// The answer once the handler is done: the handler's own, unless the deadline cut the body;
/// then a 408 that closes the connection. `admin_answer` makes the admin API's 408 from the
/// message (startup hands it over, so the pipeline does not import the admin API).
pub fn answer(
    timeout: Duration,
    admin_answer: fn(String) -> HttpResponse,
    expired: &Cell<bool>,
    res: ServiceResponse<BoxBody>,
) -> ServiceResponse<BoxBody> {
    if !expired.get() {
        return res;
    }
    let message = format!("the request body did not arrive within {} s (--body-timeout)", timeout.as_secs());
    // Divergence: a vendor's own framework never sees a slow body (its front proxy does); the
    // answer is the proxy's, an empty 408, and the admin API's in its own shape.
    let mut answer = if res.request().path().starts_with("/__admin") {
        admin_answer(message)
    } else {
        HttpResponse::RequestTimeout().finish()
    };
    // The rest of the body is still on the wire: the connection cannot carry another request.
    answer.head_mut().set_connection_type(ConnectionType::Close);
    res.into_response(answer)
}

/// A request body that fails once its deadline passes.
struct Deadline {
    inner: Payload,
    sleep: Pin<Box<Sleep>>,
    /// Set when the deadline cut the body (read by the middleware after the handler).
    expired: Rc<Cell<bool>>,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.expired.get() {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            self.expired.set(true);
            let timed_out = std::io::Error::new(std::io::ErrorKind::TimedOut, "request body timed out");
            return Poll::Ready(Some(Err(PayloadError::Io(timed_out))));
        }
        Poll::Pending
    }
}
