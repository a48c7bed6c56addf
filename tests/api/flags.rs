//! Every flag is range-checked or answered with a clear start-up error: the real binary is
//! started with a bad flag and must exit non-zero at once with a message naming it.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs the binary with these flags and environment; it must exit within 10 s (a hang is a
/// failure, and the process is killed). Returns whether it succeeded, and its stderr.
fn start_fails(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["--port", "0"])
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let status =
        crate::helpers::exit_within(&mut child, Duration::from_secs(10), &format!("{args:?} did not end within 10 s"));
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("utf-8");
    assert!(!status.success(), "{args:?} started");
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    stderr
}

#[test]
fn workers_0_is_refused_with_the_flags_range() {
    let stderr = start_fails(&["--workers", "0"], &[]);
    assert!(stderr.contains("--workers") && stderr.contains("1..=1024"), "{stderr}");
}

#[test]
fn body_limit_0_is_refused_with_the_flags_range() {
    let stderr = start_fails(&["--body-limit", "0"], &[]);
    assert!(stderr.contains("--body-limit"), "{stderr}");
}

#[test]
fn tls_cert_on_dev_zero_is_refused_at_once() {
    let stderr = start_fails(&["--tls-cert", "/dev/zero", "--tls-key", "/dev/zero"], &[]);
    assert!(stderr.contains("--tls-cert /dev/zero: not a regular file"), "{stderr}");
}

#[test]
fn snapshot_on_a_fifo_is_refused_at_once() {
    let fifo = std::env::temp_dir().join(format!("hr-sandbox-fifo-{}", std::process::id()));
    let _ = std::fs::remove_file(&fifo);
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs").success());
    let path = fifo.display().to_string();
    let stderr = start_fails(&["--snapshot", &path], &[]);
    let _ = std::fs::remove_file(&fifo);
    assert!(stderr.contains(&format!("--snapshot {path}: not a regular file")), "{stderr}");
}

#[test]
fn outbound_ca_on_dev_zero_is_refused_at_once() {
    let stderr = start_fails(&["--outbound-ca", "/dev/zero"], &[]);
    assert!(stderr.contains("--outbound-ca /dev/zero: not a regular file"), "{stderr}");
}

#[test]
fn start_with_an_empty_admin_token_flag_fails_naming_both_spellings() {
    let stderr = start_fails(&["--admin-token", ""], &[]);
    assert!(stderr.contains("--admin-token") && stderr.contains("HR_SANDBOX_ADMIN_TOKEN"), "{stderr}");
}

#[test]
fn start_with_an_empty_admin_token_variable_fails_naming_both_spellings() {
    // A CI file's `-e HR_SANDBOX_ADMIN_TOKEN=$SECRET` with `$SECRET` unset.
    let stderr = start_fails(&[], &[("HR_SANDBOX_ADMIN_TOKEN", "")]);
    assert!(stderr.contains("--admin-token") && stderr.contains("HR_SANDBOX_ADMIN_TOKEN"), "{stderr}");
}

#[test]
fn any_admin_host_without_a_token_warns_at_start() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["--port", "0", "--workers", "1", "--admin-hosts", "*"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let first = BufReader::new(stdout).lines().next().expect("a line").expect("utf-8");
    assert!(first.starts_with("hr-sandbox listening on "), "{first}");
    let _ = child.kill();
    let _ = child.wait();
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("utf-8");
    assert!(stderr.contains("WARN") && stderr.contains("--admin-token"), "{stderr}");
}
