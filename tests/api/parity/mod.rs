//! `hr-sandbox record` and `hr-sandbox parity` through the real binary: a second hr-sandbox
//! (seed 7) stands in for the real vendor, the recorder proxies to it, and parity replays the
//! recording against a fresh sandbox (seed 42).

mod bad_input;
mod differences;
mod hostile;
mod long;
mod recordings;
mod sessions;

use crate::process::{Server, start_with};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// The stand-in for the real vendor: hr-sandbox with seed 7.
pub fn upstream() -> Server {
    start_with(&["--port", "0", "--seed", "7", "--workers", "1"], &[], "7")
}

/// A running `hr-sandbox record`, stopped with SIGTERM by [`Recorder::stop`].
pub struct Recorder {
    child: Child,
    /// `http://127.0.0.1:PORT`: the base URL the client uses.
    pub base: String,
    /// The HAR file.
    pub file: PathBuf,
}

/// A scratch directory under the target dir, fresh for each test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("parity").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

impl Recorder {
    /// Starts a recorder of `vendor` to `upstream_base` (the vendor's base URL) into `file`.
    pub fn start(vendor: &str, upstream_base: &str, file: &Path, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
            .args(["record", "--vendor", vendor, "--upstream", upstream_base, "--port", "0", "--out"])
            .arg(file)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let line = BufReader::new(stdout).lines().next().expect("a line").expect("utf-8");
        let base = line.strip_prefix("hr-sandbox recording on ").expect("recording line").to_owned();
        Self { child, base, file: file.to_owned() }
    }

    /// The recorder's peak resident memory (VmHWM of `/proc/<pid>/status`), in bytes: measured
    /// from outside.
    pub fn peak_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("proc status");
        let kib: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM");
        kib * 1024
    }

    /// SIGTERM, then the exit status and the recording.
    pub fn stop(mut self) -> (std::process::ExitStatus, Value) {
        // SAFETY: kill only sends a signal to the child this test started.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        let status = crate::helpers::exit_within(&mut self.child, Duration::from_secs(10), "record stops on SIGTERM");
        (status, read_har(&self.file))
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The recording, parsed.
pub fn read_har(file: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(file).expect("recording")).expect("valid JSON")
}

/// `hr-sandbox parity FILE ARGS...`, waited for.
pub fn parity(file: &Path, args: &[&str]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .arg("parity")
        .arg(file)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    child.wait_with_output().expect("parity ends")
}

/// Asserts `hr-sandbox parity FILE` finds nothing (exit 0), showing its report when it does;
/// the report.
pub fn assert_parity_clean(file: &Path) -> String {
    let out = parity(file, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// The upstream's credentials (every identity of every vendor).
pub async fn credentials(server: &Server) -> Value {
    reqwest::get(format!("{}/__admin/credentials", server.base)).await.expect("answered").json().await.expect("json")
}

/// Every string in `value` that is a secret of the upstream: the credential part of each
/// `authorization`, and each `token`, `access_token`, `secret`, `client_secret`, `api_key`, `password`.
pub fn secrets_of(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("authorization", Value::String(auth)) => {
                        out.push(auth.split_once(' ').map_or(auth.as_str(), |(_, c)| c).to_owned())
                    }
                    (
                        "token" | "access_token" | "refresh_token" | "secret" | "client_secret" | "api_key"
                        | "password" | "code",
                        Value::String(s),
                    ) => out.push(s.clone()),
                    _ => secrets_of(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|child| secrets_of(child, out)),
        _ => {}
    }
}

/// Asserts none of `secrets` appears in the file.
pub fn assert_no_secret(file: &Path, secrets: &[String]) {
    let text = std::fs::read_to_string(file).expect("recording");
    for secret in secrets.iter().filter(|s| s.len() >= 6) {
        assert!(!text.contains(secret.as_str()), "the secret {secret} is in {}", file.display());
    }
}
