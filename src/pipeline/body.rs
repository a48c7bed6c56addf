//! The request's body, read once by the pipeline (bounded by `--body-limit`) for the journal,
//! the scenario matchers and the handler's [`Body`](crate::sandbox::Body).

use crate::common::error::{ApiError, ErrorKind};
use actix_web::HttpMessage;
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;

/// What the request's head says of its body.
pub enum Declared {
    /// No body: `Content-Length: 0`, or neither a length nor `Transfer-Encoding`.
    None,
    /// A declared length over the limit.
    TooLarge,
    /// A body to read.
    Stream,
}

/// Reads the head; with no body, leaves no payload behind either.
pub fn declared(req: &mut ServiceRequest, limit: usize) -> Declared {
    let declared = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    // HTTP/1.1 has a body only with Content-Length or Transfer-Encoding.
    if declared == Some(0) || (declared.is_none() && !req.headers().contains_key(TRANSFER_ENCODING)) {
        // What actix still streams then is no body: after a CONNECT it is the tunnel, which a
        // reader of the payload would wait on until the client half-closes. (No allocation.)
        req.set_payload(Payload::None);
        return Declared::None;
    }
    if declared.is_some_and(|len| len > limit) { Declared::TooLarge } else { Declared::Stream }
}

/// Reads the whole body (bounded) so the journal, the matchers and the handler's [`Body`] see
/// it, then puts it back.
///
/// [`Body`]: crate::sandbox::Body
pub async fn buffer(req: &mut ServiceRequest, limit: usize) -> Result<Bytes, ApiError> {
    let mut payload = req.take_payload();
    let mut buf = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::with_message(ErrorKind::BadRequest, e.to_string()))?;
        if buf.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        buf.extend_from_slice(&chunk);
    }
    let body = buf.freeze();
    req.set_payload(Payload::from(body.clone()));
    Ok(body)
}

/// The vendor-neutral 413 for a body over `limit`.
pub fn too_large(limit: usize) -> ApiError {
    ApiError::with_message(ErrorKind::PayloadTooLarge, format!("Request body exceeds the limit of {limit} bytes."))
}
