//! Who may use the admin API. It is local by default: only loopback `Host`s (or the
//! `--admin-hosts` list) are answered, which stops a DNS-rebinding page from reading
//! `/__admin/credentials`; a page of another site (`Origin`) is refused even when `*` allows
//! any `Host`; a typed write must be JSON (a cross-site form or `text/plain` "simple" POST
//! cannot be one) and a browser's write must be typed; and with
//! `--admin-token` every route needs `Authorization: Bearer <token>`.
//! It also gives every error raised below it (extractors, body limit) the admin shape.

use super::error::AdminError;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue, ORIGIN, WWW_AUTHENTICATE};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};
use std::net::Ipv4Addr;

/// The admin API's exposure rules.
#[derive(Debug, Clone, Default)]
pub struct AdminAccess {
    /// Extra `Host` names (without port, lower-case) the admin API answers; `*` answers any.
    pub hosts: Vec<String>,
    /// When set, the bearer token every admin request must carry.
    pub token: Option<String>,
}

impl AdminAccess {
    /// Whether reads are open to a DNS-rebinding page: with `*` any `Host` is answered, and a
    /// same-origin GET carries no `Origin`, so only a token stands in its way.
    pub fn rebinding_can_read(&self) -> bool {
        self.token.is_none() && self.hosts.iter().any(|h| h == "*")
    }

    /// Whether a host name (lower-case, no port) may use the admin API.
    fn allows(&self, name: &str) -> bool {
        is_loopback(name) || self.hosts.iter().any(|h| h == "*" || h == name)
    }

    fn host_allowed(&self, req: &ServiceRequest) -> bool {
        let host = request_host(req);
        // No Host at all (an HTTP/1.0 probe) is never a browser, so never a rebinding page.
        host.is_none_or(|host| self.allows(&host_name(host)))
    }

    /// A browser names the page that sent a request in `Origin`; only the page's own server
    /// (its host is the request's `Host`), a loopback page or a host listed by name may use the
    /// admin API. `*` in `--admin-hosts` means any `Host`, never any `Origin`: a page of another
    /// site (a cross-site form or `no-cors` `fetch`) is refused whatever it sends. Tools send no
    /// `Origin`.
    fn origin_allowed(&self, req: &ServiceRequest) -> bool {
        let Some(origin) = req.headers().get(ORIGIN) else { return true };
        // An `Origin` that is not text is no page this server knows: refused, not ignored.
        let Ok(origin) = origin.to_str() else { return false };
        let authority = origin.split_once("://").map_or(origin, |(_, rest)| rest);
        let authority = authority.split('/').next().unwrap_or_default();
        let name = host_name(authority);
        let listed = self.hosts.iter().any(|h| h != "*" && *h == name);
        is_loopback(&name)
            || listed
            || request_host(req).is_some_and(|host| host.eq_ignore_ascii_case(authority.trim()))
    }

    /// Why this request may not use the admin API, if it may not.
    fn refusal(&self, req: &ServiceRequest) -> Option<AdminError> {
        let refuse = |status, code, message: &str| Some(AdminError::with_status(status, code, message));
        if !self.host_allowed(req) {
            let message = "the admin API answers only loopback hosts (localhost, 127.0.0.1, [::1]); allow others with --admin-hosts";
            return refuse(StatusCode::FORBIDDEN, "forbidden_host", message);
        }
        if !self.origin_allowed(req) {
            let message = "the admin API does not answer pages of other sites (Origin); allow hosts with --admin-hosts";
            return refuse(StatusCode::FORBIDDEN, "forbidden_origin", message);
        }
        if !self.token_ok(req) {
            let message = "this server requires Authorization: Bearer <admin token> on every admin route";
            return refuse(StatusCode::UNAUTHORIZED, "unauthorized", message);
        }
        let write = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH);
        if write && !req.headers().contains_key(CONTENT_TYPE) && req.headers().contains_key(ORIGIN) {
            // A write without any `Content-Type` (`curl -X POST .../reset`, a script's raw body)
            // is a tool's; with an `Origin` it is a browser's (a `no-cors` `fetch` of a Blob sends
            // no type), which must say it sends JSON like the console does.
            let message = "a browser's admin write (it carries an Origin) must send Content-Type: application/json";
            return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", message);
        }
        if write && req.headers().contains_key(CONTENT_TYPE) && !readable_content_type(req) {
            let message = "admin writes take Content-Type: application/json (scenario uploads also application/yaml)";
            return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", message);
        }
        None
    }

    fn token_ok(&self, req: &ServiceRequest) -> bool {
        let Some(token) = &self.token else { return true };
        if super::console::is_shell(req) {
            // The console's pages and assets hold no sandbox data; its script sends the token.
            return true;
        }
        let given = req.headers().get(AUTHORIZATION).map(|v| v.as_bytes()).unwrap_or_default();
        let given = given.strip_prefix(b"Bearer ").unwrap_or_default();
        constant_time_eq(given, token.as_bytes())
    }
}

/// The raw `Host` (never `X-Forwarded-Host`); HTTP/2 carries it in the URI.
fn request_host(req: &ServiceRequest) -> Option<&str> {
    req.headers().get(HOST).and_then(|v| v.to_str().ok()).or_else(|| req.uri().host()).map(str::trim)
}

/// `Host` without its port, lower-case: `LOCALHOST:8080` -> `localhost`, `[::1]:80` -> `[::1]`.
fn host_name(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    match host.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or(host.clone(), |(inside, _)| format!("[{inside}]")),
        None => host.split_once(':').map_or(host.as_str(), |(name, _)| name).to_owned(),
    }
}

fn is_loopback(name: &str) -> bool {
    name == "localhost" || name == "[::1]" || name.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// Compares without stopping at the first difference, so timing does not leak the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether a write's `Content-Type` is one the admin API reads: JSON everywhere, and YAML for
/// scenario uploads.
fn readable_content_type(req: &ServiceRequest) -> bool {
    let Some(value) = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let json = essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"));
    let yaml = matches!(essence.as_str(), "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml");
    json || (yaml && req.path().starts_with("/__admin/scenarios"))
}

/// The middleware on the `/__admin` scope.
pub async fn guard(
    access: AdminAccess,
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if let Some(err) = access.refusal(&req) {
        let mut res = req.error_response(err);
        if res.status() == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        return Ok(res);
    }
    let res = next.call(req).await?;
    Ok(in_admin_shape(res))
}

/// An error raised below the handlers (the body limit's 413, a bad query) answers in the admin
/// shape, like the handlers' own errors.
fn in_admin_shape(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let Some(err) = res.response().error() else { return res };
    if err.as_error::<AdminError>().is_some() {
        return res;
    }
    let status = err.as_response_error().status_code();
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        _ => "error",
    };
    let rendered = AdminError::with_status(status, code, err.to_string()).error_response();
    res.into_response(rendered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_name_drops_the_port_and_keeps_ipv6_brackets() {
        assert_eq!(host_name("LocalHost:8080"), "localhost");
        assert_eq!(host_name("[::1]:9000"), "[::1]");
        assert_eq!(host_name("127.0.0.1"), "127.0.0.1");
        assert!(is_loopback("127.3.4.5") && is_loopback("[::1]") && !is_loopback("evil.example"));
        assert!(!is_loopback("localhost.evil.example"));
    }
}
