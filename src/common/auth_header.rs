//! The `Authorization` header split the way the vendors' frameworks split it.

use actix_web::HttpRequest;
use actix_web::http::header::{AUTHORIZATION, HeaderValue};

/// `get_authorization_header(request).split()`: the header's parts, split on runs of ASCII
/// whitespace, as bytes (DRF compares the keyword case-insensitively).
pub fn authorization_parts(req: &HttpRequest) -> Vec<&[u8]> {
    let header = req.headers().get(AUTHORIZATION).map_or(&b""[..], HeaderValue::as_bytes);
    let mut parts = Vec::with_capacity(2);
    let mut rest = header;
    while let Some(start) = rest.iter().position(|b| !is_space(*b)) {
        rest = &rest[start..];
        let end = word_end(rest);
        parts.push(&rest[..end]);
        rest = &rest[end..];
    }
    parts
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
        super::authorization_parts(&req).into_iter().map(<[u8]>::to_vec).collect()
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
            &format!("Bearer {long}\tx"),
            &format!("{long} {long}"),
        ] {
            let python: Vec<Vec<u8>> = header
                .as_bytes()
                .split(|b| super::is_space(*b))
                .filter(|p| !p.is_empty())
                .map(<[u8]>::to_vec)
                .collect();
            assert_eq!(parts(header.as_bytes()), python, "{header:?}");
        }
    }
}
