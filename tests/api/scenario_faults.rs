//! A bad `fault` is refused with its rule and a reason in the file's words, through the admin
//! API and at start-up, whatever form it was written in.

use crate::helpers::spawn_app;
use serde_json::{Value, json};
use std::process::Command;

fn rule(fault: &str) -> String {
    format!(
        "name: broken\nrules:\n  - when: {{vendor: '*'}}\n    then: {{error: conflict}}\n  - when: {{vendor: '*'}}\n    then: {{fault: {fault}}}\n"
    )
}

#[tokio::test]
async fn scenario_load_refuses_bad_faults_with_their_reasons() {
    let app = spawn_app().await;
    for (fault, reason) in [
        ("lightning", "unknown fault 'lightning' (one of connection_reset, empty_reply, truncated_body, timeout)"),
        (
            "{kind: lightning, hold: 1s}",
            "unknown fault 'lightning' (one of connection_reset, empty_reply, truncated_body, timeout)",
        ),
        ("{kind: timeout, wait: 2s}", "unknown fault field 'wait' (kind, hold)"),
        ("{hold: 2s}", "fault needs a kind"),
        ("{kind: 7}", "fault needs a kind"),
        ("[timeout]", "fault is a kind, or {kind, hold}"),
        ("{kind: timeout, hold: [1]}", "hold is a duration like 30s"),
        ("{kind: timeout, hold: -5}", "bad hold"),
        ("{kind: timeout, hold: 2h}", "duration '2h' is longer than 1h (at most 1h)"),
        ("{kind: timeout, hold: soon}", "bad duration 'soon' (like 1500ms, 2s, 5m, 1h; at most 1h)"),
    ] {
        let answer = app.post_scenario("/__admin/scenarios", rule(fault)).await;
        let status = answer.status().as_u16();
        let body: Value = answer.json().await.unwrap_or(Value::Null);
        assert_eq!(
            (status, body["error"]["message"].clone()),
            (400, json!(format!("<body>:rule 1: {reason}"))),
            "{fault}"
        );
    }
    let listed = app.get_json("/__admin/scenarios", None, 200).await;
    assert_eq!(listed, json!([]), "nothing was loaded");
}

#[test]
fn serve_refuses_a_scenario_file_with_a_bad_fault_naming_its_rule() {
    let dir = std::env::temp_dir().join(format!("hr-sandbox-bad-fault-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, rule("{kind: timeout, wait: 2s}")).expect("write");
    let bad = bad.display().to_string();
    let serve = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["--port", "0", "--scenario", &bad])
        .output()
        .expect("runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!serve.status.success());
    let stderr = String::from_utf8_lossy(&serve.stderr);
    assert!(stderr.contains(&format!("{bad}:rule 1: unknown fault field 'wait' (kind, hold)")), "{stderr}");
}
