//! URLs a client registers (redirect URIs, logos, terms, hooks) are web URLs, never
//! `javascript:` or `data:` ones that a consent page would render; and a request's target as
//! the client wrote it.

use actix_web::http::Uri;

/// Whether `text` is an absolute `http://` or `https://` URL with a host.
pub fn is_web_url(text: &str) -> bool {
    let Ok(uri) = text.parse::<Uri>() else { return false };
    matches!(uri.scheme_str(), Some("http" | "https")) && uri.host().is_some_and(|h| !h.is_empty())
}

/// A request URI in origin form (`/path?query`, what every client but a proxy sends) as its
/// text, which is then the whole URI; `None` for the absolute form (`http://host/path`).
pub fn origin_form(uri: &Uri) -> Option<&str> {
    if uri.scheme().is_some() || uri.authority().is_some() {
        return None;
    }
    Some(uri.path_and_query().map_or("", |pq| pq.as_str()))
}

#[cfg(test)]
mod tests {
    use super::is_web_url;

    #[test]
    fn only_http_and_https_urls_with_a_host_are_web_urls() {
        assert!(is_web_url("https://app.example/callback?x=1"));
        assert!(is_web_url("http://127.0.0.1:9000/cb"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("data:text/html,hi"));
        assert!(!is_web_url("/relative"));
        assert!(!is_web_url("ftp://files.example/x"));
    }
}
