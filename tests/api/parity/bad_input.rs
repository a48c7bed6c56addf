//! Input parity cannot replay: a clear message and exit 2; a browser export's other hosts are
//! skipped and counted.

use super::{Recorder, credentials, parity, scratch, upstream};
use serde_json::{Value, json};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn parity_of_an_unreadable_file_exits_2() {
    let dir = scratch("unreadable");
    let out = parity(&dir.join("missing.har"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.har"), "{}", stderr(&out));
}

#[test]
fn parity_of_a_truncated_har_exits_2() {
    let dir = scratch("truncated");
    let file = dir.join("t.har");
    std::fs::write(&file, r#"{"log": {"version": "1.2", "_vendor": "joinup", "entries": [{"request": "#).unwrap();
    let out = parity(&file, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a HAR 1.2 document"), "{}", stderr(&out));
}

#[test]
fn parity_of_a_vendor_not_served_exits_2() {
    let dir = scratch("not_served");
    let file = dir.join("w.har");
    let har = json!({"log": {"version": "1.2", "creator": {"name": "hr-sandbox", "version": "0"}, "_vendor": "workday",
        "_upstream": "https://api.workday.test", "entries": [entry("https://api.workday.test/v1/workers")]}});
    std::fs::write(&file, har.to_string()).unwrap();
    let out = parity(&file, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("vendor 'workday'"), "{}", stderr(&out));
}

#[test]
fn parity_of_a_browser_har_without_vendor_exits_2() {
    let dir = scratch("browser_no_vendor");
    let file = dir.join("b.har");
    let har = json!({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
        "entries": [entry("https://fonts.example.com/a.woff")]}});
    std::fs::write(&file, har.to_string()).unwrap();
    let out = parity(&file, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("give --vendor"), "{}", stderr(&out));
}

fn entry(url: &str) -> Value {
    json!({"startedDateTime": "2026-01-01T00:00:00Z", "time": 1, "request": {"method": "GET", "url": url,
        "httpVersion": "HTTP/1.1", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
        "content": {"size": 0, "mimeType": "text/html"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
        "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}})
}

#[tokio::test]
async fn parity_skips_and_counts_entries_of_other_hosts() {
    let vendor = upstream();
    let dir = scratch("other_hosts");
    let file = dir.join("s.har");
    let recorder = Recorder::start("chiefonboarding", &format!("{}/chiefonboarding", vendor.base), &file, &[]);
    let auth = credentials(&vendor).await["chiefonboarding"]["admin"]["authorization"].as_str().unwrap().to_owned();
    reqwest::Client::new()
        .get(format!("{}/api/employees/", recorder.base))
        .header("Authorization", auth)
        .send()
        .await
        .unwrap();
    let (_, mut har) = recorder.stop();
    let entries = har["log"]["entries"].as_array_mut().unwrap();
    entries.insert(0, entry("https://cdn.example.com/app.js"));
    entries.push(entry("https://analytics.example.com/collect"));
    std::fs::write(&file, har.to_string()).unwrap();
    let out = parity(&file, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", stderr(&out));
    assert!(stdout.contains("Replayed 1 exchanges") && stdout.contains("2 entries skipped"), "{stdout}");
}

#[test]
fn parity_against_an_unreachable_target_exits_2() {
    let file = std::path::Path::new("recordings/chiefonboarding/chiefonboarding-2.4.1-local.har");
    let out = parity(file, &["--target", "http://127.0.0.1:9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("127.0.0.1:9"), "{}", stderr(&out));
}

#[test]
fn parity_with_an_unknown_identity_exits_2() {
    let file = std::path::Path::new("recordings/chiefonboarding/chiefonboarding-2.4.1-local.har");
    let out = parity(file, &["--identity", "{{secret:2}}=ceo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no identity 'ceo'"), "{}", stderr(&out));
}

#[test]
fn record_with_itself_as_upstream_refuses_to_start() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["record", "--vendor", "joinup", "--port", &port.to_string()])
        .args(["--upstream", &format!("http://127.0.0.1:{port}/joinup")])
        .args(["--out", &scratch("self_upstream").join("s.har").display().to_string()])
        .output()
        .expect("ran");
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("--upstream"), "{}", stderr(&out));
}
