//! Query strings as the vendors read them, and opaque-cursor pagination with a `limit`
//! (Justworks). DRF's page-number pagination is `crate::families::drf::pagination`.

use std::ops::Range;

/// Cursor pagination (Justworks): an opaque cursor naming the next offset, and a `limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorPage {
    /// The index range of this page.
    pub range: Range<usize>,
    /// The cursor of the next page, `None` on the last one.
    pub next: Option<String>,
}

/// Why a cursor page cannot be read: the message for the client.
pub type CursorError = &'static str;

impl CursorPage {
    /// The page `limit` (1..=max, default max) and `cursor` pick out of `len` items.
    pub fn of(limit: Option<&str>, cursor: Option<&str>, max: usize, len: usize) -> Result<Self, CursorError> {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let limit = match limit {
            None => max,
            Some(text) => {
                text.parse::<usize>().ok().filter(|n| (1..=max).contains(n)).ok_or("limit is out of range")?
            }
        };
        let start = match cursor {
            None | Some("") => 0,
            Some(cursor) => URL_SAFE_NO_PAD
                .decode(cursor)
                .ok()
                .and_then(|raw| String::from_utf8(raw).ok())
                .and_then(|text| text.strip_prefix("o:").and_then(|n| n.parse::<usize>().ok()))
                .filter(|n| *n <= len)
                .ok_or("cursor is not valid")?,
        };
        let end = (start + limit).min(len);
        let next = (end < len).then(|| URL_SAFE_NO_PAD.encode(format!("o:{end}")));
        Ok(Self { range: start..end, next })
    }
}

/// The query string decoded into pairs (`parse_qs` with `keep_blank_values`).
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query).unwrap_or_default()
}

/// The last value of a query key, as Django's `QueryDict.get` returns it.
pub fn last<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}
