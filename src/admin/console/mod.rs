//! The QA console, `GET /__admin/ui`: server-rendered pages (a shell, a navigation and one page's
//! skeleton) and one script that fills them through the admin API, and only through it, so
//! anything the console does a script can do. Every asset is compiled in; nothing comes from a
//! CDN. Values from requests reach the page only as DOM text (`textContent`), never as markup,
//! and a strict Content-Security-Policy (scripts from this server only, no inline script) keeps
//! an injected `<script>` inert even if that rule were broken.

use super::context::AdminResult;
use super::error::AdminError;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};

/// The pages, in navigation order: path segment, title, skeleton.
const PAGES: [(&str, &str, &str); 6] = [
    ("overview", "Overview", include_str!("pages/overview.html")),
    ("traffic", "Traffic", include_str!("pages/traffic.html")),
    ("scenarios", "Scenarios", include_str!("pages/scenarios.html")),
    ("data", "Data", include_str!("pages/data.html")),
    ("workforce", "Workforce", include_str!("pages/workforce.html")),
    ("credentials", "Credentials", include_str!("pages/credentials.html")),
];

const SHELL: &str = include_str!("shell.html");
const SCRIPT: &str = include_str!("console.js");
const STYLE: &str = include_str!("console.css");

/// Scripts, styles and requests from this server only; nothing inline, no frames.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                      connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// `GET /__admin/ui` and `GET /__admin/ui/{page}`.
pub async fn page(req: HttpRequest) -> AdminResult {
    let name = req.match_info().get("page").unwrap_or("overview");
    let Some((id, title, skeleton)) = PAGES.iter().find(|(id, _, _)| *id == name) else {
        return Err(AdminError::not_found(format!(
            "no console page '{name}' (pages: overview, traffic, scenarios, data, workforce, credentials)"
        )));
    };
    let html = SHELL
        .replace("{{title}}", title)
        .replace("{{page}}", id)
        .replace("{{nav}}", &navigation(id))
        .replace("{{main}}", skeleton);
    Ok(guarded(HttpResponse::Ok()).content_type("text/html; charset=utf-8").body(html))
}

/// `GET /__admin/ui/assets/{file}`: the script and the style sheet.
pub async fn asset(file: web::Path<String>) -> AdminResult {
    let (body, kind) = match file.as_str() {
        "console.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        "console.css" => (STYLE, "text/css; charset=utf-8"),
        other => return Err(AdminError::not_found(format!("no console asset '{other}'"))),
    };
    Ok(guarded(HttpResponse::Ok()).content_type(kind).body(body))
}

/// Whether a request is for the console's shell or assets, which hold no sandbox data: they
/// load without the admin token, and the script then asks for it before any API call.
pub fn is_shell(req: &actix_web::dev::ServiceRequest) -> bool {
    req.method() == actix_web::http::Method::GET
        && (req.path() == "/__admin/ui" || req.path().starts_with("/__admin/ui/"))
}

fn navigation(current: &str) -> String {
    PAGES
        .iter()
        .map(|(id, title, _)| {
            let current = if *id == current { " aria-current=\"page\"" } else { "" };
            format!("<a href=\"/__admin/ui/{id}\" data-page-link{current}>{title}</a>")
        })
        .collect()
}

fn guarded(mut builder: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    builder
        .insert_header((header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .insert_header((header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    builder
}
