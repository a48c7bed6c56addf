//! A long recording: after every exchange, however many came before it, the file is a complete
//! HAR holding every exchange so far, in order, laid out as a rewrite of the whole log would
//! lay it out (the recorder appends; see docs/recording-and-parity.md for the timings).

use super::{Recorder, assert_parity_clean, credentials, scratch};
use crate::process::start_with;
use serde_json::{Value, json};

/// Exchanges recorded: a mix of sizes and outcomes, checked one by one.
const EXCHANGES: usize = 300;

/// The `i`th request: mostly the sequences (small), every tenth the employee list (larger), a
/// new user (201) and an unknown route (404).
fn request(i: usize) -> (&'static str, String, Option<Value>) {
    match i % 10 {
        0 => ("GET", "/api/employees/".to_owned(), None),
        5 => {
            let user =
                json!({"first_name": "Lo", "last_name": "Ng", "email": format!("long.{i}@acme.test"), "role": 0});
            ("POST", "/api/users/".to_owned(), Some(user))
        }
        9 => ("GET", format!("/api/nothing/{i}/"), None),
        _ => ("GET", format!("/api/sequences/?n={i}"), None),
    }
}

#[tokio::test]
async fn record_of_many_exchanges_is_a_complete_har_after_each() {
    let vendor = start_with(&["--port", "0", "--seed", "7", "--workers", "1", "--rate-limits", "off"], &[], "7");
    let dir = scratch("many_exchanges");
    let base = format!("{}/chiefonboarding", vendor.base);
    let recorder = Recorder::start("chiefonboarding", &base, &dir.join("m.har"), &[]);
    let auth = credentials(&vendor).await["chiefonboarding"]["admin"]["authorization"].as_str().unwrap().to_owned();
    let client = reqwest::Client::new();
    let mut sent = Vec::new();
    for i in 0..EXCHANGES {
        let (method, path, body) = request(i);
        let mut call = client.request(method.parse().unwrap(), format!("{}{path}", recorder.base));
        call = call.header("Authorization", &auth);
        if let Some(body) = body {
            call = call.json(&body);
        }
        let answer = call.send().await.unwrap_or_else(|e| panic!("exchange {}: {e}", i + 1));
        let status = answer.status().as_u16();
        answer.bytes().await.expect("body");
        sent.push((method.to_owned(), format!("{base}{path}"), status));
        let text = std::fs::read_to_string(&recorder.file).expect("recording");
        let har: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("after exchange {}: {e}", i + 1));
        let entries = har["log"]["entries"].as_array().expect("entries");
        assert_eq!(entries.len(), i + 1, "after exchange {}", i + 1);
        let last = &entries[i];
        let seen =
            (last["request"]["method"].clone(), last["request"]["url"].clone(), last["response"]["status"].clone());
        assert_eq!(seen, (json!(method), json!(format!("{base}{path}")), json!(status)), "exchange {}", i + 1);
        if i % 50 == 0 || i + 1 == EXCHANGES {
            let whole = serde_json::to_string_pretty(&har).expect("json");
            assert!(text == format!("{whole}\n"), "after exchange {}: not the layout of a whole rewrite", i + 1);
        }
    }
    let (status, har) = recorder.stop();
    assert!(status.success(), "{status}");
    let recorded: Vec<(String, String, u16)> = har["log"]["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            let request = &e["request"];
            let status = e["response"]["status"].as_u64().expect("status") as u16;
            (request["method"].as_str().unwrap().to_owned(), request["url"].as_str().unwrap().to_owned(), status)
        })
        .collect();
    assert_eq!(recorded, sent, "every exchange, in order");
    assert!(assert_parity_clean(&dir.join("m.har")).contains(&format!("Replayed {EXCHANGES} exchanges")));
}
