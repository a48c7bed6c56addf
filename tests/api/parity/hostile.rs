//! Hostile answers and recordings: a stand-in upstream that answers whatever bytes a test gives
//! it, and recordings written by hand. The recorder keeps every secret out of the file and its
//! memory bounded; parity reads a body within a budget.

use super::{Recorder, scratch};
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;

/// An upstream answering every request with `status`, `content_type` and `body`, then closing
/// the connection; its base URL.
fn answering(status: u16, content_type: &str, body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
        }
    });
    base
}

/// Records one GET of `/api/x` through the proxy to `upstream`; the recorder's peak memory
/// (VmHWM, bytes) while it still runs, and the file's text.
async fn record_one(name: &str, upstream: &str) -> (u64, String) {
    let dir = scratch(name);
    let file = dir.join("r.har");
    let recorder = Recorder::start("joinup", upstream, &file, &[]);
    reqwest::Client::new()
        .get(format!("{}/api/x", recorder.base))
        .header("Authorization", "Token not-the-secret-under-test")
        .send()
        .await
        .expect("answered")
        .bytes()
        .await
        .expect("body");
    let hwm = recorder.peak_bytes();
    let (status, _) = recorder.stop();
    assert!(status.success(), "{status}");
    (hwm, std::fs::read_to_string(&file).expect("recording"))
}

const SECRET: &str = "s3cr3t-deep-token-value";

#[tokio::test]
async fn record_of_json_nested_past_the_parser_limit_keeps_its_secret_out() {
    let mut body = format!(r#"{{"access_token":"{SECRET}"}}"#);
    for _ in 0..200 {
        body = format!("[{body}]");
    }
    let (_, text) = record_one("deep_secret", &answering(200, "application/json", body.into_bytes())).await;
    assert!(!text.contains(SECRET), "the secret is in the recording");
    assert!(text.contains("body not recorded"), "{text}");
}

#[tokio::test]
async fn record_of_a_json_answer_that_is_not_utf8_keeps_its_secret_out() {
    let mut body = format!(r#"{{"access_token":"{SECRET}","name":""#).into_bytes();
    body.extend_from_slice(b"\xff\xfe\"}");
    let (_, text) = record_one("not_utf8_secret", &answering(200, "application/json", body)).await;
    assert!(!text.contains(SECRET), "the secret is in the recording");
    let har: serde_json::Value = serde_json::from_str(&text).expect("json");
    let content = &har["log"]["entries"][0]["response"]["content"];
    if content["encoding"] == "base64" {
        let engine = base64::engine::general_purpose::STANDARD;
        let bytes = base64::Engine::decode(&engine, content["text"].as_str().unwrap_or_default()).expect("base64");
        assert!(!String::from_utf8_lossy(&bytes).contains(SECRET), "the secret is in the recording as base64");
    }
}

#[tokio::test]
async fn record_of_a_secret_key_holding_an_object_keeps_its_values_out() {
    let body = json!({"token": {"value": SECRET, "expires_in": 3600}}).to_string();
    let (_, text) = record_one("object_secret", &answering(200, "application/json", body.into_bytes())).await;
    assert!(!text.contains(SECRET), "the secret is in the recording");
}

#[tokio::test]
async fn record_of_json_sent_as_text_plain_keeps_its_secret_out() {
    let body = json!({"access_token": SECRET}).to_string();
    let (_, text) = record_one("text_plain_secret", &answering(200, "text/plain", body.into_bytes())).await;
    assert!(!text.contains(SECRET), "the secret is in the recording");
}

/// `[0,0,...]` of this many bytes: 40 times its size once parsed whole.
const BOMB: usize = 24 * 1024 * 1024;

fn bomb() -> Vec<u8> {
    let mut body = b"[0".to_vec();
    body.extend(std::iter::repeat_n(b",0".as_slice(), BOMB / 2).flatten());
    body.push(b']');
    body
}

#[tokio::test]
async fn record_of_a_json_bomb_answer_stays_within_memory() {
    let (hwm, text) = record_one("bomb_answer", &answering(200, "application/json", bomb())).await;
    assert!(hwm < 400 << 20, "the recorder peaked at {} MiB for a {} MiB answer", hwm >> 20, BOMB >> 20);
    assert!(text.contains("body not recorded"), "a bomb is not recorded");
}

/// Runs parity on `file` and returns its exit code and peak memory (VmHWM, bytes), read from
/// `/proc` while parity waits to write its JUnit file into a FIFO: after every comparison, before
/// it exits.
fn parity_peak(file: &Path) -> (Option<i32>, u64) {
    let fifo = file.with_extension("junit.xml");
    let c_path = std::ffi::CString::new(fifo.to_str().expect("utf-8 path")).expect("path");
    // SAFETY: mkfifo reads a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .arg("parity")
        .arg(file)
        .arg("--junit")
        .arg(&fifo)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("binary starts");
    // Opening the FIFO for reading waits until parity opens it to write: its work is done.
    let mut reader = std::fs::File::open(&fifo).expect("fifo");
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).expect("proc status");
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    let mut junit = String::new();
    reader.read_to_string(&mut junit).expect("junit");
    let code = child.wait().expect("parity ends").code();
    (code, kib * 1024)
}

#[test]
fn parity_of_a_recorded_json_bomb_stays_within_memory() {
    let dir = scratch("bomb_recorded");
    let file = dir.join("b.har");
    let text = String::from_utf8(bomb()).expect("ascii");
    let har = json!({"log": {"version": "1.2", "creator": {"name": "hr-sandbox", "version": "0"}, "_vendor": "joinup",
        "_upstream": "https://api.joinup.test", "entries": [{"startedDateTime": "2026-01-01T00:00:00Z", "time": 1,
        "request": {"method": "GET", "url": "https://api.joinup.test/api/v1/nothing", "headers": []},
        "response": {"status": 200, "headers": [], "content": {"mimeType": "application/json", "text": text}}}]}});
    std::fs::write(&file, har.to_string()).expect("written");
    let (code, peak) = parity_peak(&file);
    assert_eq!(code, Some(1), "the answers differ");
    assert!(peak < 400 << 20, "parity peaked at {} MiB for a {} MiB body", peak >> 20, BOMB >> 20);
}

#[tokio::test]
async fn record_past_what_parity_reads_answers_507_and_keeps_the_file_readable() {
    let dir = scratch("full");
    let file = dir.join("f.har");
    let upstream = answering(200, "text/plain", vec![b'a'; 60 << 20]);
    let recorder = Recorder::start("joinup", &upstream, &file, &[]);
    // A connection per request: the recorder's one worker rewrites the file between them.
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().expect("client");
    let mut statuses = Vec::new();
    for i in 0..6 {
        let answer = client.get(format!("{}/api/x", recorder.base)).send().await.unwrap_or_else(|e| panic!("{i}: {e}"));
        statuses.push(answer.status().as_u16());
        answer.bytes().await.expect("body");
    }
    assert_eq!(statuses, [200, 200, 200, 200, 507, 507], "the fifth exchange would take the file past 256 MiB");
    let size = std::fs::metadata(&file).expect("recording").len();
    assert!(size < 256 << 20, "the recording is {size} bytes, more than parity reads");
    let (status, har) = recorder.stop();
    assert!(status.success(), "{status}");
    assert_eq!(har["log"]["entries"].as_array().map(Vec::len), Some(4));
}

#[tokio::test]
async fn record_replaces_a_secret_learned_late_in_the_entries_before_it() {
    const LATE: &str = "tok-learned-late-0123456789";
    let dir = scratch("late_secret");
    let file = dir.join("l.har");
    // Every answer echoes the token in plain text: the first exchange holds it before any
    // exchange names it a secret.
    let upstream = answering(200, "text/plain", format!("your token is {LATE}").into_bytes());
    let recorder = Recorder::start("joinup", &upstream, &file, &[]);
    let client = reqwest::Client::new();
    client.get(format!("{}/api/echo", recorder.base)).send().await.expect("answered").bytes().await.expect("body");
    assert!(std::fs::read_to_string(&file).expect("recording").contains(LATE), "not yet known as a secret");
    let form = format!("token={LATE}");
    let named = client
        .post(format!("{}/api/token", recorder.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("answered");
    named.bytes().await.expect("body");
    let text = std::fs::read_to_string(&file).expect("recording");
    assert!(!text.contains(LATE), "the secret stays in an earlier entry: {text}");
    let har: serde_json::Value = serde_json::from_str(&text).expect("a complete HAR");
    let entries = har["log"]["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["response"]["content"]["text"], "your token is {{secret:1}}");
    assert_eq!(entries[1]["request"]["postData"]["text"], "token={{secret:1}}");
    let (status, _) = recorder.stop();
    assert!(status.success(), "{status}");
}
