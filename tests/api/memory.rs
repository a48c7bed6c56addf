//! What sandboxes cost the real process: a new one is nearly free until a vendor in it is used,
//! and deleting sandboxes gives their memory back. Measured as the binary's RSS.

use crate::process::{Server, start_with};
use serde_json::json;

fn rss_mib(server: &Server) -> f64 {
    server.status_kib("VmRSS:") as f64 / 1024.0
}

async fn create(client: &reqwest::Client, base: &str, name: &str) {
    let created = client.post(format!("{base}/__admin/sandboxes")).json(&json!({"name": name})).send().await;
    assert_eq!(created.expect("answered").status(), 201);
}

async fn delete(client: &reqwest::Client, base: &str, name: &str) {
    let deleted = client.delete(format!("{base}/__admin/sandboxes/{name}")).send().await;
    assert_eq!(deleted.expect("answered").status(), 204);
}

/// RSS in MiB at the start, with 200 unused sandboxes, and after deleting them.
async fn unused_sandboxes_rss() -> (f64, f64, f64) {
    let server = start_with(&["--port", "0", "--workers", "1"], &[], "42");
    let client = reqwest::Client::new();
    assert!(client.get(format!("{}/__admin/health", server.base)).send().await.is_ok());
    let start = rss_mib(&server);
    for n in 0..200 {
        create(&client, &server.base, &format!("unused-{n}")).await;
    }
    let created = rss_mib(&server);
    for n in 0..200 {
        delete(&client, &server.base, &format!("unused-{n}")).await;
    }
    let deleted = rss_mib(&server);
    eprintln!("RSS: start {start:.1} MiB, 200 unused sandboxes {created:.1} MiB, deleted {deleted:.1} MiB");
    (start, created, deleted)
}

#[tokio::test]
async fn create_200_unused_sandboxes_costs_little() {
    let (start, created, _) = unused_sandboxes_rss().await;
    assert!(created - start < 100.0, "200 unused sandboxes grew RSS by {:.1} MiB", created - start);
}

#[tokio::test]
async fn delete_200_unused_sandboxes_gives_their_memory_back() {
    let (start, _, deleted) = unused_sandboxes_rss().await;
    assert!(deleted <= start * 1.1, "after deleting: {deleted:.1} MiB against {start:.1} MiB");
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[tokio::test]
async fn deleting_used_sandboxes_returns_rss_to_within_10_percent() {
    let server = start_with(&["--port", "0", "--workers", "2"], &[], "42");
    let client = reqwest::Client::new();
    // Steady state first: the default sandbox seeded, the workers' buffers and arenas in use.
    let creds = client.get(format!("{}/__admin/credentials", server.base)).send().await;
    assert_eq!(creds.expect("answered").status(), 200);
    let start = rss_mib(&server);
    for n in 0..40 {
        let name = format!("used-{n}");
        create(&client, &server.base, &name).await;
        // Credentials touch every vendor, so every store of the sandbox is seeded.
        let creds = client.get(format!("{}/__admin/credentials?sandbox={name}", server.base)).send().await;
        assert_eq!(creds.expect("answered").status(), 200);
    }
    let used = rss_mib(&server);
    for n in 0..40 {
        delete(&client, &server.base, &format!("used-{n}")).await;
    }
    let deleted = rss_mib(&server);
    eprintln!("RSS: start {start:.1} MiB, 40 seeded sandboxes {used:.1} MiB, deleted {deleted:.1} MiB");
    assert!(used > start + 40.0, "the sandboxes were really seeded");
    assert!(deleted <= start * 1.1, "after deleting: {deleted:.1} MiB against {start:.1} MiB");
}

#[tokio::test]
async fn the_journal_keeps_8_kib_of_each_body_not_the_request_buffer() {
    let server = start_with(&["--port", "0", "--workers", "1"], &[], "42");
    let client = reqwest::Client::new();
    let creds: serde_json::Value = client
        .get(format!("{}/__admin/credentials", server.base))
        .send()
        .await
        .expect("up")
        .json()
        .await
        .expect("json");
    let admin = creds["chiefonboarding"]["admin"]["authorization"].as_str().expect("auth").to_owned();
    let big = serde_json::json!({"first_name": "x".repeat(1_000_000)}).to_string();
    let url = format!("{}/chiefonboarding/api/users/", server.base);
    let post = || client.post(&url).header("Authorization", &admin).header("Content-Type", "application/json");
    post().body(big.clone()).send().await.expect("answered");
    let start = rss_mib(&server);
    for _ in 0..200 {
        post().body(big.clone()).send().await.expect("answered");
    }
    let after = rss_mib(&server);
    eprintln!("RSS: {start:.1} MiB, after 200 journaled 1 MB POSTs {after:.1} MiB");
    assert!(after - start < 50.0, "200 journaled 1 MB bodies grew RSS by {:.1} MiB", after - start);
}

/// One request as large as the server reads: a 30 KB URI, 23 headers of 4 KB and a 9 KB body.
fn maximal_request(client: &reqwest::Client, base: &str, n: usize) -> reqwest::RequestBuilder {
    let query = "q".repeat(30_000);
    let mut request = client.post(format!("{base}/chiefonboarding/api/employees/{n}/?{query}"));
    for h in 0..23 {
        request = request.header(format!("x-filler-{h}"), "v".repeat(4000));
    }
    request.body("b".repeat(9000))
}

#[tokio::test]
async fn the_journal_of_maximal_requests_stays_within_its_byte_budget() {
    let server = start_with(&["--port", "0", "--workers", "1"], &[], "42");
    let client = reqwest::Client::new();
    for n in 0..50 {
        let answer = maximal_request(&client, &server.base, n).send().await.expect("answered");
        assert!(answer.status().as_u16() < 500, "{}", answer.status());
    }
    let start = rss_mib(&server);
    for n in 0..1500 {
        maximal_request(&client, &server.base, n).send().await.expect("answered");
    }
    let after = rss_mib(&server);
    let journal: serde_json::Value =
        client.get(format!("{}/__admin/requests", server.base)).send().await.expect("up").json().await.expect("json");
    let kept = journal.as_array().map_or(0, Vec::len);
    eprintln!("RSS: {start:.1} MiB, after 1500 maximal requests {after:.1} MiB ({kept} journaled)");
    assert!(after - start < 40.0, "1500 maximal requests grew RSS by {:.1} MiB", after - start);
}
