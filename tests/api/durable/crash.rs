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
