//! `kill -9` in the middle of a burst of concurrent writes: every acknowledged write is there,
//! and nothing unacknowledged is half there.

use super::{Api, fresh_dir, kill_9, serve};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_mid_burst_keeps_every_acknowledged_write() {
    let dir = fresh_dir("crash");
    let mut server = serve(&dir);
    let api = Arc::new(Api::of(&server));
    let auth = Arc::new(api.auth("chiefonboarding", "admin", "default").await);
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let attempted = Arc::new(Mutex::new(BTreeSet::new()));
    let mut writers = Vec::new();
    for thread in 0..8 {
        let (api, auth, acknowledged, attempted) =
            (Arc::clone(&api), Arc::clone(&auth), Arc::clone(&acknowledged), Arc::clone(&attempted));
        writers.push(tokio::spawn(async move {
            for i in 0..1000 {
                let email = format!("burst-{thread}-{i}@acme.test");
                attempted.lock().expect("lock").insert(email.clone());
                let user = serde_json::json!({"first_name": "Burst", "last_name": "User", "email": email, "role": 0});
                let sent = api
                    .client
                    .post(format!("{}/chiefonboarding/api/users/", api.base))
                    .header("Authorization", auth.as_str())
                    .json(&user)
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status() == 201 => {
                        acknowledged.lock().expect("lock").insert(email);
                    }
                    Ok(response) => panic!("a write was refused: {}", response.status()),
                    Err(_) => return, // the server is gone
                }
            }
        }));
    }
    // Let the burst run, then kill the server under it.
    while acknowledged.lock().expect("lock").len() < 60 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    kill_9(&mut server);
    for writer in writers {
        writer.await.expect("writer");
    }
    let restarted = serve(&dir);
    let state: Value =
        serde_json::from_str(&Api::of(&restarted).get("/__admin/vendors/chiefonboarding/state", None).await)
            .expect("json");
    let users = state["users"].as_array().expect("users");
    let kept: BTreeSet<String> = users
        .iter()
        .filter_map(|u| u["email"].as_str())
        .filter(|e| e.starts_with("burst-"))
        .map(str::to_owned)
        .collect();
    let acknowledged = acknowledged.lock().expect("lock").clone();
    let attempted = attempted.lock().expect("lock").clone();
    let lost: Vec<&String> = acknowledged.difference(&kept).collect();
    assert!(lost.is_empty(), "acknowledged writes lost by kill -9: {lost:?}");
    let invented: Vec<&String> = kept.difference(&attempted).collect();
    assert!(invented.is_empty(), "users nobody asked for: {invented:?}");
    for user in users.iter().filter(|u| u["email"].as_str().is_some_and(|e| e.starts_with("burst-"))) {
        assert_eq!(
            (user["first_name"].as_str(), user["last_name"].as_str()),
            (Some("Burst"), Some("User")),
            "whole: {user}"
        );
    }
}

/// One writer's kind: ChiefOnboarding user creates, or Justworks deduction creates.
#[derive(Clone, Copy)]
enum Kind {
    User,
    Deduction,
}

/// The request a writer sends for its `n`th write (`n` is unique across writers): a user whose
/// email, or a deduction whose amount, says which write it is.
fn write_of(kind: Kind, n: u64, member: &str) -> (&'static str, Value) {
    match kind {
        Kind::User => (
            "/chiefonboarding/api/users/",
            serde_json::json!({"first_name": "Twin", "last_name": "User", "email": format!("twin-{n}@acme.test"), "role": 0}),
        ),
        Kind::Deduction => (
            "/justworks/v1/deductions",
            serde_json::json!({"items": [{"operation_id": format!("op-{n}"), "member_id": member,
                "deduction_type_code": "health_insurance", "amount_type": "fixed", "amount": n,
                "currency": "USD", "frequency": "every_paycheck", "start_date": "2026-02-01"}]}),
        ),
    }
}

/// The writes (their numbers) a server holds, in the order it made them: users by id, deductions
/// in their list's order.
async fn writes_held(api: &Api) -> (Vec<u64>, Vec<u64>) {
    let co: Value = serde_json::from_str(&api.get("/__admin/vendors/chiefonboarding/state", None).await).expect("json");
    let mut users: Vec<(u64, u64)> = co["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| {
            let n = u["email"].as_str()?.strip_prefix("twin-")?.strip_suffix("@acme.test")?.parse().ok()?;
            Some((u["id"].as_u64()?, n))
        })
        .collect();
    users.sort_unstable();
    let jw: Value = serde_json::from_str(&api.get("/__admin/vendors/justworks/state", None).await).expect("json");
    let deductions = jw["deductions"]
        .as_array()
        .expect("deductions")
        .iter()
        .filter_map(|d| d["amount"].as_u64().filter(|n| *n >= 1_000_000))
        .collect();
    (users.into_iter().map(|(_, n)| n).collect(), deductions)
}

/// Freezes the sandbox clock of the server `api` talks to (both servers answer at one instant).
async fn freeze(api: &Api) {
    let frozen = serde_json::json!({"set": "2031-01-05T09:00:00Z", "frozen": true});
    assert_eq!(api.send("POST", "/__admin/clock", None, Some(frozen)).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_mid_burst_leaves_the_state_of_a_twin_given_the_writes_kept() {
    let dir = fresh_dir("crash-twin");
    let mut server = serve(&dir);
    let api = Arc::new(Api::of(&server));
    freeze(&api).await;
    let auths = Arc::new([
        api.auth("chiefonboarding", "admin", "default").await,
        api.auth("justworks", "all_scopes", "default").await,
    ]);
    let members: Value = serde_json::from_str(&api.get("/justworks/v1/members", Some(&auths[1])).await).expect("json");
    let member = Arc::new(members["items"][0]["id"].as_str().expect("a member").to_owned());
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let attempted = Arc::new(Mutex::new(BTreeSet::new()));
    let mut writers = Vec::new();
    for writer in 0..8u64 {
        let (api, auths, member) = (Arc::clone(&api), Arc::clone(&auths), Arc::clone(&member));
        let (acknowledged, attempted) = (Arc::clone(&acknowledged), Arc::clone(&attempted));
        let kind = if writer % 2 == 0 { Kind::User } else { Kind::Deduction };
        writers.push(tokio::spawn(async move {
            for i in 0..1000 {
                // Deduction amounts start at 1,000,000: no seeded deduction has one that big.
                let n = 1_000_000 + writer * 10_000 + i;
                let (path, body) = write_of(kind, n, &member);
                attempted.lock().expect("lock").insert(n);
                let auth = &auths[usize::from(matches!(kind, Kind::Deduction))];
                let sent = api
                    .client
                    .post(format!("{}{path}", api.base))
                    .header("Authorization", auth.as_str())
                    .json(&body)
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status().is_success() => {
                        acknowledged.lock().expect("lock").insert(n);
                    }
                    Ok(response) => panic!("a write was refused: {}", response.status()),
                    Err(_) => return, // the server is gone
                }
            }
        }));
    }
    while acknowledged.lock().expect("lock").len() < 80 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    kill_9(&mut server);
    for writer in writers {
        writer.await.expect("writer");
    }
    let restarted = serve(&dir);
    let restarted = Api::of(&restarted);
    let (users, deductions) = writes_held(&restarted).await;
    let held: BTreeSet<u64> = users.iter().chain(&deductions).copied().collect();
    let acknowledged = acknowledged.lock().expect("lock").clone();
    let attempted = attempted.lock().expect("lock").clone();
    let lost: Vec<&u64> = acknowledged.difference(&held).collect();
    assert!(lost.is_empty(), "acknowledged writes lost by kill -9: {lost:?}");
    let invented: Vec<&u64> = held.difference(&attempted).collect();
    assert!(invented.is_empty(), "writes nobody asked for: {invented:?}");
    // A server that never crashed, given exactly the writes held (those whose answer never
    // came included, when they are there), in the order they were made, holds the same state:
    // nothing is half there.
    let twin_server = crate::process::start_with(&["--port", "0", "--workers", "2"], &[], "42");
    let twin = Api::of(&twin_server);
    freeze(&twin).await;
    let twin_auths =
        [twin.auth("chiefonboarding", "admin", "default").await, twin.auth("justworks", "all_scopes", "default").await];
    for (kind, numbers) in [(Kind::User, &users), (Kind::Deduction, &deductions)] {
        for n in numbers {
            let (path, body) = write_of(kind, *n, &member);
            let auth = &twin_auths[usize::from(matches!(kind, Kind::Deduction))];
            let (status, answer) = twin.send("POST", path, Some(auth), Some(body)).await;
            assert!((200..300).contains(&status), "the twin takes write {n}: {status} {answer}");
        }
    }
    for vendor in ["chiefonboarding", "justworks"] {
        let path = format!("/__admin/vendors/{vendor}/state");
        assert!(restarted.get(&path, None).await == twin.get(&path, None).await, "{vendor}: the twin's state differs");
    }
}
