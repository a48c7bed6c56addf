//! The OAuth 2.0 flow: consent page, approve, deny, bad redirects, codes, refresh, revoke.

use super::{app_creds, form, get, jw, location_params, tokens_for};
use crate::helpers::{TestApp, exchange, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

/// The consent page for the app with state `xyz` and two scopes, as HTML.
async fn consent_page(app: &TestApp) -> String {
    let creds = app_creds(app).await;
    let url = format!(
        "/oauth/authorize?response_type=code&client_id={}&state=xyz&scope=member.basic:read%20payroll:read&redirect_uri={}",
        creds["client_id"].as_str().expect("id"),
        creds["redirect_uri"].as_str().expect("uri")
    );
    let page = app.send(Method::GET, &jw(&url), None, None).await;
    assert_eq!(page.status(), 200);
    page.text().await.expect("html")
}

#[tokio::test]
async fn authorize_shows_the_consent_page_of_the_apps_scopes() {
    let app = spawn_app().await;
    let html = consent_page(&app).await;
    for needle in [
        "Acme Benefits Sync",
        "Acme Analytics",
        "See your payrolls",
        "member.basic:read",
        "id=\"approve\"",
        "id=\"deny\"",
        "value=\"xyz\"",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
}

#[tokio::test]
async fn authorize_consent_page_needs_no_javascript() {
    let app = spawn_app().await;
    let html = consent_page(&app).await;
    assert!(!html.contains("<script"), "works without JavaScript");
}

/// The seeded app's client id, secret and redirect URI.
async fn client(app: &TestApp) -> (String, String, String) {
    let creds = app_creds(app).await;
    let text = |key: &str| creds[key].as_str().expect(key).to_owned();
    (text("client_id"), text("client_secret"), text("redirect_uri"))
}

/// The consent form for `payroll:read` (state `s`) sent with this decision; the answer.
async fn consent(app: &TestApp, decision: &str) -> reqwest::Response {
    let (id, _, uri) = client(app).await;
    let pairs = [
        ("response_type", "code"),
        ("client_id", &id),
        ("state", "s"),
        ("scope", "payroll:read"),
        ("redirect_uri", &uri),
        ("decision", decision),
    ];
    form(app, "/oauth/authorize", &pairs).await
}

#[tokio::test]
async fn authorize_denied_redirects_access_denied_with_the_state() {
    let app = spawn_app().await;
    let deny = consent(&app, "deny").await;
    assert_eq!(
        location_params(&deny),
        vec![("error".to_owned(), "access_denied".to_owned()), ("state".to_owned(), "s".to_owned())]
    );
}

#[tokio::test]
async fn authorize_with_an_unknown_client_or_redirect_is_a_400_page() {
    let app = spawn_app().await;
    let (id, _, uri) = client(&app).await;
    for query in [
        format!("response_type=code&client_id=nobody&scope=payroll:read&redirect_uri={uri}"),
        format!("response_type=code&client_id={id}&scope=payroll:read&redirect_uri=http://evil.test/cb"),
    ] {
        let page = app.send(Method::GET, &jw(&format!("/oauth/authorize?{query}")), None, None).await;
        assert_eq!(page.status(), 400, "an error page, never a redirect: {query}");
        assert!(page.headers().get("location").is_none());
    }
}

#[tokio::test]
async fn authorize_with_an_unknown_scope_redirects_invalid_scope() {
    let app = spawn_app().await;
    let (id, _, uri) = client(&app).await;
    let bad_scope = app
        .send(
            Method::GET,
            &jw(&format!(
                "/oauth/authorize?response_type=code&client_id={id}&state=q&scope=admin:all&redirect_uri={uri}"
            )),
            None,
            None,
        )
        .await;
    assert_eq!(location_params(&bad_scope)[0], ("error".to_owned(), "invalid_scope".to_owned()));
}

/// An approved `payroll:read` consent's code.
async fn code(app: &TestApp) -> String {
    let approve = consent(app, "approve").await;
    location_params(&approve).into_iter().find(|(k, _)| k == "code").expect("code").1
}

const REDIRECT: &str = "http://127.0.0.1:8765/callback";

/// Exchanges a code sent with this redirect URI; the answer.
async fn exchange_code(app: &TestApp, code: &str, redirect: &str) -> reqwest::Response {
    let (id, secret, _) = client(app).await;
    form(
        app,
        "/oauth/token",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &id),
            ("client_secret", &secret),
            ("code", code),
            ("redirect_uri", redirect),
        ],
    )
    .await
}

#[tokio::test]
async fn token_with_another_redirect_uri_is_400_invalid_grant() {
    let app = spawn_app().await;
    let first = code(&app).await;
    let wrong_redirect = exchange_code(&app, &first, "http://localhost:8765/callback").await;
    assert_eq!(
        (wrong_redirect.status().as_u16(), wrong_redirect.json::<Value>().await.expect("json")["error"].clone()),
        (400, json!("invalid_grant"))
    );
}

/// A code exchanged once (after a refused wrong-redirect try), asserted 200; the tokens and the code.
async fn exchanged_once(app: &TestApp) -> (Value, String) {
    let first = code(app).await;
    exchange_code(app, &first, "http://localhost:8765/callback").await;
    let ok = exchange_code(app, &first, REDIRECT).await;
    assert_eq!(ok.status(), 200);
    (ok.json().await.expect("json"), first)
}

#[tokio::test]
async fn token_with_a_code_is_a_bearer_of_its_scope() {
    let app = spawn_app().await;
    let (tokens, _) = exchanged_once(&app).await;
    assert_eq!((tokens["token_type"].clone(), tokens["scope"].clone()), (json!("Bearer"), json!("payroll:read")));
}

#[tokio::test]
async fn token_with_a_used_code_is_400() {
    let app = spawn_app().await;
    let (_, first) = exchanged_once(&app).await;
    assert_eq!(exchange_code(&app, &first, REDIRECT).await.status(), 400);
}

#[tokio::test]
async fn token_with_a_used_code_revokes_what_it_gave() {
    let app = spawn_app().await;
    let (tokens, first) = exchanged_once(&app).await;
    exchange_code(&app, &first, REDIRECT).await;
    let access = tokens["access_token"].as_str().expect("token");
    assert_eq!(get(&app, "/v1/members", access).await.0, 401, "a replayed code revokes what it gave");
}

#[tokio::test]
async fn token_with_an_expired_code_is_400_expired() {
    let app = spawn_app().await;
    let late = code(&app).await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 601}), 200).await;
    let expired = exchange_code(&app, &late, REDIRECT).await;
    insta::assert_json_snapshot!(exchange(expired, &["content-type"]).await);
}

#[tokio::test]
async fn token_with_a_wrong_client_secret_is_401_invalid_client() {
    let app = spawn_app().await;
    let (id, _, _) = client(&app).await;
    let bad_client = form(
        &app,
        "/oauth/token",
        &[("grant_type", "authorization_code"), ("client_id", &id), ("client_secret", "wrong"), ("code", "x")],
    )
    .await;
    assert_eq!(
        (bad_client.status().as_u16(), bad_client.json::<Value>().await.expect("json")["error"].clone()),
        (401, json!("invalid_client"))
    );
}

#[tokio::test]
async fn token_with_the_password_grant_is_unsupported_grant_type() {
    let app = spawn_app().await;
    let (id, secret, _) = client(&app).await;
    let bad_grant =
        form(&app, "/oauth/token", &[("grant_type", "password"), ("client_id", &id), ("client_secret", &secret)]).await;
    assert_eq!(bad_grant.json::<Value>().await.expect("json")["error"], "unsupported_grant_type");
}

/// A refresh-token grant; the answer.
async fn refresh_with(app: &TestApp, refresh: &str) -> reqwest::Response {
    let (id, secret, _) = client(app).await;
    form(
        app,
        "/oauth/token",
        &[("grant_type", "refresh_token"), ("client_id", &id), ("client_secret", &secret), ("refresh_token", refresh)],
    )
    .await
}

/// A `member.basic:read` grant whose access token has been left to expire (a day and a second).
async fn expired_grant(app: &TestApp) -> Value {
    let tokens = tokens_for(app, "member.basic:read").await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 86_401}), 200).await;
    tokens
}

/// The expired grant refreshed (asserted 200): the old refresh token and the new tokens.
async fn refreshed_grant(app: &TestApp) -> (String, Value) {
    let tokens = expired_grant(app).await;
    let refresh = tokens["refresh_token"].as_str().expect("refresh").to_owned();
    let refreshed = refresh_with(app, &refresh).await;
    assert_eq!(refreshed.status(), 200);
    (refresh, refreshed.json().await.expect("json"))
}

#[tokio::test]
async fn list_members_with_a_fresh_access_token_is_200() {
    let app = spawn_app().await;
    let tokens = tokens_for(&app, "member.basic:read").await;
    assert_eq!(get(&app, "/v1/members?limit=1", tokens["access_token"].as_str().expect("access")).await.0, 200);
}

#[tokio::test]
async fn list_members_with_a_day_old_access_token_is_401() {
    let app = spawn_app().await;
    let tokens = expired_grant(&app).await;
    let access = tokens["access_token"].as_str().expect("access");
    assert_eq!(get(&app, "/v1/members?limit=1", access).await.0, 401, "access tokens live 24 h");
}

#[tokio::test]
async fn refresh_rotates_the_refresh_token() {
    let app = spawn_app().await;
    let (refresh, renewed) = refreshed_grant(&app).await;
    assert_ne!(renewed["refresh_token"], json!(refresh), "the refresh token rotates");
}

#[tokio::test]
async fn refresh_with_a_used_refresh_token_is_400() {
    let app = spawn_app().await;
    let (refresh, _) = refreshed_grant(&app).await;
    assert_eq!(refresh_with(&app, &refresh).await.status(), 400, "the old refresh token is consumed");
}

#[tokio::test]
async fn list_members_with_a_refreshed_access_token_is_200() {
    let app = spawn_app().await;
    let (_, renewed) = refreshed_grant(&app).await;
    assert_eq!(get(&app, "/v1/members?limit=1", renewed["access_token"].as_str().expect("access")).await.0, 200);
}

/// The refreshed access token revoked through `/v1/oauth/revoke`: the token and the answer.
async fn revoked_access(app: &TestApp) -> (String, reqwest::Response) {
    let (_, renewed) = refreshed_grant(app).await;
    let new_access = renewed["access_token"].as_str().expect("access").to_owned();
    let (id, secret, _) = client(app).await;
    let revoke = form(
        app,
        "/v1/oauth/revoke",
        &[("client_id", &id), ("client_secret", &secret), ("token", &new_access), ("token_type_hint", "access_token")],
    )
    .await;
    (new_access, revoke)
}

#[tokio::test]
async fn revoke_access_token_is_200_empty() {
    let app = spawn_app().await;
    let (_, revoke) = revoked_access(&app).await;
    assert_eq!((revoke.status().as_u16(), revoke.json::<Value>().await.expect("json")), (200, json!({})));
}

#[tokio::test]
async fn list_members_with_a_revoked_access_token_is_401() {
    let app = spawn_app().await;
    let (new_access, _) = revoked_access(&app).await;
    assert_eq!(get(&app, "/v1/members?limit=1", &new_access).await.0, 401);
}

/// A new grant whose refresh token is revoked through the legacy `/oauth/revoke`: the grant
/// and the answer.
async fn legacy_revoked_refresh(app: &TestApp) -> (Value, reqwest::Response) {
    let other = tokens_for(app, "member.basic:read").await;
    let legacy = form(
        app,
        "/oauth/revoke",
        &[("token", other["refresh_token"].as_str().expect("refresh")), ("token_type_hint", "refresh_token")],
    )
    .await;
    (other, legacy)
}

#[tokio::test]
async fn legacy_revoke_of_a_refresh_token_is_200() {
    let app = spawn_app().await;
    let (_, legacy) = legacy_revoked_refresh(&app).await;
    assert_eq!(legacy.status(), 200);
}

#[tokio::test]
async fn list_members_after_revoking_its_refresh_token_is_401() {
    let app = spawn_app().await;
    let (other, _) = legacy_revoked_refresh(&app).await;
    assert_eq!(
        get(&app, "/v1/members?limit=1", other["access_token"].as_str().expect("a")).await.0,
        401,
        "revoking the refresh token ends its access token"
    );
}

#[tokio::test]
async fn auto_approve_redirects_at_once_for_headless_ci() {
    let app = spawn_app().await;
    let creds = app_creds(&app).await;
    let on = app
        .client
        .patch(app.url("/__admin/vendors/justworks/settings"))
        .json(&json!({"auto_approve": true}))
        .send()
        .await
        .expect("ok");
    assert_eq!(on.status(), 200);
    let url = format!(
        "/oauth/authorize?response_type=code&client_id={}&state=ci&scope=company.basic:read&redirect_uri={}",
        creds["client_id"].as_str().expect("id"),
        creds["redirect_uri"].as_str().expect("uri")
    );
    let response = app.send(Method::GET, &jw(&url), None, None).await;
    assert_eq!(response.status(), 302);
    let params = location_params(&response);
    assert!(params.iter().any(|(k, _)| k == "code") && params.contains(&("state".to_owned(), "ci".to_owned())));
}

async fn all_scopes_token(app: &TestApp) -> String {
    app.get_json("/__admin/credentials", None, 200).await["justworks"]["all_scopes"]["access_token"]
        .as_str()
        .expect("t")
        .to_owned()
}

#[tokio::test]
async fn get_company_under_the_shipped_token_expired_scenario_is_401_three_times() {
    let app = spawn_app().await;
    let token = all_scopes_token(&app).await;
    app.load_shipped_scenario("justworks-token-expired").await;
    let statuses: Vec<u16> = statuses_of(&app, &token, 4).await;
    assert_eq!(statuses, vec![401, 401, 401, 200]);
}

#[tokio::test]
async fn get_company_under_the_shipped_flaky_scenario_fails_about_one_call_in_ten() {
    let app = spawn_app().await;
    let token = all_scopes_token(&app).await;
    app.load_shipped_scenario("justworks-token-expired").await;
    statuses_of(&app, &token, 4).await;
    app.client.delete(app.url("/__admin/scenarios/justworks-token-expired")).send().await.expect("ok");
    app.load_shipped_scenario("justworks-flaky").await;
    let statuses = statuses_of(&app, &token, 200).await;
    let failed = statuses.iter().filter(|s| **s >= 500).count();
    assert!((2..=40).contains(&failed), "about one call in ten fails: {failed}");
    assert!(statuses.iter().all(|s| [200, 500, 503].contains(s)));
}

async fn statuses_of(app: &TestApp, token: &str, n: usize) -> Vec<u16> {
    let mut statuses = Vec::with_capacity(n);
    for _ in 0..n {
        statuses.push(get(app, "/v1/company", token).await.0);
    }
    statuses
}
