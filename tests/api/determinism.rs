//! Same seed, same requests, same bytes: across two separate processes of the real binary.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(seed: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["--port", "0", "--seed", seed, "--workers", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("a line").expect("utf-8");
    let base = first.strip_prefix("hr-sandbox listening on ").expect("listening line").to_owned();
    let second = lines.next().expect("a line").expect("utf-8");
    assert_eq!(second, format!("seed: {seed}"));
    Server { child, base }
}

async fn session(base: &str) -> Vec<String> {
    let client = reqwest::Client::new();
    let creds: Value =
        client.get(format!("{base}/__admin/credentials")).send().await.expect("ok").json().await.expect("json");
    let admin = creds["chiefonboarding"]["admin"]["authorization"].as_str().expect("auth").to_owned();
    client
        .post(format!("{base}/__admin/clock"))
        .json(&serde_json::json!({"set": "2030-01-01T00:00:00Z", "frozen": true}))
        .send()
        .await
        .expect("ok");
    let mut bodies = vec![creds.to_string()];
    let user = serde_json::json!({"first_name": "Det", "last_name": "Erministic", "email": "det@acme.test", "role": 0});
    bodies.push(
        client
            .post(format!("{base}/chiefonboarding/api/users/"))
            .header("Authorization", &admin)
            .json(&user)
            .send()
            .await
            .expect("ok")
            .text()
            .await
            .expect("body"),
    );
    bodies.push(
        client
            .post(format!("{base}/__admin/vendors/chiefonboarding/tokens"))
            .json(&serde_json::json!({"user_id": 50}))
            .send()
            .await
            .expect("ok")
            .text()
            .await
            .expect("body"),
    );
    for path in ["/chiefonboarding/api/employees/", "/chiefonboarding/api/sequences/"] {
        bodies.push(
            client
                .get(format!("{base}{path}"))
                .header("Authorization", &admin)
                .send()
                .await
                .expect("ok")
                .text()
                .await
                .expect("body"),
        );
    }
    bodies.push(
        client
            .get(format!("{base}/__admin/vendors/chiefonboarding/state"))
            .send()
            .await
            .expect("ok")
            .text()
            .await
            .expect("body"),
    );
    bodies
}

#[tokio::test]
async fn two_processes_with_the_same_seed_answer_byte_identically() {
    let (first, second, other) = (start("7"), start("7"), start("8"));
    let a = session(&first.base).await;
    let b = session(&second.base).await;
    assert_eq!(a, b);
    assert_ne!(session(&other.base).await, a, "another seed gives other data");
}

#[test]
fn dump_prints_the_same_state_the_admin_api_starts_with() {
    let output = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["dump", "chiefonboarding", "--seed", "7"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let dumped: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(dumped["users"].as_array().map(Vec::len), Some(100));
    let again = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["dump", "chiefonboarding", "--seed", "7"])
        .output()
        .expect("runs");
    assert_eq!(again.stdout, output.stdout);
    let unknown = Command::new(env!("CARGO_BIN_EXE_hr-sandbox")).args(["dump", "workday"]).output().expect("runs");
    assert!(!unknown.status.success());
}
