//! The journal's per-entry cuts (URI, headers, body), each marked, and its byte budget per
//! sandbox beside its count.

use crate::helpers::{spawn_app, spawn_with};
use hr_sandbox::settings::{RateLimits, Settings};
use serde_json::Value;

async fn journal(app: &crate::helpers::TestApp) -> Vec<Value> {
    app.get_json("/__admin/requests", None, 200).await.as_array().cloned().unwrap_or_default()
}

/// The journal entry of a ChiefOnboarding employees GET with a 20,000-character query.
async fn long_uri_entry() -> Value {
    let app = spawn_app().await;
    let query = "q".repeat(20_000);
    app.client.get(app.url(&format!("/chiefonboarding/api/employees/?{query}"))).send().await.expect("answered");
    journal(&app).await.last().expect("journaled").clone()
}

#[tokio::test]
async fn journal_cuts_a_long_query_keeping_the_path() {
    let entry = long_uri_entry().await;
    assert_eq!(entry["path"], "/api/employees/");
    let query = entry["query"].as_str().expect("query");
    assert!(query.len() < 8 * 1024 && query.starts_with("qqq"), "{}", query.len());
}

#[tokio::test]
async fn journal_marks_a_cut_uri() {
    let entry = long_uri_entry().await;
    assert_eq!(entry["uri_truncated"], true);
}

/// The journal entry of a ChiefOnboarding employees GET with a 10,000-character header.
async fn long_header_entry() -> Value {
    let app = spawn_app().await;
    let long = "v".repeat(10_000);
    let request = app.client.get(app.url("/chiefonboarding/api/employees/")).header("x-long", &long);
    request.send().await.expect("answered");
    journal(&app).await.last().expect("journaled").clone()
}

#[tokio::test]
async fn journal_cuts_a_long_header_value_to_4_kib() {
    let entry = long_header_entry().await;
    assert_eq!(entry["headers"]["x-long"].as_str().map(str::len), Some(4096), "cut like a body, not dropped");
}

#[tokio::test]
async fn journal_marks_cut_headers_only() {
    let entry = long_header_entry().await;
    assert_eq!(entry["headers_truncated"], true);
    assert!(entry.get("uri_truncated").is_none());
}

#[tokio::test]
async fn journal_leaves_ordinary_requests_unmarked() {
    let app = spawn_app().await;
    app.client.get(app.url("/chiefonboarding/api/employees/")).send().await.expect("answered");
    let entries = journal(&app).await;
    let entry = entries.last().expect("journaled");
    assert!(entry.get("headers_truncated").is_none() && entry.get("uri_truncated").is_none(), "{entry}");
}

#[tokio::test]
async fn journal_evicts_the_oldest_entries_past_its_byte_budget() {
    let app = spawn_with(Settings { journal_bytes: 64 * 1024, ..Settings::default() }).await;
    for _ in 0..40 {
        let request = app.client.post(app.url("/chiefonboarding/api/employees/")).body("b".repeat(8192));
        request.send().await.expect("answered");
    }
    let entries = journal(&app).await;
    assert!(entries.len() < 10, "about 64 KiB of 8 KiB bodies: {} kept", entries.len());
    assert_eq!(entries.last().and_then(|e| e["seq"].as_u64()), Some(40), "the newest stays");
}

/// Joinup's page of 100 (about 55 KB) read `reads` times under a journal budget of `bytes`:
/// how many entries the journal keeps, and the last one.
async fn pages_kept(bytes: usize, reads: usize) -> (usize, Value) {
    let app = spawn_with(Settings { journal_bytes: bytes, rate_limits: RateLimits::Off, ..Settings::default() }).await;
    let auth = app.auth("joinup", "group_admin").await;
    for _ in 0..reads {
        app.get_json("/joinup/api/company/employees/?page_size=100", Some(&auth), 200).await;
    }
    let entries = journal(&app).await;
    (entries.len(), entries.last().cloned().unwrap_or_default())
}

#[tokio::test]
async fn journal_charges_a_shared_answer_body_once() {
    // Copied, each entry's 8 KiB body start would fill 2 MiB after about 200 reads.
    let (kept, last) = pages_kept(2 << 20, 300).await;
    assert_eq!(kept, 300, "one buffer shown by 300 entries is counted once");
    let body = last["response"]["body"].as_str().map(str::len);
    assert_eq!((body, &last["response"]["body_truncated"]), (Some(8192), &Value::Bool(true)));
}

#[tokio::test]
async fn journal_copies_the_start_of_a_body_large_for_its_budget() {
    // 55 KB is past a sixteenth of 256 KiB: each entry keeps its own 8 KiB copy, weighed as such.
    let (kept, _) = pages_kept(256 << 10, 60).await;
    assert!((15..60).contains(&kept), "about 256 KiB of 8 KiB copies: {kept} kept");
}
