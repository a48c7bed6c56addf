//! The OAuth 2.0 authorization server: `GET /oauth/authorize` renders a consent page (no
//! JavaScript) whose Approve / Deny buttons POST back; `POST /oauth/token` exchanges codes and
//! refresh tokens (RFC 6749 errors); both revoke endpoints. Lifetimes run on the sandbox clock.

use super::{Answer, Jw};
use crate::common::error::ApiError;
use crate::common::expiring;
use crate::common::query;
use crate::sandbox::Body;
use crate::vendors::justworks::error;
use crate::vendors::justworks::scopes;
use crate::vendors::justworks::store::{CODE_LIFETIME, Code, State};
use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, CACHE_CONTROL, LOCATION};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// An RFC 6749 error (`{"error", "error_description"}`), rendered by the vendor's renderer.
pub fn oauth_error(status: StatusCode, code: &str, description: &str) -> ApiError {
    let mut err = ApiError::validation(json!({"error": code, "error_description": description}));
    err.status = Some(status);
    err
}

/// The authorize request's parameters.
struct Authorize {
    response_type: String,
    client_id: String,
    state: String,
    scope: String,
    redirect_uri: String,
}

/// A form or query parameter, empty when absent.
fn param(pairs: &[(String, String)], name: &str) -> String {
    query::last(pairs, name).unwrap_or_default().to_owned()
}

fn authorize_params(pairs: &[(String, String)]) -> Authorize {
    Authorize {
        response_type: param(pairs, "response_type"),
        client_id: param(pairs, "client_id"),
        state: param(pairs, "state"),
        scope: param(pairs, "scope"),
        redirect_uri: param(pairs, "redirect_uri"),
    }
}

/// `redirect_uri` with query parameters appended.
fn redirect(uri: &str, params: &[(&str, &str)]) -> HttpResponse {
    let query = serde_urlencoded::to_string(params.iter().filter(|(_, v)| !v.is_empty()).collect::<Vec<_>>())
        .unwrap_or_default();
    let separator = if uri.contains('?') { '&' } else { '?' };
    HttpResponse::Found().insert_header((LOCATION, format!("{uri}{separator}{query}"))).finish()
}

/// Checks what must be right before anything may redirect: the client and its redirect URI.
/// Anything else wrong is reported to the client by redirect (RFC 6749 4.1.2.1).
fn check(state: &State, p: &Authorize) -> Result<Result<(), &'static str>, Box<HttpResponse>> {
    let Some(app) = state.app(&p.client_id) else {
        return Err(Box::new(error::page(
            "Unknown application",
            "The application that sent you here is not registered with Justworks.",
        )));
    };
    if !app.redirect_uris.contains(&p.redirect_uri) {
        return Err(Box::new(error::page(
            "Invalid redirect",
            "The application asked to send you to an address it has not registered.",
        )));
    }
    if p.response_type != "code" {
        return Ok(Err("unsupported_response_type"));
    }
    let requested: Vec<&str> = p.scope.split_whitespace().collect();
    // An app registered for a parent scope may ask for its children too.
    let allowed = scopes::Granted::from_list(&app.scopes.join(" "));
    if requested.is_empty() || requested.iter().any(|s| !scopes::known(s) || !allowed.has(s)) {
        return Ok(Err("invalid_scope"));
    }
    Ok(Ok(()))
}

/// `GET /oauth/authorize`: the consent page, or an immediate redirect with `auto_approve`.
pub async fn authorize(req: HttpRequest, jw: Jw) -> Answer {
    let params = authorize_params(&query::pairs(req.query_string()));
    let mut state = jw.store.write();
    match check(&state, &params) {
        Err(page) => Ok(*page),
        Ok(Err(error)) => Ok(redirect(&params.redirect_uri, &[("error", error), ("state", &params.state)])),
        Ok(Ok(())) => {
            let auto = state.auto_approve || state.app(&params.client_id).is_some_and(|a| a.auto_approve);
            if auto {
                let code = grant_code(&mut state, &params, jw.sandbox.clock.now());
                return Ok(redirect(&params.redirect_uri, &[("code", &code), ("state", &params.state)]));
            }
            Ok(consent_page(&state, &params))
        }
    }
}

/// `POST /oauth/authorize` (the consent form): Approve redirects with a code, Deny with
/// `error=access_denied`.
pub async fn decide(body: Body, jw: Jw) -> Answer {
    let form = query::pairs(std::str::from_utf8(&body).unwrap_or(""));
    let params = authorize_params(&form);
    let mut state = jw.store.write();
    match check(&state, &params) {
        Err(page) => Ok(*page),
        Ok(Err(error)) => Ok(redirect(&params.redirect_uri, &[("error", error), ("state", &params.state)])),
        Ok(Ok(())) if param(&form, "decision") == "approve" => {
            let code = grant_code(&mut state, &params, jw.sandbox.clock.now());
            Ok(redirect(&params.redirect_uri, &[("code", &code), ("state", &params.state)]))
        }
        Ok(Ok(())) => Ok(redirect(&params.redirect_uri, &[("error", "access_denied"), ("state", &params.state)])),
    }
}

fn grant_code(state: &mut State, params: &Authorize, now: chrono::DateTime<chrono::Utc>) -> String {
    let code = state.new_secret("jw_code_");
    let scope = params.scope.split_whitespace().collect::<Vec<_>>().join(" ");
    expiring::make_room(&mut state.codes, now, |c| c.expires_at);
    state.codes.insert(
        code.clone(),
        Code {
            client_id: params.client_id.clone(),
            redirect_uri: params.redirect_uri.clone(),
            scope,
            expires_at: now + CODE_LIFETIME,
            used: false,
        },
    );
    code
}

/// Plain-language descriptions of the scopes for the consent page.
fn describe(scope: &str) -> &'static str {
    match scope {
        "company.detail:read" => "See your company's details, including its tax id and addresses",
        "company.basic:read" => "See your company's name, departments and offices",
        "company.bank_account:read" => "See your company's bank account",
        "member.detail:read" => "See your team members' contact details",
        "member.basic:read" => "See your team members' names, titles and departments",
        "member.dob:read" => "See your team members' dates of birth",
        "member.sex:read" => "See your team members' sex assigned at birth",
        "member.employment:read" => "See your team members' employment history",
        "member.pay:read" => "See your team members' pay",
        "member.tax_id:read" => "See your team members' tax ids",
        "payroll:read" => "See your payrolls",
        "paystub:read" => "See paystubs",
        "time_off:read" => "See time off policies, requests and balances",
        "deductions:write" => "Create, change and cancel payroll deductions",
        "deductions:read" => "See payroll deductions",
        _ => "Unknown permission",
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn consent_page(state: &State, p: &Authorize) -> HttpResponse {
    let app = state.app(&p.client_id);
    let name = escape(app.map_or("", |a| a.name.as_str()));
    let logo = app
        .and_then(|a| a.logo_url.as_deref())
        .map(|url| format!("<img src=\"{}\" alt=\"\" width=\"48\" height=\"48\">", escape(url)))
        .unwrap_or_default();
    let links: Vec<String> = app
        .into_iter()
        .flat_map(|a| [("Terms of service", &a.terms_url), ("Privacy policy", &a.privacy_url)])
        .filter_map(|(label, url)| url.as_ref().map(|u| format!("<a href=\"{}\">{label}</a>", escape(u))))
        .collect();
    let scopes: String =
        p.scope.split_whitespace().map(|s| format!("<li>{} <code>{}</code></li>", describe(s), escape(s))).collect();
    let hidden: String = [
        ("response_type", &p.response_type),
        ("client_id", &p.client_id),
        ("state", &p.state),
        ("scope", &p.scope),
        ("redirect_uri", &p.redirect_uri),
    ]
    .iter()
    .map(|(k, v)| format!("<input type=\"hidden\" name=\"{k}\" value=\"{}\">", escape(v)))
    .collect();
    let company = escape(&state.company.display_name);
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Authorize {name} | Justworks</title>\
<style>body{{font-family:sans-serif;max-width:34rem;margin:3rem auto;color:#1a1a2e}}button{{font-size:1rem;padding:.6rem 1.4rem;margin-right:.6rem}}\
#approve{{background:#0a66ff;color:#fff;border:0}}</style></head><body>\
<header>{logo}<h1>{name} wants to access {company}</h1></header>\
<p>Signed in to Justworks as an administrator of <strong>{company}</strong>. {name} is asking to:</p><ul id=\"scopes\">{scopes}</ul>\
<form method=\"post\" action=\"authorize\">{hidden}\
<button id=\"approve\" type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>\
<button id=\"deny\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>\
<footer><p>{}</p></footer></body></html>\n",
        links.join(" · ")
    );
    HttpResponse::Ok().content_type("text/html; charset=utf-8").insert_header((CACHE_CONTROL, "no-store")).body(html)
}

/// The client's credentials: HTTP Basic or the form's `client_id` / `client_secret`.
fn client(req: &HttpRequest, form: &[(String, String)], state: &State) -> Result<String, ApiError> {
    let basic = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok())
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|pair| pair.split_once(':').map(|(id, secret)| (id.to_owned(), secret.to_owned())));
    let (id, secret) = basic.unwrap_or_else(|| (param(form, "client_id"), param(form, "client_secret")));
    match state.app(&id) {
        Some(app) if app.client_secret == secret => Ok(id),
        _ => Err(oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Client authentication failed.")),
    }
}

/// `POST /oauth/token` (form): `authorization_code` and `refresh_token` grants.
pub async fn token(req: HttpRequest, body: Body, jw: Jw) -> Answer {
    let form = query::pairs(std::str::from_utf8(&body).unwrap_or(""));
    let now = jw.sandbox.clock.now();
    let mut state = jw.store.write();
    let grant_type = param(&form, "grant_type");
    if grant_type.is_empty() {
        return Err(oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is required."));
    }
    let client_id = client(&req, &form, &state)?;
    let answer = match grant_type.as_str() {
        "authorization_code" => exchange_code(&mut state, &form, &client_id, now)?,
        "refresh_token" => refresh(&mut state, &form, &client_id, now)?,
        _ => {
            let message = "The grant type is not supported.";
            return Err(oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", message));
        }
    };
    Ok(HttpResponse::Ok().insert_header((CACHE_CONTROL, "no-store")).json(answer))
}

fn invalid_grant(description: &str) -> ApiError {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", description)
}

/// The `authorization_code` grant: a code is single-use, bound to its client and redirect URI,
/// and expires; a replayed code revokes what it gave (RFC 6749 10.5).
fn exchange_code(
    state: &mut State,
    form: &[(String, String)],
    client_id: &str,
    now: DateTime<Utc>,
) -> Result<Value, ApiError> {
    let code_value = param(form, "code");
    let code =
        state.codes.get(&code_value).cloned().ok_or_else(|| invalid_grant("The authorization code is invalid."))?;
    if code.client_id != client_id {
        return Err(invalid_grant("The authorization code was issued to another client."));
    }
    if code.used {
        state.revoke_grant(&code_value);
        return Err(invalid_grant("The authorization code has already been used."));
    }
    if code.expires_at <= now {
        return Err(invalid_grant("The authorization code has expired."));
    }
    if param(form, "redirect_uri") != code.redirect_uri {
        return Err(invalid_grant("redirect_uri does not match the one used to authorize."));
    }
    if let Some(used) = state.codes.get_mut(&code_value) {
        used.used = true;
    }
    Ok(state.issue(client_id, &code.scope, &code_value, now))
}

/// The `refresh_token` grant; refreshing rotates (the old refresh token is consumed). A `scope`
/// may narrow the new access token to part of what was granted, never widen it.
fn refresh(
    state: &mut State,
    form: &[(String, String)],
    client_id: &str,
    now: DateTime<Utc>,
) -> Result<Value, ApiError> {
    let value = param(form, "refresh_token");
    let old =
        state.refresh_tokens.get(&value).cloned().ok_or_else(|| invalid_grant("The refresh token is invalid."))?;
    if old.client_id != client_id || old.revoked || old.expires_at <= now {
        return Err(invalid_grant("The refresh token is invalid, expired or revoked."));
    }
    let requested = param(form, "scope");
    let granted = scopes::Granted::from_list(&old.scope);
    if requested.split_whitespace().any(|scope| !granted.has(scope)) {
        let message = "The requested scope exceeds the scope originally granted.";
        return Err(oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", message));
    }
    let access_scope = if requested.trim().is_empty() {
        old.scope.clone()
    } else {
        requested.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    if let Some(consumed) = state.refresh_tokens.get_mut(&value) {
        consumed.revoked = true;
    }
    Ok(state.issue_narrowed(client_id, &access_scope, &old.scope, &old.grant, now))
}

/// `POST /v1/oauth/revoke` (client authenticated) and the deprecated `POST /oauth/revoke`:
/// revokes an access or refresh token (a refresh token takes its access tokens with it).
pub async fn revoke(req: HttpRequest, body: Body, jw: Jw) -> Answer {
    let form = query::pairs(std::str::from_utf8(&body).unwrap_or(""));
    let mut state = jw.store.write();
    if req.path().ends_with("/v1/oauth/revoke") {
        client(&req, &form, &state)?;
    }
    let token = param(&form, "token");
    if token.is_empty() || token.len() > 255 {
        return Err(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "token is required (at most 255 characters).",
        ));
    }
    if let Some(access) = state.access_tokens.get_mut(&token) {
        access.revoked = true;
    } else if let Some(refresh) = state.refresh_tokens.get_mut(&token) {
        refresh.revoked = true;
        let grant = refresh.grant.clone();
        for access in state.access_tokens.values_mut().filter(|t| t.grant == grant) {
            access.revoked = true;
        }
    }
    // RFC 7009: an unknown token is not an error.
    Ok(HttpResponse::Ok().json(Value::Object(serde_json::Map::new())))
}
