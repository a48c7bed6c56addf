//! `--tls` with the real binary: a generated CA printed and reused, certificates re-issued for
//! new names, the healthcheck over TLS and its `--wait`, and bad certificate paths refused at
//! start. The HTTPS conversation itself is proved by a real client in `.ci/run`
//! (`tests/clients/justworks_oauth_over_https.py`: requests-oauthlib and curl trusting the CA).

use crate::process::start_with;
use std::path::PathBuf;
use std::process::Command;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hr-sandbox-tls-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn healthcheck(port: &str, extra: &[&str]) -> bool {
    let mut args = vec!["healthcheck", "--port", port];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_hr-sandbox")).args(&args).status().expect("runs").success()
}

#[test]
fn a_generated_ca_is_kept_and_new_names_get_a_new_certificate_from_it() {
    let dir = temp_dir("reuse");
    let dir_arg = dir.to_string_lossy().into_owned();
    let server = start_with(&["--port", "0", "--workers", "1", "--tls", "--tls-dir", &dir_arg], &[], "42");
    assert!(server.base.starts_with("https://127.0.0.1:"), "{}", server.base);
    let port = server.base.rsplit(':').next().expect("port").to_owned();
    assert!(healthcheck(&port, &["--tls", "--wait", "5"]), "the probe speaks TLS");
    assert!(!healthcheck(&port, &[]), "a plain HTTP probe gets no answer from a TLS port");
    drop(server);
    let (ca, cert) =
        (std::fs::read(dir.join("ca.pem")).expect("ca"), std::fs::read(dir.join("cert.pem")).expect("cert"));

    let again = start_with(&["--port", "0", "--workers", "1", "--tls", "--tls-dir", &dir_arg], &[], "42");
    drop(again);
    assert_eq!(std::fs::read(dir.join("cert.pem")).expect("cert"), cert, "the same names reuse the certificate");
    let args =
        ["--port", "0", "--workers", "1", "--tls", "--tls-dir", &dir_arg, "--tls-names", "sandbox.test,10.0.0.7"];
    drop(start_with(&args, &[], "42"));
    assert_eq!(std::fs::read(dir.join("ca.pem")).expect("ca"), ca, "the CA stays, so clients keep trusting it");
    assert_ne!(std::fs::read(dir.join("cert.pem")).expect("cert"), cert, "new names, a new certificate");
    let names = std::fs::read_to_string(dir.join("names")).expect("names");
    assert!(names.contains("sandbox.test") && names.contains("10.0.0.7") && names.contains("localhost"), "{names}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_certificate_paths_are_a_clear_start_up_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["--port", "0", "--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--tls-cert /nonexistent/cert.pem"), "{stderr}");
    let ca = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["--port", "0", "--outbound-ca", "/nonexistent/ca.pem"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&ca.stderr).contains("--outbound-ca /nonexistent/ca.pem"));
    let half = Command::new(env!("CARGO_BIN_EXE_hr-sandbox")).args(["--port", "0", "--tls-cert", "x.pem"]).output();
    assert!(!half.expect("runs").status.success(), "a certificate without its key is refused");
}

#[test]
fn healthcheck_wait_polls_until_the_server_is_up() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port().to_string();
    let waiting = {
        let port = port.clone();
        std::thread::spawn(move || healthcheck(&port, &["--wait", "20"]))
    };
    std::thread::sleep(std::time::Duration::from_millis(400));
    let server = start_with(&["--port", &port, "--workers", "1"], &[], "42");
    assert!(waiting.join().expect("joined"), "the probe saw the server come up");
    drop(server);
    assert!(!healthcheck(&port, &["--wait", "0.3"]), "and gives up when the time is up");
}
