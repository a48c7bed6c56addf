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

#[tokio::test]
async fn patch_signup_hook_refuses_a_url_of_this_server() {
    let app = spawn_unthrottled().await;
    let port = app.base.rsplit(':').next().expect("a port").to_owned();
    for url in [
        format!("{}{SIGNUPS}", app.base),
        format!("http://localhost:{port}{SIGNUPS}"),
        format!("http://0.0.0.0:{port}{SIGNUPS}"),
        format!("http://[::ffff:127.0.0.1]:{port}{SIGNUPS}"),
    ] {
        let response = settings_patch(&app, hook(&url)).await;
        assert_eq!(response.status(), 400, "{url}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["error"]["code"], "bad_request", "{body}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("addresses this server")), "{body}");
    }
    let settings = app.get_json("/__admin/vendors/joinup/settings", None, 200).await;
    assert_eq!(settings["signup_hooks"], json!({}), "nothing stored");
}

#[tokio::test]
async fn patch_signup_hook_refuses_an_authorization_no_header_can_carry() {
    let app = spawn_unthrottled().await;
    for authorization in ["Bearer a\nInjected: yes", "Bearer a\u{0}b"] {
        let mut patch = hook("http://127.0.0.1:9/hook");
        patch["signup_hooks"]["group_admin"]["authorization"] = json!(authorization);
        let response = settings_patch(&app, patch).await;
        assert_eq!(response.status(), 400, "{authorization:?}");
        let body: Value = response.json().await.expect("JSON");
        assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("authorization")), "{body}");
    }
    let settings = app.get_json("/__admin/vendors/joinup/settings", None, 200).await;
    assert_eq!(settings["signup_hooks"], json!({}), "nothing stored");
}

#[tokio::test]
async fn signup_refuses_a_hook_of_this_server_set_by_a_snapshot() {
    let app = spawn_unthrottled().await;
    let mut snapshot = app.get_json("/__admin/snapshot", None, 200).await;
    snapshot["vendors"]["joinup"]["settings"]["signup_hooks"] =
        hook(&format!("{}{SIGNUPS}", app.base))["signup_hooks"].clone();
    let put = app.client.put(app.url("/__admin/snapshot")).json(&snapshot).send().await.expect("answered");
    assert_eq!(put.status(), 200);
    let answer = app.admin_post(SIGNUPS, json!({"email": "nora@acme.test"}), 200).await;
    assert_eq!(answer["outcome"], "loop_refused", "{answer}");
    let outbound = app.get_json("/__admin/requests?direction=outbound", None, 200).await;
    assert_eq!(outbound, json!([]), "no call was made");
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

#[tokio::test]
async fn signup_hook_relayed_back_to_the_sandbox_stops_after_one_hop() {
    let app = spawn_unthrottled().await;
    let relay = spawn_relay(app.url(SIGNUPS));
    assert_eq!(settings_patch(&app, hook(&relay)).await.status(), 200);
    let answer = app.admin_post(SIGNUPS, json!({"email": "nora@acme.test"}), 200).await;
    assert_eq!(answer["status"], 200, "{answer}");
    let outbound = app.get_json("/__admin/requests?direction=outbound", None, 200).await;
    let calls = outbound.as_array().expect("entries");
    assert_eq!(calls.len(), 1, "one call, not a loop: {outbound}");
    assert_eq!(calls[0]["headers"]["x-sandbox-hop"], "1");
    let inner: Value = serde_json::from_str(calls[0]["response"]["body"].as_str().expect("answer")).expect("JSON");
    assert_eq!(inner["outcome"], "loop_refused", "{inner}");
    assert!(inner["detail"].as_str().is_some_and(|d| d.contains("x-sandbox-hop")), "{inner}");
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
