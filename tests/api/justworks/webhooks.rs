//! Justworks webhooks through HTTP against a local receiver: signed deliveries that the
//! documented Python check accepts, retries on the schedule driven by the clock (no sleeping),
//! closing and resume, simulate's overrides, seeded faults, verify over deliveries.

use super::receiver::{Received, Receiver};
use crate::helpers::TestApp;
use crate::joinup::spawn_unthrottled as spawn;
use reqwest::Method;
use serde_json::{Value, json};

/// Registers a webhook; the answer (with its secret).
pub async fn register(app: &TestApp, url: &str, events: &[&str], extra: Value) -> Value {
    let mut body = json!({"url": url, "event_types": events});
    if let Value::Object(more) = extra {
        body.as_object_mut().expect("object").extend(more);
    }
    app.admin_post("/__admin/vendors/justworks/webhooks", body, 200).await
}

/// Freezes the clock, so every event and attempt has an exact sandbox time.
pub async fn freeze(app: &TestApp) {
    app.admin_post("/__admin/clock", json!({"frozen": true}), 200).await;
}

/// Moves the clock; the answer comes after the deliveries due were attempted.
pub async fn advance(app: &TestApp, seconds: i64) {
    app.admin_post("/__admin/clock", json!({"advance_seconds": seconds}), 200).await;
}

/// Hires someone by hand into Justworks only; the member id.
pub async fn hire(app: &TestApp, given: &str) -> String {
    app.admin_patch("/__admin/workforce", json!({"vendors": ["justworks"]}), 200).await;
    let body = json!({"type": "hire", "fields": {"given_name": given, "family_name": "Hook"}});
    let event = app.admin_post("/__admin/workforce/events", body, 201).await["event"].clone();
    let records = event["records"].as_array().expect("records");
    let member = records.iter().find(|r| r["vendor"] == "justworks").expect("a Justworks member");
    member["id"].as_str().expect("id").to_owned()
}

/// A webhook management call with the seeded all-scopes token.
pub async fn manage(app: &TestApp, path: &str, body: Option<Value>) -> (u16, Value) {
    let token = super::all_scopes(app).await;
    app.vendor("justworks")
        .call_with(Method::POST, &format!("/v1/webhooks{path}"), &format!("Bearer {token}"), body)
        .await
}

/// The Python snippet of `docs/webhooks.md`, run on a delivery: its verdict.
fn python_verifies(secret: &str, got: &Received) -> bool {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/webhooks.md")).expect("the doc");
    let snippet = doc.split("```python\n").nth(1).and_then(|rest| rest.split("```").next()).expect("a python block");
    let driver = "\nimport os, sys\nprint(verify(os.environ['SECRET'], os.environ['TS'], sys.stdin.buffer.read(), os.environ['SIG']))\n";
    let mut child = std::process::Command::new("python3")
        .arg("-c")
        .arg(format!("{snippet}{driver}"))
        .env("SECRET", secret)
        .env("TS", &got.headers["x-justworks-webhook-signature-timestamp"])
        .env("SIG", &got.headers["x-justworks-webhook-signature"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(&got.body).expect("body written");
    let out = child.wait_with_output().expect("python3 ends");
    assert!(out.status.success(), "python3 failed");
    String::from_utf8_lossy(&out.stdout).trim() == "True"
}

#[tokio::test]
async fn hire_delivers_a_signed_member_profile_created_that_the_python_check_accepts() {
    let (app, rx) = (spawn().await, Receiver::start(200));
    let secret = "whsec-test-0123456789abcdef";
    let hook = register(&app, &rx.url("/jw"), &["member.profile.created"], json!({"secret": secret})).await;
    assert_eq!((hook["status"].clone(), hook["secret"].clone()), (json!("opened"), json!(secret)));
    freeze(&app).await;
    let member = hire(&app, "Ada").await;
    advance(&app, 0).await;
    let got = rx.got();
    assert_eq!(got.len(), 1, "one delivery");
    let envelope = got[0].json();
    let keys: Vec<&str> = envelope.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["id", "event_type", "event_created_at", "event_delivered_at", "data"]);
    assert_eq!(envelope["event_type"], "member.profile.created");
    assert_eq!(envelope["data"]["id"], member.as_str());
    assert_eq!(got[0].path, "/jw");
    assert!(python_verifies(secret, &got[0]), "the documented check accepts the delivery");
    let mut tampered = got[0].clone();
    tampered.body = bytes::Bytes::from(String::from_utf8_lossy(&got[0].body).replace("Ada", "Eve"));
    assert!(!python_verifies(secret, &tampered), "and refuses a changed body");
}

#[tokio::test]
async fn failing_receiver_is_retried_on_the_schedule_then_closed_and_resume_reopens_it() {
    let (app, rx) = (spawn().await, Receiver::start(500));
    let hook = register(&app, &rx.url("/jw"), &["member.profile.created"], json!({})).await;
    freeze(&app).await;
    hire(&app, "Bo").await;
    advance(&app, 0).await;
    assert_eq!(rx.got().len(), 1);
    advance(&app, 59).await;
    assert_eq!(rx.got().len(), 1, "not before a minute");
    for (wait, attempts) in [(1, 2), (300, 3), (1800, 4), (7200, 5), (28_800, 6)] {
        advance(&app, wait).await;
        assert_eq!(rx.got().len(), attempts, "attempt {attempts} after {wait} s");
    }
    let stamps: Vec<i64> =
        rx.got().iter().map(|g| g.headers["x-justworks-webhook-signature-timestamp"].parse().expect("secs")).collect();
    let gaps: Vec<i64> = stamps.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(gaps, [60, 300, 1800, 7200, 28_800]);
    let (status, closed) = manage(&app, "/get?status=closed", None).await;
    assert_eq!((status, closed["items"][0]["id"].clone()), (200, hook["id"].clone()));
    assert_eq!(manage(&app, "/get?status=opened", None).await.1["items"], json!([]));
    advance(&app, 100_000).await;
    assert_eq!(rx.got().len(), 6, "a closed webhook delivers nothing");

    rx.answer(200);
    let (status, resumed) = manage(&app, &format!("/{}/resume", hook["id"].as_str().expect("id")), None).await;
    assert_eq!((status, resumed["status"].clone()), (200, json!("opened")));
    advance(&app, 0).await;
    let got = rx.got();
    assert_eq!(got.len(), 7, "the held delivery goes out on resume");
    assert_eq!(got[6].json()["id"], got[0].json()["id"], "the same event");
    assert_eq!(manage(&app, "/get", Some(json!({"status": "opened"}))).await.1["items"][0]["id"], hook["id"]);
}

#[tokio::test]
async fn simulate_delivers_the_override_payload_to_the_override_url() {
    let (app, rx, other) = (spawn().await, Receiver::start(200), Receiver::start(200));
    let secret = "simulated-secret-0123456789";
    let hook = register(&app, &rx.url("/jw"), &["department.created"], json!({"secret": secret})).await;
    let id = hook["id"].as_str().expect("id");
    let body = json!({"payload_override": {"hello": "world"}, "url_override": other.url("/elsewhere")});
    let (status, answer) = manage(&app, &format!("/{id}/simulate"), Some(body)).await;
    assert_eq!((status, answer["status"].clone()), (200, json!("accepted")), "{answer}");
    advance(&app, 0).await;
    let got = other.got();
    assert_eq!((got.len(), got[0].path.as_str(), got[0].json()), (1, "/elsewhere", json!({"hello": "world"})));
    assert!(python_verifies(secret, &got[0]));
    assert!(rx.got().is_empty(), "not to the webhook's own URL");

    manage(&app, &format!("/{id}/simulate"), None).await;
    advance(&app, 0).await;
    let sample = rx.got()[0].json();
    assert_eq!(sample["event_type"], "department.created");
    assert!(sample["data"]["id"].as_str().is_some_and(|d| d.starts_with("department_")), "{sample}");
}

#[tokio::test]
async fn simulate_and_the_management_endpoints_refuse_bad_calls_in_justworks_errors() {
    let (app, rx) = (spawn().await, Receiver::start(200));
    let hook = register(&app, &rx.url("/jw"), &["member.profile.updated"], json!({})).await;
    let id = hook["id"].as_str().expect("id");
    let cases = [
        ("/get?status=broken".to_owned(), None, 400),
        ("/webhook_nope/resume".to_owned(), None, 404),
        ("/webhook_nope/simulate".to_owned(), None, 404),
        (format!("/{id}/simulate"), Some(json!({"payload_override": [1]})), 400),
        (format!("/{id}/simulate"), Some(json!({"url_override": "ftp://x"})), 400),
        (format!("/{id}/simulate"), Some(json!({"urll_override": "http://x"})), 400),
    ];
    for (path, body, expected) in cases {
        let (status, answer) = manage(&app, &path, body).await;
        assert_eq!(status, expected, "{path}: {answer}");
        assert!(answer["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{answer}");
    }
    let bare = app.vendor("justworks").send(Method::POST, "/v1/webhooks/get", None, None).await;
    assert_eq!(bare.status(), 401);
    advance(&app, 0).await;
    assert!(rx.got().is_empty(), "nothing was queued");
}

/// The events one run receives, in order (event id, hired name), with seeded faults on.
async fn faulty_run(seed: u64) -> Vec<(String, String)> {
    let settings = hr_sandbox::settings::Settings { seed, ..Default::default() };
    let (app, rx) = (crate::helpers::spawn_with(settings).await, Receiver::start(200));
    let faults = json!({"faults": {"duplicate": 0.5, "reorder": 0.5}});
    register(&app, &rx.url("/jw"), &["member.profile.created"], faults).await;
    freeze(&app).await;
    for name in NAMES {
        hire(&app, name).await;
        advance(&app, 1).await;
    }
    advance(&app, 600).await;
    let pair = |g: &Received| {
        let body = g.json();
        (
            body["id"].as_str().expect("id").to_owned(),
            body["data"]["name"]["given_name"].as_str().expect("name").to_owned(),
        )
    };
    rx.got().iter().map(pair).collect()
}

const NAMES: [&str; 8] = ["A", "B", "C", "D", "E", "F", "G", "H"];

#[tokio::test]
async fn seeded_duplicates_and_reordering_are_the_same_for_the_same_seed() {
    let first = faulty_run(7).await;
    assert_eq!(first, faulty_run(7).await, "same seed, same deliveries in the same order");
    let mut order: Vec<&str> = Vec::new();
    for (_, name) in &first {
        if !order.contains(&name.as_str()) {
            order.push(name);
        }
    }
    assert_eq!(order.len(), NAMES.len(), "every event delivered: {first:?}");
    assert!(first.len() > NAMES.len(), "some duplicated (same event id twice): {first:?}");
    assert_ne!(order, NAMES, "some overtaken by later events: {first:?}");
}
