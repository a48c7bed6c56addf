//! Justworks webhooks attacked as a stranger would: hostile state in a snapshot, hostile
//! receivers. Each case is refused with the admin API's clear error and changes nothing, or
//! answers in bounded time.

use super::webhooks::{freeze, register};
use crate::helpers::TestApp;
use crate::joinup::spawn_unthrottled as spawn;
use reqwest::Method;
use serde_json::{Value, json};

async fn snapshot(app: &TestApp) -> Value {
    app.execute(app.request(Method::GET, "/__admin/snapshot")).await.json().await.expect("snapshot")
}

/// A pending delivery to `target`, as a snapshot carries it.
fn pending(target: &Value, seq: u64, attempts: u64) -> Value {
    json!({"seq": seq, "target": target, "due": "2026-01-01T00:00:00Z", "attempts": attempts,
        "payload": {"event": {"id": "event_x", "event_type": "member.profile.created"}}})
}

#[tokio::test]
async fn a_snapshot_with_overflowing_queue_counters_is_refused_and_changes_nothing() {
    let app = spawn().await;
    register(&app, "http://127.0.0.1:9/hook", &["member.profile.created"], json!({})).await;
    freeze(&app).await;
    let good = snapshot(&app).await;
    let target = good["vendors"]["justworks"]["state"]["webhooks"]["list"][0]["id"].clone();
    let queues = [
        (json!({"pending": [pending(&target, 0, u64::from(u32::MAX))], "next_seq": 1}), "attempts"),
        (json!({"pending": [], "next_seq": u64::MAX}), "next_seq"),
        (json!({"pending": [pending(&target, 5, 0)], "next_seq": 1}), "seq"),
        (json!({"pending": [pending(&target, 0, 0), pending(&target, 0, 0)], "next_seq": 1}), "seq"),
    ];
    for (queue, field) in queues {
        let mut hostile = good.clone();
        hostile["vendors"]["justworks"]["state"]["webhooks"]["queue"] = queue.clone();
        let put = app.execute(app.request(Method::PUT, "/__admin/snapshot").json(&hostile)).await;
        let status = put.status().as_u16();
        let answer: Value = put.json().await.unwrap_or_default();
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        assert_eq!(status, 400, "{queue}: {answer}");
        assert!(message.contains(field), "{queue}: {message}");
    }
    // Nothing changed, and the clock still moves (and delivers) without a panic.
    let clock = json!({"advance_seconds": 31_536_000});
    app.admin_post("/__admin/clock", clock, 200).await;
    let after = snapshot(&app).await;
    assert_eq!(
        after["vendors"]["justworks"]["state"]["webhooks"]["list"],
        good["vendors"]["justworks"]["state"]["webhooks"]["list"]
    );
    let hire = json!({"type": "hire", "fields": {"given_name": "Ov"}});
    app.admin_patch("/__admin/workforce", json!({"vendors": ["justworks"]}), 200).await;
    app.admin_post("/__admin/workforce/events", hire, 201).await;
}

/// A receiver that accepts connections (the kernel's backlog) and never answers: every attempt
/// to it costs its whole timeout.
fn hanging_receiver() -> (std::net::TcpListener, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let url = format!("http://{}/hangs", listener.local_addr().expect("addr"));
    (listener, url)
}

#[tokio::test]
async fn a_clock_jump_of_a_year_over_a_receiver_that_never_answers_returns_in_bounded_time() {
    let app = spawn().await;
    let (_listener, url) = hanging_receiver();
    register(&app, &url, &["member.profile.created"], json!({})).await;
    freeze(&app).await;
    for name in ["Ha", "Hb", "Hc"] {
        super::webhooks::hire(&app, name).await;
    }
    // Unbounded, the jump attempts 16 deliveries of 10 s each (160 s) before answering.
    let started = std::time::Instant::now();
    app.admin_post("/__admin/clock", json!({"advance_seconds": 31_536_000}), 200).await;
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(70), "the clock answered after {took:?}");
}

#[tokio::test]
async fn simulated_deliveries_waiting_on_a_hanging_receiver_are_bounded() {
    let app = spawn().await;
    let (_listener, url) = hanging_receiver();
    let hook = register(&app, &url, &["member.profile.created"], json!({})).await;
    let path = format!("/{}/simulate", hook["id"].as_str().expect("id"));
    let big = json!({"payload_override": {"zeros": vec![0; 30_000]}});
    for _ in 0..10 {
        let (status, answer) = super::webhooks::manage(&app, &path, Some(big.clone())).await;
        assert_eq!(status, 200, "{answer}");
    }
    let (status, answer) = super::webhooks::manage(&app, &path, Some(big.clone())).await;
    assert_eq!(status, 429, "{answer}");
    let state = app.get_json("/__admin/vendors/justworks/state", None, 200).await;
    assert!(state["webhooks"][0]["pending_deliveries"].as_u64().is_some_and(|n| n <= 10), "{state}");
}
