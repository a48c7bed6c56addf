//! Keyset cursors: opaque-cursor pagination with a `limit` (Justworks). DRF's page-number
//! pagination is `crate::families::drf::pagination`.

use std::ops::Range;

/// Cursor pagination (Justworks) over keyset cursors: each listed item carries a key that only
/// grows along the list (its position in the store, which only ever appends), and the cursor
/// names the key of the last item served. The next page starts after that key, wherever the
/// item now is, so a row removed or added between two pages never makes the next one skip or
/// repeat a row.
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
    /// Every cursor [`CursorPage::keyed`] reads: empty (the first page) or the URL-safe base64
    /// (no padding) of a key's 8 big-endian bytes. Any string it matches is a cursor (past the
    /// end, an empty page), so an OpenAPI document can state exactly which cursors are valid.
    pub const PATTERN: &str = "^([A-Za-z0-9_-]{10}[AEIMQUYcgkosw048])?$";

    /// The page `limit` (1..=max, default max) and `cursor` pick out of a list of `len` items
    /// whose `i`th item has the ascending key `key(i)`: O(log len), with nothing collected.
    pub fn keyed(
        limit: Option<&str>,
        cursor: Option<&str>,
        max: usize,
        len: usize,
        key: impl Fn(usize) -> usize,
    ) -> Result<Self, CursorError> {
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
            Some(cursor) => {
                let after = URL_SAFE_NO_PAD
                    .decode(cursor)
                    .ok()
                    .and_then(|raw| <[u8; 8]>::try_from(raw).ok())
                    .map(u64::from_be_bytes)
                    .ok_or("cursor is not valid")?;
                let (mut low, mut high) = (0, len);
                while low < high {
                    let middle = low + (high - low) / 2;
                    if key(middle) as u64 <= after { low = middle + 1 } else { high = middle }
                }
                low
            }
        };
        let end = start.saturating_add(limit).min(len);
        let next = (end < len).then(|| URL_SAFE_NO_PAD.encode((key(end - 1) as u64).to_be_bytes()));
        Ok(Self { range: start..end, next })
    }
}

#[cfg(test)]
mod tests {
    use super::CursorPage;

    #[test]
    fn a_keyset_cursor_neither_skips_nor_repeats_when_rows_go_or_come() {
        let page =
            |cursor: Option<&str>, keys: &[usize]| CursorPage::keyed(Some("2"), cursor, 100, keys.len(), |i| keys[i]);
        let first = page(None, &[0, 1, 2, 3, 4]).expect("page");
        assert_eq!(first.range, 0..2);
        // Row 1 is removed and row 5 added before the next page is read.
        let second = page(first.next.as_deref(), &[0, 2, 3, 4, 5]).expect("page");
        assert_eq!(second.range, 1..3, "rows 2 and 3 follow row 1, which is gone");
        assert!(page(Some("bzoy"), &[0]).is_err(), "offset cursors are refused");
    }

    #[test]
    fn every_cursor_the_pattern_admits_is_read_and_every_cursor_made_matches_it() {
        let pattern = |text: &str| {
            text.len() == 11
                && text[..10].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && "AEIMQUYcgkosw048".contains(&text[10..])
        };
        let keys: Vec<usize> = (0..300).collect();
        let mut cursor = None;
        while let Some(next) =
            CursorPage::keyed(Some("7"), cursor.as_deref(), 100, keys.len(), |i| keys[i]).expect("page").next
        {
            assert!(pattern(&next), "{next} matches CursorPage::PATTERN");
            cursor = Some(next);
        }
        for admitted in ["AAAAAAAAAAA", "__________w", "zzzzzzzzzz8"] {
            assert!(pattern(admitted));
            assert!(CursorPage::keyed(None, Some(admitted), 100, 3, |i| i).is_ok(), "{admitted} is read");
        }
        assert!(CursorPage::keyed(None, Some("AAAAAAAAAAB"), 100, 3, |i| i).is_err(), "trailing bits are refused");
    }
}
