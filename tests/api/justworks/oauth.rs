//! The OAuth 2.0 flow: consent page, approve, deny, bad redirects, codes, refresh, revoke.

use super::{app_creds, form, get, jw, location_params, tokens_for};
use crate::helpers::{exchange, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn authorize_shows_a_consent_page_with_the_app_scopes_and_buttons() {
    let app = spawn_app().await;
    let creds = app_creds(&app).await;
    let url = format!(
        "/oauth/authorize?response_type=code&client_id={}&state=xyz&scope=member.basic:read%20payroll:read&redirect_uri={}",
        creds["client_id"].as_str().expect("id"),
        creds["redirect_uri"].as_str().expect("uri")
    );
    let page = app.send(Method::GET, &jw(&url), None, None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
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
    assert!(!html.contains("<script"), "works without JavaScript");
}

#[tokio::test]
async fn deny_unknown_clients_bad_redirects_and_bad_scopes() {
    let app = spawn_app().await;
    let creds = app_creds(&app).await;
    let (id, uri) = (creds["client_id"].as_str().expect("id"), creds["redirect_uri"].as_str().expect("uri"));
    let deny = form(
        &app,
        "/oauth/authorize",
        &[
            ("response_type", "code"),
            ("client_id", id),
            ("state", "s"),
            ("scope", "payroll:read"),
            ("redirect_uri", uri),
            ("decision", "deny"),
        ],
    )
    .await;
    assert_eq!(
        location_params(&deny),
        vec![("error".to_owned(), "access_denied".to_owned()), ("state".to_owned(), "s".to_owned())]
    );
    for query in [
        format!("response_type=code&client_id=nobody&scope=payroll:read&redirect_uri={uri}"),
        format!("response_type=code&client_id={id}&scope=payroll:read&redirect_uri=http://evil.test/cb"),
    ] {
        let page = app.send(Method::GET, &jw(&format!("/oauth/authorize?{query}")), None, None).await;
        assert_eq!(page.status(), 400, "an error page, never a redirect: {query}");
        assert!(page.headers().get("location").is_none());
    }
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

#[tokio::test]
async fn codes_are_single_use_expire_and_must_match_the_redirect() {
    let app = spawn_app().await;
    let creds = app_creds(&app).await;
    let (id, secret, uri) = (
        creds["client_id"].as_str().expect("id"),
        creds["client_secret"].as_str().expect("s"),
        creds["redirect_uri"].as_str().expect("u"),
    );
    let code = |app| async move {
        let approve = form(
            app,
            "/oauth/authorize",
            &[
                ("response_type", "code"),
                ("client_id", id),
                ("state", "s"),
                ("scope", "payroll:read"),
                ("redirect_uri", uri),
                ("decision", "approve"),
            ],
        )
        .await;
        location_params(&approve).into_iter().find(|(k, _)| k == "code").expect("code").1
    };
    let exchange_code = |app, code: String, redirect: &'static str| async move {
        form(
            app,
            "/oauth/token",
            &[
                ("grant_type", "authorization_code"),
                ("client_id", id),
                ("client_secret", secret),
                ("code", &code),
                ("redirect_uri", redirect),
            ],
        )
        .await
    };
    let first = code(&app).await;
    let wrong_redirect = exchange_code(&app, first.clone(), "http://localhost:8765/callback").await;
    assert_eq!(
        (wrong_redirect.status().as_u16(), wrong_redirect.json::<Value>().await.expect("json")["error"].clone()),
        (400, json!("invalid_grant"))
    );
    let ok = exchange_code(&app, first.clone(), "http://127.0.0.1:8765/callback").await;
    assert_eq!(ok.status(), 200);
    let tokens: Value = ok.json().await.expect("json");
    assert_eq!((tokens["token_type"].clone(), tokens["scope"].clone()), (json!("Bearer"), json!("payroll:read")));
    let reused = exchange_code(&app, first, "http://127.0.0.1:8765/callback").await;
    assert_eq!(reused.status(), 400);
    let access = tokens["access_token"].as_str().expect("token");
    assert_eq!(get(&app, "/v1/members", access).await.0, 401, "a replayed code revokes what it gave");
    let late = code(&app).await;
    app.admin_post("/__admin/clock", json!({"advance_seconds": 601}), 200).await;
    let expired = exchange_code(&app, late, "http://127.0.0.1:8765/callback").await;
    insta::assert_json_snapshot!(exchange(expired, &["content-type"]).await);
    let bad_client = form(
        &app,
        "/oauth/token",
        &[("grant_type", "authorization_code"), ("client_id", id), ("client_secret", "wrong"), ("code", "x")],
    )
    .await;
    assert_eq!(
        (bad_client.status().as_u16(), bad_client.json::<Value>().await.expect("json")["error"].clone()),
        (401, json!("invalid_client"))
    );
    let bad_grant =
        form(&app, "/oauth/token", &[("grant_type", "password"), ("client_id", id), ("client_secret", secret)]).await;
    assert_eq!(bad_grant.json::<Value>().await.expect("json")["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn tokens_expire_refresh_rotates_and_both_revokes_work() {
    let app = spawn_app().await;
    let creds = app_creds(&app).await;
    let (id, secret) = (creds["client_id"].as_str().expect("id"), creds["client_secret"].as_str().expect("s"));
    let tokens = tokens_for(&app, "member.basic:read").await;
    let access = tokens["access_token"].as_str().expect("access").to_owned();
    assert_eq!(get(&app, "/v1/members?limit=1", &access).await.0, 200);
    app.admin_post("/__admin/clock", json!({"advance_seconds": 86_401}), 200).await;
    assert_eq!(get(&app, "/v1/members?limit=1", &access).await.0, 401, "access tokens live 24 h");
    let refresh = tokens["refresh_token"].as_str().expect("refresh").to_owned();
    let refreshed = form(
        &app,
        "/oauth/token",
        &[("grant_type", "refresh_token"), ("client_id", id), ("client_secret", secret), ("refresh_token", &refresh)],
    )
    .await;
    assert_eq!(refreshed.status(), 200);
    let renewed: Value = refreshed.json().await.expect("json");
    assert_ne!(renewed["refresh_token"], json!(refresh), "the refresh token rotates");
    let again = form(
        &app,
        "/oauth/token",
        &[("grant_type", "refresh_token"), ("client_id", id), ("client_secret", secret), ("refresh_token", &refresh)],
    )
    .await;
    assert_eq!(again.status(), 400, "the old refresh token is consumed");
    let new_access = renewed["access_token"].as_str().expect("access").to_owned();
    assert_eq!(get(&app, "/v1/members?limit=1", &new_access).await.0, 200);
    let revoke = form(
        &app,
        "/v1/oauth/revoke",
        &[("client_id", id), ("client_secret", secret), ("token", &new_access), ("token_type_hint", "access_token")],
    )
    .await;
    assert_eq!((revoke.status().as_u16(), revoke.json::<Value>().await.expect("json")), (200, json!({})));
    assert_eq!(get(&app, "/v1/members?limit=1", &new_access).await.0, 401);
    let other = tokens_for(&app, "member.basic:read").await;
    let legacy = form(
        &app,
        "/oauth/revoke",
        &[("token", other["refresh_token"].as_str().expect("refresh")), ("token_type_hint", "refresh_token")],
    )
    .await;
    assert_eq!(legacy.status(), 200);
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

#[tokio::test]
async fn the_shipped_justworks_scenarios_expire_tokens_and_flake() {
    let app = spawn_app().await;
    let token = app.get_json("/__admin/credentials", None, 200).await["justworks"]["all_scopes"]["access_token"]
        .as_str()
        .expect("t")
        .to_owned();
    app.load_shipped_scenario("justworks-token-expired").await;
    let statuses: Vec<u16> = statuses_of(&app, &token, 4).await;
    assert_eq!(statuses, vec![401, 401, 401, 200]);
    app.client.delete(app.url("/__admin/scenarios/justworks-token-expired")).send().await.expect("ok");
    app.load_shipped_scenario("justworks-flaky").await;
    let statuses = statuses_of(&app, &token, 200).await;
    let failed = statuses.iter().filter(|s| **s >= 500).count();
    assert!((2..=40).contains(&failed), "about one call in ten fails: {failed}");
    assert!(statuses.iter().all(|s| [200, 500, 503].contains(s)));
}

async fn statuses_of(app: &crate::helpers::TestApp, token: &str, n: usize) -> Vec<u16> {
    let mut statuses = Vec::with_capacity(n);
    for _ in 0..n {
        statuses.push(get(app, "/v1/company", token).await.0);
    }
    statuses
}
