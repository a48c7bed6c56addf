//! `--state-dir`, through the real binary: state kept across a stop and a `kill -9`, the
//! start-up checks of the directory, a failing disk, and rewind from the log.

mod crash;
mod files;
mod restart;
mod rewind;
mod webhooks;

use crate::process::Server;
use reqwest::Client;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A fresh, empty state directory for one test.
pub fn fresh_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hr-sandbox-state-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Where a server's log lines go (beside its state directory).
pub fn log_file(dir: &Path) -> PathBuf {
    dir.with_extension("log")
}

/// The binary serving `dir` (two workers), once it listens.
pub fn serve(dir: &Path) -> Server {
    let log = std::fs::File::create(log_file(dir)).expect("log file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["--port", "0", "--workers", "2", "--state-dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().expect("a line").expect("utf-8");
    let base = first.strip_prefix("hr-sandbox listening on ").expect("listening line").to_owned();
    // Keep reading stdout so the process never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, base }
}

/// Starts the binary on `dir` expecting it to refuse to start: its exit is non-zero, and what
/// it printed (stdout and stderr) is returned.
pub fn refused(dir: &Path) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["--port", "0", "--state-dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let status = crate::helpers::exit_within(
        &mut child,
        Duration::from_secs(20),
        "the server started on a state directory it should refuse",
    );
    let output = child.wait_with_output().expect("output");
    assert!(!status.success(), "a refused start exits non-zero");
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// Stops a server with SIGTERM and waits for it.
pub fn stop(server: &mut Server) {
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    let _ = server.child.wait();
}

/// Kills a server with SIGKILL (no chance to flush anything) and waits for it.
pub fn kill_9(server: &mut Server) {
    let _ = server.child.kill();
    let _ = server.child.wait();
}

/// A small HTTP client of one server.
pub struct Api {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The client.
    pub client: Client,
}

impl Api {
    /// A client of `server`.
    pub fn of(server: &Server) -> Self {
        Self { base: server.base.clone(), client: Client::new() }
    }

    /// Sends a request with an optional `Authorization` and JSON body: (status, body text).
    pub async fn send(&self, method: &str, path: &str, auth: Option<&str>, body: Option<Value>) -> (u16, String) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("answered");
        (response.status().as_u16(), response.text().await.expect("body"))
    }

    /// A GET's body, asserting 200.
    pub async fn get(&self, path: &str, auth: Option<&str>) -> String {
        let (status, body) = self.send("GET", path, auth, None).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// An identity's `Authorization` value in a sandbox.
    pub async fn auth(&self, vendor: &str, identity: &str, sandbox: &str) -> String {
        let creds: Value =
            serde_json::from_str(&self.get(&format!("/__admin/credentials?sandbox={sandbox}"), None).await)
                .expect("json");
        creds[vendor][identity]["authorization"].as_str().expect("authorization").to_owned()
    }

    /// Creates a ChiefOnboarding user in the default sandbox: its status.
    pub async fn create_user(&self, auth: &str, email: &str) -> u16 {
        let user = json!({"first_name": "Kept", "last_name": email, "email": email, "role": 0});
        self.send("POST", "/chiefonboarding/api/users/", Some(auth), Some(user)).await.0
    }
}
