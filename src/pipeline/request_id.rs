//! `x-sandbox-request-id` on every response, from a process-wide counter.

use actix_web::HttpMessage;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use std::sync::atomic::{AtomicU64, Ordering};

/// The response header naming the request.
pub const HEADER: HeaderName = HeaderName::from_static("x-sandbox-request-id");

static NEXT: AtomicU64 = AtomicU64::new(1);

/// The id of the request being answered, in the request's extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub HeaderValue);

/// `req-00000042` in a buffer of its own, formatted by hand because this runs on every request.
struct Text {
    bytes: [u8; 24],
    start: usize,
}

impl AsRef<[u8]> for Text {
    fn as_ref(&self) -> &[u8] {
        &self.bytes[self.start..]
    }
}

fn header_value(n: u64) -> HeaderValue {
    let mut bytes = [b'0'; 24];
    let mut rest = n;
    let mut start = bytes.len();
    while rest > 0 || bytes.len() - start < 8 {
        start -= 1;
        bytes[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    start -= 4;
    bytes[start..start + 4].copy_from_slice(b"req-");
    // One allocation whose clones (response, journal, outbound calls) only count references:
    // a `Bytes` made from a `Vec` allocates again on its first clone.
    let text = bytes::Bytes::from_owner(Text { bytes, start });
    // ASCII letters, a dash and digits are always a valid header value.
    HeaderValue::from_maybe_shared(text).unwrap_or(HeaderValue::from_static("req"))
}

/// The next request's id (the journal keeps a clone; [`stamp`] puts it on the response).
pub fn next() -> HeaderValue {
    header_value(NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Puts the request's id in its extensions, for handlers that read it (the admin API's).
pub fn mark(req: &ServiceRequest, id: &HeaderValue) {
    req.extensions_mut().insert(RequestId(id.clone()));
}

/// Puts the request's id on its response.
pub fn stamp<B>(res: &mut ServiceResponse<B>, value: HeaderValue) {
    res.headers_mut().insert(HEADER, value);
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_value_pads_to_eight_digits() {
        assert_eq!(super::header_value(42), "req-00000042");
        assert_eq!(super::header_value(123_456_789), "req-123456789");
        assert_eq!(super::header_value(u64::MAX), "req-18446744073709551615");
    }
}
