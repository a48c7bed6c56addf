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

/// `req-00000042`: written by hand because this runs on every request.
fn header_value(n: u64) -> HeaderValue {
    let mut digits = [b'0'; 20];
    let mut rest = n;
    let mut start = digits.len();
    while rest > 0 || digits.len() - start < 8 {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let mut text = Vec::with_capacity(4 + digits.len() - start);
    text.extend_from_slice(b"req-");
    text.extend_from_slice(&digits[start..]);
    // ASCII letters, a dash and digits are always a valid header value.
    HeaderValue::from_maybe_shared(bytes::Bytes::from(text)).unwrap_or(HeaderValue::from_static("req"))
}

/// Names the request: its id goes in the request's extensions (for the journal) and comes back
/// to be put on the response by [`stamp`].
pub fn name(req: &ServiceRequest) -> HeaderValue {
    let value = header_value(NEXT.fetch_add(1, Ordering::Relaxed));
    req.extensions_mut().insert(RequestId(value.clone()));
    value
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
    }
}
