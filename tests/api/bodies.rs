//! Request bodies are bounded in size, work and time: a large or hostile snapshot document is
//! refused before it is built (measured as the real process's peak RSS), is read off the async
//! workers, and no body may trickle in forever.

use crate::helpers::spawn_with;
use crate::process::{Server, start_with};
use hr_sandbox::settings::Settings;
use serde_json::Value;
use std::io::{Read, Write};
use std::time::Duration;

/// The process's peak resident memory (VmHWM), in bytes.
fn peak_bytes(server: &Server) -> u64 {
    server.status_kib("VmHWM:") * 1024
}

/// A snapshot whose Joinup tenants are `items` (a valid header around a hostile part).
fn with_tenants(items: &str, count: usize) -> Vec<u8> {
    let head = r#"{"format":"hr-sandbox-snapshot","version":1,"seed":1,"clock":{"now":"2026-01-01T00:00:00Z","frozen":true},"vendors":{"joinup":{"settings":{},"state":{"tenants":["#;
    let mut body = Vec::with_capacity(head.len() + count * (items.len() + 1) + 8);
    body.extend_from_slice(head.as_bytes());
    for i in 0..count {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(items.as_bytes());
    }
    body.extend_from_slice(b"]}}}}");
    body
}

/// Sends `body` as JSON to a fresh server; the peak RSS growth it caused (bytes) and the answer.
async fn send_measured(method: reqwest::Method, path: &str, body: Vec<u8>) -> (u64, u16, Value) {
    let server = start_with(&["--port", "0", "--workers", "1"], &[], "42");
    let before = peak_bytes(&server);
    let res = reqwest::Client::new()
        .request(method, format!("{}{path}", server.base))
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .expect("answered");
    let status = res.status().as_u16();
    let answer: Value = res.json().await.expect("json");
    (peak_bytes(&server).saturating_sub(before), status, answer)
}

/// PUTs `body` as a snapshot; the peak RSS growth it caused (bytes) and the answer.
async fn put_measured(body: Vec<u8>) -> (u64, u16, Value) {
    send_measured(reqwest::Method::PUT, "/__admin/snapshot", body).await
}

/// PUTs `body` as a snapshot: 400 `invalid_snapshot`, and the server's peak memory grew by
/// less than three times the document's size.
async fn put_is_refused_within_3x_its_size(body: Vec<u8>) {
    let size = body.len() as u64;
    let (growth, status, answer) = put_measured(body).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (400, Some("invalid_snapshot")), "{answer}");
    assert!(growth < 3 * size, "peak grew {growth} bytes for a {size}-byte document");
}

#[tokio::test]
async fn put_snapshot_refuses_a_30_mb_flat_array_within_3x_its_size() {
    let body = format!("[{}0]", "0,".repeat(15_000_000)).into_bytes();
    put_is_refused_within_3x_its_size(body).await;
}

#[tokio::test]
async fn put_snapshot_refuses_a_30_mb_wide_vendor_part_within_3x_its_size() {
    let body = with_tenants("0", 15_000_000);
    put_is_refused_within_3x_its_size(body).await;
}

#[tokio::test]
async fn put_snapshot_refuses_a_30_mb_vendor_part_within_the_budget_within_3x_its_size() {
    // 5 bytes a value: within the work budget, so only typed reading keeps it cheap.
    let body = with_tenants("1000", 6_000_000);
    put_is_refused_within_3x_its_size(body).await;
}

#[tokio::test]
async fn create_sandbox_refuses_a_30_mb_vendor_part_within_the_budget_within_3x_its_size() {
    let snapshot = with_tenants("1000", 6_000_000);
    let mut body = br#"{"name":"hostile","snapshot":"#.to_vec();
    body.extend_from_slice(&snapshot);
    body.push(b'}');
    let size = body.len() as u64;
    let (growth, status, answer) = send_measured(reqwest::Method::POST, "/__admin/sandboxes", body).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (400, Some("invalid_snapshot")), "{answer}");
    assert!(growth < 3 * size, "peak grew {growth} bytes for a {size}-byte request");
}

#[tokio::test]
async fn put_snapshot_refuses_a_deep_document_as_invalid_snapshot() {
    let app = spawn_with(Settings::default()).await;
    let body = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let res = app.client.put(format!("{}/__admin/snapshot", app.base)).body(body).send().await.expect("answered");
    assert_eq!(res.status(), 400);
    let answer: Value = res.json().await.expect("json");
    assert_eq!(answer["error"]["code"], "invalid_snapshot", "{answer}");
}

#[tokio::test]
async fn put_snapshot_past_the_snapshot_limit_answers_413() {
    let app = spawn_with(Settings { snapshot_limit: 1000, ..Settings::default() }).await;
    let body = format!("[{}0]", "0,".repeat(1000));
    let res = app.client.put(format!("{}/__admin/snapshot", app.base)).body(body).send().await.expect("answered");
    assert_eq!(res.status(), 413);
    let answer: Value = res.json().await.expect("json");
    assert_eq!(answer["error"]["code"], "payload_too_large", "{answer}");
}

#[tokio::test]
async fn create_sandbox_past_the_snapshot_limit_answers_413() {
    let app = spawn_with(Settings { snapshot_limit: 1000, ..Settings::default() }).await;
    let body = format!(r#"{{"name": "big", "snapshot": {{"pad": "{}"}}}}"#, "x".repeat(2000));
    let res = app.client.post(format!("{}/__admin/sandboxes", app.base)).body(body).send().await.expect("answered");
    assert_eq!(res.status(), 413);
}

/// A valid document whose `journal` (accepted and ignored by a `PUT`) holds `count` strings: a
/// document that passes every check and is really parsed, seconds of work in a debug build.
fn with_journal(count: usize) -> Vec<u8> {
    let head = r#"{"format":"hr-sandbox-snapshot","version":1,"seed":42,"clock":{"now":"2026-01-01T00:00:00Z","frozen":true},"vendors":{},"journal":["#;
    let entry = br#""GET /joinup/api/company/employees/ 200 ...""#;
    let mut body = Vec::with_capacity(head.len() + count * (entry.len() + 1) + 2);
    body.extend_from_slice(head.as_bytes());
    for i in 0..count {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(entry);
    }
    body.extend_from_slice(b"]}");
    body
}

#[tokio::test]
async fn health_answers_while_a_large_snapshot_is_parsed() {
    let body = with_journal(2_000_000);
    let app = spawn_with(Settings::default()).await;
    let put = app.client.put(format!("{}/__admin/snapshot", app.base)).body(body).send();
    let put = tokio::spawn(put);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let health = app.client.get(format!("{}/__admin/health", app.base)).send().await.expect("answered");
    assert_eq!(health.status(), 200);
    assert!(!put.is_finished(), "health answered while the snapshot was still being read");
    let accepted = put.await.expect("joined").expect("answered");
    assert_eq!(accepted.status(), 200, "{}", accepted.text().await.unwrap_or_default());
}

/// Sends a request's head and the first byte of its body on a raw socket, then a byte every
/// 100 ms: what the server answers, and whether it then closed the connection.
fn trickle(base: &str, head: &str) -> (String, bool) {
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("connects");
    stream.set_read_timeout(Some(Duration::from_millis(100))).expect("timeout set");
    stream.write_all(head.as_bytes()).expect("head sent");
    let mut received = Vec::new();
    for _ in 0..100 {
        if stream.write_all(b" ").is_err() {
            break;
        }
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk) {
            Ok(0) => return (String::from_utf8_lossy(&received).into_owned(), true),
            Ok(n) => received.extend_from_slice(&chunk[..n]),
            Err(_) => {}
        }
    }
    (String::from_utf8_lossy(&received).into_owned(), false)
}

#[tokio::test]
async fn slow_vendor_body_is_408_closing_the_connection() {
    let app = spawn_with(Settings { body_timeout: Duration::from_secs(1), ..Settings::default() }).await;
    let base = app.base.clone();
    let head = "POST /chiefonboarding/api/users/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    let (answer, closed) = tokio::task::spawn_blocking(move || trickle(&base, head)).await.expect("joined");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(closed, "the connection is closed after the 408");
}

#[tokio::test]
async fn slow_admin_body_is_408_closing_the_connection() {
    let app = spawn_with(Settings { body_timeout: Duration::from_secs(1), ..Settings::default() }).await;
    let base = app.base.clone();
    let head = "PUT /__admin/snapshot HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    let (answer, closed) = tokio::task::spawn_blocking(move || trickle(&base, head)).await.expect("joined");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""code":"request_timeout""#), "{answer}");
    assert!(closed, "the connection is closed after the 408");
}

#[tokio::test]
async fn put_snapshot_skips_a_30_mb_journal_within_3x_its_size() {
    // A PUT ignores the journal: 5 bytes a value is within the budget, and the values are skipped
    // while reading instead of built (and kept for reset).
    let head = r#"{"format":"hr-sandbox-snapshot","version":1,"seed":42,"clock":{"now":"2026-01-01T00:00:00Z","frozen":true},"vendors":{},"journal":["#;
    let mut body = head.as_bytes().to_vec();
    body.extend_from_slice("1000,".repeat(6_000_000).as_bytes());
    body.extend_from_slice(b"1000]}");
    let size = body.len() as u64;
    let (growth, status, answer) = put_measured(body).await;
    assert_eq!(status, 200, "{answer}");
    assert!(growth < 3 * size, "peak grew {growth} bytes for a {size}-byte document");
}

#[tokio::test]
async fn put_snapshot_refuses_vendor_settings_past_their_limit() {
    let app = spawn_with(Settings::default()).await;
    let mut document = app.get_json("/__admin/snapshot", None, 200).await;
    document["vendors"]["joinup"]["settings"]["padding"] = Value::from("x".repeat(70_000));
    let res = app.client.put(format!("{}/__admin/snapshot", app.base)).json(&document).send().await.expect("answered");
    assert_eq!(res.status(), 400);
    let answer: Value = res.json().await.expect("json");
    assert_eq!(answer["error"]["path"], "vendors.joinup.settings", "{answer}");
}
