//! The `Authorization` header split the way the vendors' frameworks split it.

use actix_web::HttpRequest;
use actix_web::http::header::{AUTHORIZATION, HeaderValue};

/// `get_authorization_header(request).split()`: the header's parts, split on runs of ASCII
/// whitespace, as bytes (DRF compares the keyword case-insensitively). At most three are kept:
/// every scheme refuses a third part, whatever follows it.
pub fn authorization_parts(req: &HttpRequest) -> AuthorizationParts<'_> {
    let header = req.headers().get(AUTHORIZATION).map_or(&b""[..], HeaderValue::as_bytes);
    let mut parts = AuthorizationParts { parts: [&[]; 3], len: 0 };
    let mut rest = header;
    while parts.len < parts.parts.len()
        && let Some(start) = rest.iter().position(|b| !is_space(*b))
    {
        rest = &rest[start..];
        let end = word_end(rest);
        parts.parts[parts.len] = &rest[..end];
        parts.len += 1;
        rest = &rest[end..];
    }
    parts
}

/// The first (up to) three parts of an `Authorization` header, kept in place: this runs on every
/// authenticated request, and a `Vec` of them was an allocation each time.
pub struct AuthorizationParts<'h> {
    parts: [&'h [u8]; 3],
    len: usize,
}

impl<'h> AuthorizationParts<'h> {
    /// The parts, in order.
    pub fn as_slice(&self) -> &[&'h [u8]] {
        &self.parts[..self.len]
    }
}

/// Python's `bytes.split()` whitespace.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Where the word at the start of `bytes` ends. A token is hundreds of bytes without a space:
/// blocks of 16 with no byte at or below `' '` are skipped whole (a loop the compiler
/// vectorises), then the word's last block is scanned byte by byte.
fn word_end(bytes: &[u8]) -> usize {
    let mut skipped = 0;
    for block in bytes.chunks_exact(16) {
        if block.iter().fold(false, |low, b| low | (*b <= b' ')) {
            break;
        }
        skipped += 16;
    }
    skipped + bytes[skipped..].iter().position(|b| is_space(*b)).unwrap_or(bytes.len() - skipped)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    fn parts(header: &[u8]) -> Vec<Vec<u8>> {
        let req = TestRequest::default()
            .insert_header((
                super::AUTHORIZATION,
                super::HeaderValue::from_bytes(header).unwrap_or(super::HeaderValue::from_static("")),
            ))
            .to_http_request();
        super::authorization_parts(&req).as_slice().iter().map(|part| part.to_vec()).collect()
    }

    #[test]
    fn authorization_parts_split_like_python_bytes_split() {
        let long = "a".repeat(40);
        for header in [
            "Bearer abc",
            "  Bearer \t abc  ",
            "",
            "   ",
            "Token",
            "a b c",
            "a b c d",
            &format!("Bearer {long}\tx"),
            &format!("{long} {long}"),
        ] {
            let python: Vec<Vec<u8>> = header
                .as_bytes()
                .split(|b| super::is_space(*b))
                .filter(|p| !p.is_empty())
                .take(3)
                .map(<[u8]>::to_vec)
                .collect();
            assert_eq!(parts(header.as_bytes()), python, "{header:?}");
        }
    }
}
