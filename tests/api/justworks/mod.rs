//! Justworks through HTTP: the OAuth flow, scope enforcement, company, members, deductions.

mod fidelity;
mod oauth;
mod payroll;
pub(crate) mod receiver;
mod resources;
mod sweeper;
mod webhooks;
mod webhooks_attack;
mod webhooks_state;

use crate::helpers::TestApp;
use reqwest::{Method, Response};
use serde_json::Value;

/// `/justworks` + a vendor path.
pub fn jw(path: &str) -> String {
    format!("/justworks{path}")
}

/// The seeded app's credentials.
pub async fn app_creds(app: &TestApp) -> Value {
    app.get_json("/__admin/credentials", None, 200).await["justworks"]["app"].clone()
}

/// The seeded `all_scopes` identity's access token.
pub async fn all_scopes(app: &TestApp) -> String {
    app.get_json("/__admin/credentials", None, 200).await["justworks"]["all_scopes"]["access_token"]
        .as_str()
        .expect("token")
        .to_owned()
}

/// A form POST.
pub async fn form(app: &TestApp, path: &str, pairs: &[(&str, &str)]) -> Response {
    app.vendor("justworks").form(path, pairs).await
}

/// The query parameters of a redirect's `Location`.
pub fn location_params(response: &Response) -> Vec<(String, String)> {
    let location = response.headers()["location"].to_str().expect("location");
    let query = location.split_once('?').map_or("", |(_, q)| q);
    serde_urlencoded::from_str(query).expect("query")
}

/// Runs the consent flow for `scope` (Approve) and exchanges the code: the token response.
pub async fn tokens_for(app: &TestApp, scope: &str) -> Value {
    let creds = app_creds(app).await;
    let (client_id, secret, redirect) = (
        creds["client_id"].as_str().expect("id"),
        creds["client_secret"].as_str().expect("secret"),
        creds["redirect_uri"].as_str().expect("uri"),
    );
    let approve = form(
        app,
        "/oauth/authorize",
        &[
            ("response_type", "code"),
            ("client_id", client_id),
            ("state", "s1"),
            ("scope", scope),
            ("redirect_uri", redirect),
            ("decision", "approve"),
        ],
    )
    .await;
    assert_eq!(approve.status(), 302);
    let code = location_params(&approve).into_iter().find(|(k, _)| k == "code").expect("code").1;
    let token = form(
        app,
        "/oauth/token",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("code", &code),
            ("redirect_uri", redirect),
        ],
    )
    .await;
    assert_eq!(token.status(), 200);
    token.json().await.expect("json")
}

/// `GET` with a bearer token; status and JSON.
pub async fn get(app: &TestApp, path: &str, token: &str) -> (u16, Value) {
    app.vendor("justworks").call_with(Method::GET, path, &format!("Bearer {token}"), None).await
}
