//! A scenario on the stand-in changes some answers: parity names exactly those exchanges, with
//! their paths; `--accept` turns them into accepted differences; `--junit` has one case each.

use super::sessions::chiefonboarding_session;
use super::{Recorder, credentials, parity, scratch, upstream};
use serde_json::Value;
use std::collections::BTreeMap;

/// Exchanges 3 (an extra Retry-After, and no Allow), 4 (a key missing from each sequence, and no Allow), 6 (409 instead of
/// 405: a status, and no Allow) and 7 (another error body) of [`chiefonboarding_session`].
const CHANGES: &str = r#"
name: parity-changes
rules:
  - when: {vendor: chiefonboarding, method: GET, path: /api/employees/}
    fire: {after: 1, times: 1}
    then:
      response: {status: 200, headers: {Retry-After: "30"}, body: EMPLOYEES}
  - when: {vendor: chiefonboarding, method: GET, path: /api/sequences/}
    then:
      response: {status: 200, body: SEQUENCES}
  - when: {vendor: chiefonboarding, method: DELETE, path: /api/employees/}
    then: {error: conflict}
  - when: {vendor: chiefonboarding, method: POST, path: /api/users/, body_contains: '"email":"x"'}
    then: {error: {kind: bad_request, message: "Changed."}}
"#;

/// Records the session against a stand-in with [`CHANGES`] loaded; the recording's path.
async fn record_changed(name: &str) -> std::path::PathBuf {
    let vendor = upstream();
    let auth = credentials(&vendor).await["chiefonboarding"]["admin"]["authorization"].as_str().unwrap().to_owned();
    let c = reqwest::Client::new();
    let get =
        |path: &str| c.get(format!("{}/chiefonboarding{path}", vendor.base)).header("Authorization", &auth).send();
    let employees: Value = get("/api/employees/").await.unwrap().json().await.unwrap();
    let mut sequences: Value = get("/api/sequences/").await.unwrap().json().await.unwrap();
    let list = if sequences.is_array() { &mut sequences } else { &mut sequences["results"] };
    for sequence in list.as_array_mut().into_iter().flatten() {
        sequence.as_object_mut().map(|s| s.shift_remove("name"));
    }
    let yaml = CHANGES.replace("EMPLOYEES", &employees.to_string()).replace("SEQUENCES", &sequences.to_string());
    let loaded = c
        .post(format!("{}/__admin/scenarios", vendor.base))
        .header("Content-Type", "application/yaml")
        .body(yaml)
        .send()
        .await
        .unwrap();
    assert_eq!(loaded.status(), 201, "{}", loaded.text().await.unwrap());
    let dir = scratch(name);
    let recorder =
        Recorder::start("chiefonboarding", &format!("{}/chiefonboarding", vendor.base), &dir.join("s.har"), &[]);
    chiefonboarding_session(&recorder.base, &auth).await;
    let _ = recorder.stop();
    dir.join("s.har")
}

/// Exchange index -> the paths that differ.
fn differing(report: &Value) -> BTreeMap<u64, Vec<String>> {
    report["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["differences"].as_array().unwrap().is_empty())
        .map(|e| {
            let paths =
                e["differences"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap().to_owned()).collect();
            (e["index"].as_u64().unwrap(), paths)
        })
        .collect()
}

#[tokio::test]
async fn parity_reports_exactly_the_changed_exchanges_with_their_paths() {
    let file = record_changed("changed").await;
    let report = file.with_file_name("r.json");
    let out = parity(&file, &["--report", report.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let found = differing(&report);
    assert_eq!(found.keys().copied().collect::<Vec<_>>(), vec![3, 4, 6, 7], "{report:#}");
    // The scenario's raw answer also lacks the Allow header DRF sends on every answer.
    assert_eq!(found[&3], vec!["headers.allow", "headers.retry-after"]);
    assert_eq!(found[&4], vec!["headers.allow", "$[*].name"]);
    assert!(
        found[&6].contains(&"status".to_owned()) && found[&6].contains(&"headers.allow".to_owned()),
        "{:?}",
        found[&6]
    );
    assert!(found[&7].contains(&"$.detail".to_owned()) && found[&7].contains(&"$.email".to_owned()), "{:?}", found[&7]);
    assert_eq!(report["matched"], 3);
}

#[tokio::test]
async fn parity_accepts_known_differences_and_writes_junit() {
    let file = record_changed("accepted").await;
    let accept = file.with_file_name("accept.yaml");
    std::fs::write(
        &accept,
        "- {operation: 'GET /api/employees/', path: headers.retry-after, reason: the real vendor throttles hints}\n\
         - {operation: 'GET /api/sequences/', path: '$[*].name', reason: older API version}\n\
         - {operation: '*', path: status, reason: known}\n- {operation: '*', path: headers.allow, reason: known}\n\
         - {operation: 'DELETE /api/employees/', path: '$.detail', reason: known}\n",
    )
    .unwrap();
    let junit = file.with_file_name("junit.xml");
    let out = parity(&file, &["--accept", accept.to_str().unwrap(), "--junit", junit.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "exchange 7 is not accepted: {stdout}");
    assert!(stdout.contains("(accepted: the real vendor throttles hints)"), "{stdout}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert_eq!(xml.matches("<testcase ").count(), 7, "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
}
