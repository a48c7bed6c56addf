//! The signup hook never loops: a hook URL of the sandbox itself is refused (when set and when
//! called), a call relayed back through another server stops after one hop, the hook's
//! `authorization` is a valid header value, and the vendor state's `signups` is bounded.

use super::spawn_unthrottled;
use crate::helpers::TestApp;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::{Value, json};
use std::net::TcpListener;

const SIGNUPS: &str = "/__admin/vendors/joinup/signups";

fn hook(url: &str) -> Value {
    json!({"signup_hooks": {"group_admin": {"url": url, "domains": ["acme.test"], "timeout_seconds": 2}}})
}

async fn settings_patch(app: &TestApp, patch: Value) -> reqwest::Response {
    app.client.patch(app.url("/__admin/vendors/joinup/settings")).json(&patch).send().await.expect("answered")
}

async fn signups_kept(app: &TestApp) -> usize {
    let state = app.get_json("/__admin/vendors/joinup/state", None, 200).await;
    state["signups"].as_array().map_or(0, Vec::len)
}

/// Hook URLs that address this server by other names.
fn urls_of_this_server(app: &TestApp) -> Vec<String> {
    let port = app.base.rsplit(':').next().expect("a port").to_owned();
    vec![
        format!("{}{SIGNUPS}", app.base),
        format!("http://localhost:{port}{SIGNUPS}"),
        format!("http://0.0.0.0:{port}{SIGNUPS}"),
        format!("http://[::ffff:127.0.0.1]:{port}{SIGNUPS}"),
    ]
}

/// Hook settings whose `authorization` no header can carry, one per bad value.
fn hooks_with_bad_authorization() -> Vec<Value> {
    ["Bearer a\nInjected: yes", "Bearer a\u{0}b"]
        .into_iter()
        .map(|authorization| {
            let mut patch = hook("http://127.0.0.1:9/hook");
            patch["signup_hooks"]["group_admin"]["authorization"] = json!(authorization);
            patch
        })
        .collect()
}

async fn assert_no_hook_stored(app: &TestApp) {
    let settings = app.get_json("/__admin/vendors/joinup/settings", None, 200).await;
    assert_eq!(settings["signup_hooks"], json!({}), "nothing stored");
}

#[tokio::test]
async fn patch_signup_hook_to_a_url_of_this_server_is_400() {
    let app = spawn_unthrottled().await;
    for url in urls_of_this_server(&app) {
        let response = settings_patch(&app, hook(&url)).await;
        assert_eq!(response.status(), 400, "{url}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["error"]["code"], "bad_request", "{body}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("addresses this server")), "{body}");
    }
}

#[tokio::test]
async fn patch_signup_hook_to_a_url_of_this_server_stores_nothing() {
    let app = spawn_unthrottled().await;
    for url in urls_of_this_server(&app) {
        settings_patch(&app, hook(&url)).await;
    }
    assert_no_hook_stored(&app).await;
}

#[tokio::test]
async fn patch_signup_hook_with_an_authorization_no_header_can_carry_is_400() {
    let app = spawn_unthrottled().await;
    for patch in hooks_with_bad_authorization() {
        let authorization = patch["signup_hooks"]["group_admin"]["authorization"].clone();
        let response = settings_patch(&app, patch).await;
        assert_eq!(response.status(), 400, "{authorization:?}");
        let body: Value = response.json().await.expect("JSON");
        assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("authorization")), "{body}");
    }
}

#[tokio::test]
async fn patch_signup_hook_with_an_authorization_no_header_can_carry_stores_nothing() {
    let app = spawn_unthrottled().await;
    for patch in hooks_with_bad_authorization() {
        settings_patch(&app, patch).await;
    }
    assert_no_hook_stored(&app).await;
}

/// A hook of this server's own signups put in by a snapshot, then a signup: its answer.
async fn signup_through_a_snapshot_set_self_hook(app: &TestApp) -> Value {
    let mut snapshot = app.get_json("/__admin/snapshot", None, 200).await;
    snapshot["vendors"]["joinup"]["settings"]["signup_hooks"] =
        hook(&format!("{}{SIGNUPS}", app.base))["signup_hooks"].clone();
    let put = app.client.put(app.url("/__admin/snapshot")).json(&snapshot).send().await.expect("answered");
    assert_eq!(put.status(), 200);
    app.admin_post(SIGNUPS, json!({"email": "nora@acme.test"}), 200).await
}

#[tokio::test]
async fn signup_to_a_self_hook_set_by_a_snapshot_is_loop_refused() {
    let app = spawn_unthrottled().await;
    let answer = signup_through_a_snapshot_set_self_hook(&app).await;
    assert_eq!(answer["outcome"], "loop_refused", "{answer}");
}

#[tokio::test]
async fn signup_to_a_self_hook_set_by_a_snapshot_makes_no_call() {
    let app = spawn_unthrottled().await;
    signup_through_a_snapshot_set_self_hook(&app).await;
    let outbound = app.get_json("/__admin/requests?direction=outbound", None, 200).await;
    assert_eq!(outbound, json!([]), "no call was made");
}

#[tokio::test]
async fn signup_to_a_self_hook_set_by_a_snapshot_is_kept_in_signups() {
    let app = spawn_unthrottled().await;
    signup_through_a_snapshot_set_self_hook(&app).await;
    assert_eq!(signups_kept(&app).await, 1);
}

/// Another server that relays every hook call, headers included, back to the sandbox's signups.
fn spawn_relay(target: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("addr").port();
    let server = HttpServer::new(move || {
        let target = target.clone();
        App::new().route(
            "/hook",
            web::post().to(move |req: HttpRequest, body: web::Bytes| {
                let target = target.clone();
                async move {
                    let mut relayed = reqwest::Client::new().post(&target).body(body.to_vec());
                    for (name, value) in req.headers() {
                        if name != "host" && name != "content-length" {
                            relayed = relayed.header(name.as_str(), value.as_bytes());
                        }
                    }
                    let answer = relayed.send().await.expect("relayed");
                    let status = answer.status().as_u16();
                    let body = answer.bytes().await.expect("body");
                    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).expect("status"))
                        .content_type("application/json")
                        .body(body)
                }
            }),
        )
    })
    .workers(1)
    .listen(listener)
    .expect("listens")
    .run();
    tokio::spawn(server);
    format!("http://127.0.0.1:{port}/hook")
}

/// A hook relayed by another server back to this one, then a signup: the outbound journal.
async fn signup_through_a_relay_back(app: &TestApp) -> Vec<Value> {
    let relay = spawn_relay(app.url(SIGNUPS));
    assert_eq!(settings_patch(app, hook(&relay)).await.status(), 200);
    let answer = app.admin_post(SIGNUPS, json!({"email": "nora@acme.test"}), 200).await;
    assert_eq!(answer["status"], 200, "{answer}");
    let outbound = app.get_json("/__admin/requests?direction=outbound", None, 200).await;
    outbound.as_array().expect("entries").clone()
}

#[tokio::test]
async fn signup_hook_relayed_back_is_called_once_with_a_hop_header() {
    let app = spawn_unthrottled().await;
    let calls = signup_through_a_relay_back(&app).await;
    assert_eq!(calls.len(), 1, "one call, not a loop: {calls:?}");
    assert_eq!(calls[0]["headers"]["x-sandbox-hop"], "1");
}

#[tokio::test]
async fn signup_hook_relayed_back_is_loop_refused_by_the_inner_call() {
    let app = spawn_unthrottled().await;
    let calls = signup_through_a_relay_back(&app).await;
    let inner: Value = serde_json::from_str(calls[0]["response"]["body"].as_str().expect("answer")).expect("JSON");
    assert_eq!(inner["outcome"], "loop_refused", "{inner}");
    assert!(inner["detail"].as_str().is_some_and(|d| d.contains("x-sandbox-hop")), "{inner}");
}

#[tokio::test]
async fn signup_hook_relayed_back_keeps_both_signups() {
    let app = spawn_unthrottled().await;
    signup_through_a_relay_back(&app).await;
    assert_eq!(signups_kept(&app).await, 2, "the relayed signup and the first one");
}

#[tokio::test]
async fn signups_keep_only_the_newest_thousand() {
    let app = spawn_unthrottled().await;
    let closed = TcpListener::bind("127.0.0.1:0").expect("binds");
    let dead = format!("http://{}/hook", closed.local_addr().expect("addr"));
    drop(closed);
    assert_eq!(settings_patch(&app, hook(&dead)).await.status(), 200);
    for i in 0..1001 {
        let answer = app.admin_post(SIGNUPS, json!({"email": format!("u{i}@acme.test")}), 200).await;
        assert_eq!(answer["outcome"], "connection_failed");
    }
    let state = app.get_json("/__admin/vendors/joinup/state", None, 200).await;
    let signups = state["signups"].as_array().expect("signups");
    assert_eq!(signups.len(), 1000);
    assert_eq!(signups[0]["email"], "u1@acme.test", "the oldest went");
    assert_eq!(signups[999]["email"], "u1000@acme.test");
}
