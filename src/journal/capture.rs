//! What a journal entry keeps of a request and its answer: each part cut to a fixed size
//! (body, URI, headers), copied so that no request buffer stays alive, and marked where cut.

use actix_web::http::Uri;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use bytes::{Bytes, BytesMut};

/// Request bodies longer than this are cut in the journal (the request itself is not).
pub const BODY_LIMIT: usize = 8 * 1024;

/// Request headers kept per entry (the first ones, in the order sent), so a verification can
/// match any header a client sends; a value longer than [`HEADER_VALUE_LIMIT`] is cut.
pub const MAX_RECORDED_HEADERS: usize = 32;
/// Bytes of one kept header value (a longer one is cut, and the entry marked).
pub const HEADER_VALUE_LIMIT: usize = 4096;
/// Bytes of request header names and values kept per entry; the headers past it are not kept
/// (the entry is marked).
pub const HEADERS_LIMIT: usize = 16 * 1024;
/// Bytes of the request URI kept (a longer one is cut, and the entry marked).
pub const URI_LIMIT: usize = 8 * 1024;
/// Default byte budget of one sandbox's journal (`--journal-bytes`).
pub const DEFAULT_BYTES: usize = 16 * 1024 * 1024;
/// What the budget counts for one entry at most: its fixed parts, the cut URI, request headers
/// and body, its decoded path, and an answer's headers (the server's own, at most [`MAX_RECORDED_HEADERS`]) and cut body.
pub const MAX_ENTRY_BYTES: usize = ENTRY_OVERHEAD
    + URI_LIMIT
    + URI_LIMIT
    + HEADERS_LIMIT
    + MAX_RECORDED_HEADERS * HEADER_OVERHEAD
    + BODY_LIMIT
    + ANSWER_HEADERS_LIMIT
    + BODY_LIMIT;
/// Bytes of answer header names and values kept per entry (the sandbox's own headers, and a
/// scenario's).
const ANSWER_HEADERS_LIMIT: usize = 16 * 1024;
/// An entry's fixed parts (the struct, its boxed answer, a scenario label, a request id).
pub(super) const ENTRY_OVERHEAD: usize = 512;
/// A kept header's own parts, beside its name and value bytes.
pub(super) const HEADER_OVERHEAD: usize = 2 * std::mem::size_of::<HeaderValue>();

/// What of a journaled request was cut (shown as `"uri_truncated"`, `"headers_truncated"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cut {
    /// The URI was longer than [`URI_LIMIT`].
    pub uri: bool,
    /// A header value was longer than [`HEADER_VALUE_LIMIT`], or headers were left out (past
    /// [`MAX_RECORDED_HEADERS`] or [`HEADERS_LIMIT`]).
    pub headers: bool,
}

/// The answer to a journaled request: its first headers and the start of its body, copied.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// The recorded headers (see [`keep_headers`]); none for an outbound call's answer.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The first [`BODY_LIMIT`] bytes of the body.
    pub body: Bytes,
    /// The whole body's length; `None` when it was streamed and not seen.
    pub body_len: Option<usize>,
    /// The whole body's buffer when `body` is a view of its start rather than a copy: the
    /// journal charges that buffer once, however many entries keep it alive.
    pub(super) shares: Option<Shared>,
}

/// A body buffer kept alive by a view of its start: its address (what tells two entries share
/// it) and its length (what keeping it costs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shared {
    pub at: usize,
    pub len: usize,
}

impl Answer {
    /// An answer with these headers and body (`None`: a streamed body, not seen). The answer's
    /// own parts are shared, not copied (its headers are the server's values, its body a
    /// refcounted buffer); a body past [`BODY_LIMIT`] is kept as a view of its start, which
    /// keeps the whole buffer alive: the journal charges it once, or copies the start when the
    /// buffer is large for its budget (see `Journal::record`). A list page answered from a
    /// kept body is then neither copied nor counted once per request.
    pub fn keep(headers: &HeaderMap, body: Option<&Bytes>) -> Self {
        let mut room = ANSWER_HEADERS_LIMIT;
        let mut kept = Vec::with_capacity(headers.len().min(MAX_RECORDED_HEADERS));
        for (name, value) in headers.iter().take(MAX_RECORDED_HEADERS) {
            let size = name.as_str().len() + value.len();
            if size > room {
                break;
            }
            room -= size;
            kept.push((name.clone(), value.clone()));
        }
        let (start, shares) = match body {
            Some(body) if body.len() <= BODY_LIMIT => (body.clone(), None),
            Some(body) => (body.slice(..BODY_LIMIT), Some(Shared { at: body.as_ptr() as usize, len: body.len() })),
            None => (Bytes::new(), None),
        };
        Self { headers: kept, body: start, body_len: body.map(Bytes::len), shares }
    }
}

/// Request headers as a journal entry keeps them: the names, and every value copied into one
/// buffer. A value shared with the request would keep its whole read buffer alive; one copy per
/// value would cost an allocation and a validation each (the values were valid header values, so
/// their bytes are kept as they are and checked only when the journal is read).
#[derive(Debug, Clone, Default)]
pub struct KeptHeaders {
    /// Each name with the end of its value in `values` (a value starts where the previous ends).
    names: Vec<(HeaderName, usize)>,
    values: Bytes,
}

impl KeptHeaders {
    /// The kept headers in the order sent, each value's bytes as received.
    pub fn iter(&self) -> impl Iterator<Item = (&HeaderName, &[u8])> {
        let mut start = 0;
        self.names.iter().map(move |(name, end)| {
            let value = self.values.get(start..*end).unwrap_or_default();
            start = *end;
            (name, value)
        })
    }

    /// The headers as a map (repeated names keep every value), for matchers.
    pub fn to_header_map(&self) -> HeaderMap {
        let mut map = HeaderMap::with_capacity(self.names.len());
        for (name, value) in self.iter() {
            if let Ok(value) = HeaderValue::from_bytes(value) {
                map.append(name.clone(), value);
            }
        }
        map
    }

    /// Bytes the journal's budget counts for them: names, values and each header's own parts.
    pub fn weight(&self) -> usize {
        self.names.iter().map(|(name, _)| name.as_str().len() + HEADER_OVERHEAD).sum::<usize>() + self.values.len()
    }
}

/// The headers a journal entry keeps, copied: the first [`MAX_RECORDED_HEADERS`] within [`HEADERS_LIMIT`] bytes, each value cut at
/// [`HEADER_VALUE_LIMIT`]; and whether anything was cut or left out.
pub fn keep_headers(headers: &HeaderMap) -> (KeptHeaders, bool) {
    let mut room = HEADERS_LIMIT;
    // actix counts a map's values on every call.
    let count = headers.len();
    let mut cut = count > MAX_RECORDED_HEADERS;
    let mut names = Vec::with_capacity(count.min(MAX_RECORDED_HEADERS));
    // Sized once: growing the buffer value by value cost more than the copy itself.
    let size: usize = headers.iter().take(MAX_RECORDED_HEADERS).map(|(_, value)| value.len()).sum();
    let mut values = BytesMut::with_capacity(size.min(HEADERS_LIMIT));
    for (name, value) in headers.iter().take(MAX_RECORDED_HEADERS) {
        let bytes = value.as_bytes();
        let len = bytes.len().min(HEADER_VALUE_LIMIT).min(room.saturating_sub(name.as_str().len()));
        if name.as_str().len() + len > room || (len == 0 && !bytes.is_empty()) {
            cut = true;
            break;
        }
        cut |= len < bytes.len();
        // A prefix of a valid value is valid (no byte of a value is special).
        room -= name.as_str().len() + len;
        values.extend_from_slice(&bytes[..len]);
        names.push((name.clone(), values.len()));
    }
    (KeptHeaders { names, values: values.freeze() }, cut)
}

/// A header value as the journal shows it: `HeaderValue::to_str`'s rule (visible ASCII or tab),
/// since a kept value is its bytes.
pub(super) fn visible_text(value: &[u8]) -> Option<&str> {
    let visible = value.iter().all(|&b| b == b'\t' || (32..127).contains(&b));
    if visible { std::str::from_utf8(value).ok() } else { None }
}

/// The URI a journal entry keeps: at most [`URI_LIMIT`] bytes; and whether it was cut. The
/// request's own URI is an allocation of its own (actix parses it into one, apart from the read
/// buffer), so a short origin-form one is shared; a long or absolute one is copied and cut.
pub fn keep_uri(uri: &Uri) -> (Uri, bool) {
    if crate::common::url::origin_form(uri).is_some_and(|text| text.len() <= URI_LIMIT) {
        return (uri.clone(), false);
    }
    let text = uri.to_string();
    if text.len() <= URI_LIMIT {
        return (text.parse().unwrap_or_else(|_| uri.clone()), false);
    }
    // A URI's characters are ASCII, so any cut is at a character boundary.
    let cut = text.get(..URI_LIMIT).and_then(|cut| cut.parse().ok());
    (cut.unwrap_or_else(|| Uri::from_static("/")), true)
}

/// The path the router saw, kept beside the URI only when percent-decoding changed it, and cut
/// like the URI at [`URI_LIMIT`] (at a character boundary).
pub fn keep_decoded_path(routed: &str, raw: &str) -> Option<Box<str>> {
    if routed == raw {
        return None;
    }
    let mut cut = routed.len().min(URI_LIMIT);
    while !routed.is_char_boundary(cut) {
        cut -= 1;
    }
    Some(routed[..cut].into())
}

/// Cuts a body for the journal at a char boundary at or below [`BODY_LIMIT`] (a kept body may
/// end inside a character, which the lossy decoding would otherwise show).
pub(super) fn journal_body(body: &[u8]) -> (Option<String>, bool) {
    if body.is_empty() {
        return (None, false);
    }
    let text = match std::str::from_utf8(body) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        // A cut inside the last character is not a decoding error worth a U+FFFD.
        Err(e) if e.error_len().is_none() => {
            std::borrow::Cow::Borrowed(std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default())
        }
        Err(_) => String::from_utf8_lossy(body),
    };
    if text.len() <= BODY_LIMIT {
        return (Some(text.into_owned()), false);
    }
    let mut cut = BODY_LIMIT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    (Some(text[..cut].to_owned()), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_body_cuts_at_char_boundary() {
        let long = "é".repeat(BODY_LIMIT);
        let (body, cut) = journal_body(long.as_bytes());
        assert!(cut);
        assert!(body.is_some_and(|b| b.len() <= BODY_LIMIT));
    }
}

/// How an outbound call ended (`answered`, `timed_out`, `unreachable`), with the delivery it
/// attempted when it was one (a webhook's event and attempt number), for the journal and console.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    /// `answered`, `timed_out` or `unreachable`.
    pub result: &'static str,
    /// Why there was no answer, cut to [`OUTCOME_DETAIL_LIMIT`] bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The delivery attempted (`{"id", "event_type", "webhook_id", "attempt"}`), when one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<serde_json::Value>,
}

/// Bytes of an outcome's detail kept (an error message from the network stack).
pub const OUTCOME_DETAIL_LIMIT: usize = 256;

impl Outcome {
    /// Bytes the journal's budget counts for it (the delivery label is a few short strings).
    pub fn weight(&self) -> usize {
        128 + self.detail.as_ref().map_or(0, String::len)
    }
}
