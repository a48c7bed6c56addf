//! Which request bodies count as JSON: `application/json` and the `application/*+json` family,
//! any parameters (charset) ignored. One rule for every vendor whose endpoints read JSON.

use actix_web::HttpRequest;
use actix_web::http::header::CONTENT_TYPE;

/// The request's Content-Type header, if it has one that is text.
pub fn content_type(req: &HttpRequest) -> Option<&str> {
    req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
}

/// Whether `content_type` names JSON.
pub fn is_json(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    media == "application/json" || (media.starts_with("application/") && media.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn json_and_its_suffix_family_only() {
        for yes in ["application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json"] {
            assert!(is_json(yes), "{yes}");
        }
        for no in ["text/plain", "application/xml", "text/json", "", "multipart/form-data; boundary=x"] {
            assert!(!is_json(no), "{no}");
        }
    }
}
