//! The outbound signup hook against a real local HTTP server: 200, 404 and a hang.

use super::{get, spawn_unthrottled};
use crate::helpers::TestApp;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::{Value, json};
use std::net::TcpListener;
use std::time::Duration;

/// The client's hook endpoint: answers by the email's local part, and records what it was sent.
async fn client_hook(req: HttpRequest, body: web::Json<Value>) -> HttpResponse {
    let email = body["email"].as_str().unwrap_or_default().to_owned();
    let auth = req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    if auth != "buzz-buzz-buzz-buzz-buzz" {
        return HttpResponse::Unauthorized().json(json!({}));
    }
    match email.split('@').next().unwrap_or_default() {
        "nora" => HttpResponse::Ok().json(json!({
            "name": "Nora Díaz", "email": email, "cost_center": "OPS", "extra_text_1": "Project X",
            "company_name": "Acme Nuevas Rutas SL", "company_cif": "B12345674"
        })),
        "hang" => {
            actix_web::rt::time::sleep(Duration::from_secs(30)).await;
            HttpResponse::Ok().json(json!({}))
        }
        _ => HttpResponse::NotFound().json(json!({})),
    }
}

fn spawn_client() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("addr").port();
    let server = HttpServer::new(|| App::new().route("/hook", web::post().to(client_hook)))
        .workers(1)
        .listen(listener)
        .expect("listens")
        .run();
    tokio::spawn(server);
    format!("http://127.0.0.1:{port}/hook")
}

async fn configure(app: &TestApp, url: &str) {
    let hooks = json!({"signup_hooks": {"group_admin": {
        "url": url, "authorization": "buzz-buzz-buzz-buzz-buzz", "domains": ["acme.test"], "timeout_seconds": 0.5
    }}});
    let response =
        app.client.patch(app.url("/__admin/vendors/joinup/settings")).json(&hooks).send().await.expect("answered");
    assert_eq!(response.status(), 200);
}

/// An app whose group admin's hook is the local client; the hook's URL.
async fn hooked_app() -> (TestApp, String) {
    let app = spawn_unthrottled().await;
    let url = spawn_client();
    configure(&app, &url).await;
    (app, url)
}

/// Far above the hook's 0.5 s timeout, well below the hanging hook's 30 s.
const HANGING_HOOK_ANSWER_TIMEOUT: Duration = Duration::from_secs(15);

async fn signup(app: &TestApp, email: &str) -> Value {
    app.admin_post("/__admin/vendors/joinup/signups", json!({"email": email}), 200).await
}

#[tokio::test]
async fn signup_answered_200_is_created_with_its_company() {
    let (app, _) = hooked_app().await;
    let answer = signup(&app, "nora@acme.test").await;
    assert_eq!(answer["outcome"], "created");
    assert_eq!(answer["status"], 200);
    assert_eq!(answer["company_created"], json!(["Acme Nuevas Rutas SL"]));
}

#[tokio::test]
async fn signup_answered_200_lists_the_employee_under_the_new_company() {
    let (app, _) = hooked_app().await;
    signup(&app, "nora@acme.test").await;
    let (_, listed) = get(&app, "/api/company/employees/?company_cif=B12345674", "group_admin").await;
    assert_eq!(listed["count"], 1);
    insta::assert_json_snapshot!(listed["results"][0], {".id" => "[id]", ".enabled_date" => "[now]"});
}

#[tokio::test]
async fn signup_again_for_the_same_email_is_updated() {
    let (app, _) = hooked_app().await;
    signup(&app, "nora@acme.test").await;
    let again = signup(&app, "nora@acme.test").await;
    assert_eq!(again["outcome"], "updated");
}

#[tokio::test]
async fn signup_journals_each_outbound_call() {
    let (app, url) = hooked_app().await;
    signup(&app, "nora@acme.test").await;
    signup(&app, "nora@acme.test").await;
    let journal = app.get_json("/__admin/requests?vendor=joinup", None, 200).await;
    let outbound: Vec<&Value> =
        journal.as_array().expect("entries").iter().filter(|e| e["direction"] == "outbound").collect();
    assert_eq!(outbound.len(), 2);
    assert_eq!(outbound[0]["url"], json!(url));
    assert_eq!(outbound[0]["method"], "POST");
    assert_eq!(outbound[0]["body"], "{\"email\":\"nora@acme.test\"}");
    assert_eq!(outbound[0]["headers"]["authorization"], "buzz-buzz-buzz-buzz-buzz");
    assert_eq!(outbound[0]["status"], 200);
}

#[tokio::test]
async fn signup_answered_404_is_rejected() {
    let (app, _) = hooked_app().await;
    let not_found = signup(&app, "who@acme.test").await;
    assert_eq!((not_found["outcome"].clone(), not_found["status"].clone()), (json!("rejected"), json!(404)));
}

#[tokio::test]
async fn signup_to_a_hanging_hook_times_out() {
    let (app, _) = hooked_app().await;
    // The hook hangs 30 s and its timeout is 0.5 s: the answer must come inside a client timeout
    // generous for a loaded machine yet short of the hang (an answer that never comes fails).
    let request = app
        .request(reqwest::Method::POST, "/__admin/vendors/joinup/signups")
        .timeout(HANGING_HOOK_ANSWER_TIMEOUT)
        .json(&json!({"email": "hang@acme.test"}));
    let response = request.send().await.expect("answered before the client timeout");
    assert_eq!(response.status(), 200);
    let hang: Value = response.json().await.expect("JSON");
    assert_eq!(hang["outcome"], "timeout");
}

#[tokio::test]
async fn signup_of_an_unregistered_domain_is_no_hook() {
    let (app, _) = hooked_app().await;
    let other = signup(&app, "nora@elsewhere.test").await;
    assert_eq!(other["outcome"], "no_hook");
}

/// A URL on a port nothing listens on.
fn closed_port_url() -> String {
    let closed = TcpListener::bind("127.0.0.1:0").expect("binds");
    let dead = format!("http://{}/hook", closed.local_addr().expect("addr"));
    drop(closed);
    dead
}

#[tokio::test]
async fn signup_to_a_closed_port_is_connection_failed() {
    let (app, _) = hooked_app().await;
    configure(&app, &closed_port_url()).await;
    let refused = signup(&app, "nora@acme.test").await;
    assert_eq!(refused["outcome"], "connection_failed");
}

#[tokio::test]
async fn signup_rejected_timed_out_unhooked_or_refused_creates_no_employee() {
    let (app, _) = hooked_app().await;
    let before = app.get_json("/__admin/vendors", None, 200).await[0]["counts"]["employees"].clone();
    for email in ["who@acme.test", "hang@acme.test", "nora@elsewhere.test"] {
        signup(&app, email).await;
    }
    configure(&app, &closed_port_url()).await;
    signup(&app, "nora@acme.test").await;
    let after = app.get_json("/__admin/vendors", None, 200).await[0]["counts"]["employees"].clone();
    assert_eq!(after, before);
}

#[tokio::test]
async fn signup_with_a_bad_email_is_400() {
    let (app, _) = hooked_app().await;
    let bad = app.admin_post("/__admin/vendors/joinup/signups", json!({"email": "not an email"}), 400).await;
    assert_eq!(bad["error"]["code"], "bad_request");
}

#[tokio::test]
async fn patch_signup_hook_of_an_unknown_identity_is_400() {
    let (app, _) = hooked_app().await;
    let bad_hook = app
        .client
        .patch(app.url("/__admin/vendors/joinup/settings"))
        .json(&json!({"signup_hooks": {"nobody": {"url": "http://x", "domains": []}}}));
    assert_eq!(bad_hook.send().await.expect("answered").status(), 400);
}

/// The client's hook over HTTPS, with a certificate from a CA made by the sandbox's own TLS
/// module; the CA's file.
fn spawn_https_client(name: &str) -> (String, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("hr-sandbox-hook-tls-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let settings = hr_sandbox::tls::TlsSettings { dir, cert: None, key: None, names: Vec::new() };
    let tls = hr_sandbox::tls::prepare(&settings).expect("certificate");
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let port = listener.local_addr().expect("addr").port();
    let server = HttpServer::new(|| App::new().route("/hook", web::post().to(client_hook)))
        .workers(1)
        .listen_rustls_0_23(listener, tls.config)
        .expect("listens")
        .run();
    tokio::spawn(server);
    (format!("https://localhost:{port}/hook"), tls.ca.expect("a generated CA"))
}

#[tokio::test]
async fn signup_to_an_https_hook_with_a_trusted_ca_is_created() {
    let (url, ca) = spawn_https_client("trusted");
    let settings = hr_sandbox::settings::Settings {
        outbound_ca: Some(ca),
        rate_limits: hr_sandbox::settings::RateLimits::Off,
        ..hr_sandbox::settings::Settings::default()
    };
    let app = crate::helpers::spawn_with(settings).await;
    configure(&app, &url).await;
    let answer = signup(&app, "nora@acme.test").await;
    assert_eq!((answer["outcome"].clone(), answer["status"].clone()), (json!("created"), json!(200)), "{answer}");
}

#[tokio::test]
async fn signup_to_an_https_hook_with_an_unknown_ca_is_refused_unanswered() {
    let (url, _) = spawn_https_client("untrusted");
    let untrusting = spawn_unthrottled().await;
    configure(&untrusting, &url).await;
    let refused = signup(&untrusting, "nora@acme.test").await;
    assert_ne!(refused["outcome"], "created", "an unknown CA is not trusted: {refused}");
    let journal = untrusting.get_json("/__admin/requests?direction=outbound", None, 200).await;
    assert_eq!(journal[0]["url"], json!(url));
    assert_eq!(journal[0]["status"], 0, "no answer over an untrusted connection");
}
