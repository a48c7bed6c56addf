//! `--tls` with the real binary: a generated CA printed and reused, constrained to its names
//! and replaced (with a message) for a name outside them, its keys private, certificates
//! re-issued for new names, the healthcheck over TLS and its `--wait`, and bad certificate paths refused at
//! start. The HTTPS conversation itself is proved by a real client in `.ci/run`
//! (`tests/clients/justworks_oauth_over_https.py`: requests-oauthlib and curl trusting the CA).

use crate::process::start_with;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

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

/// `--tls` flags with a generated CA in `dir` for these names.
fn tls_args<'a>(dir_arg: &'a str, names: &'a str) -> [&'a str; 9] {
    ["--port", "0", "--workers", "1", "--tls", "--tls-dir", dir_arg, "--tls-names", names]
}

/// Starts and stops a `--tls` server in a new directory for `sandbox.test,10.0.0.7`: the
/// directory, its argument, the CA and the certificate generated.
fn generated_once(name: &str) -> (PathBuf, String, Vec<u8>, Vec<u8>) {
    let dir = temp_dir(name);
    let dir_arg = dir.to_string_lossy().into_owned();
    drop(start_with(&tls_args(&dir_arg, "sandbox.test,10.0.0.7"), &[], "42"));
    let (ca, cert) =
        (std::fs::read(dir.join("ca.pem")).expect("ca"), std::fs::read(dir.join("cert.pem")).expect("cert"));
    (dir, dir_arg, ca, cert)
}

#[test]
fn serve_with_tls_listens_on_https() {
    let dir = temp_dir("https");
    let dir_arg = dir.to_string_lossy().into_owned();
    let server = start_with(&tls_args(&dir_arg, "sandbox.test,10.0.0.7"), &[], "42");
    assert!(server.base.starts_with("https://127.0.0.1:"), "{}", server.base);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A `--tls` server in a new directory, and its port.
fn tls_server(name: &str) -> (crate::process::Server, PathBuf, String) {
    let dir = temp_dir(name);
    let dir_arg = dir.to_string_lossy().into_owned();
    let server = start_with(&tls_args(&dir_arg, "sandbox.test,10.0.0.7"), &[], "42");
    let port = server.base.rsplit(':').next().expect("port").to_owned();
    (server, dir, port)
}

#[test]
fn healthcheck_with_tls_is_answered_by_a_tls_port() {
    let (server, dir, port) = tls_server("probe-tls");
    assert!(healthcheck(&port, &["--tls", "--wait", "5"]), "the probe speaks TLS");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn healthcheck_over_plain_http_gets_no_answer_from_a_tls_port() {
    let (server, dir, port) = tls_server("probe-plain");
    assert!(!healthcheck(&port, &[]), "a plain HTTP probe gets no answer from a TLS port");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn restart_with_the_same_names_reuses_the_certificate() {
    let (dir, dir_arg, _, cert) = generated_once("reuse");
    drop(start_with(&tls_args(&dir_arg, "sandbox.test,10.0.0.7"), &[], "42"));
    assert_eq!(std::fs::read(dir.join("cert.pem")).expect("cert"), cert, "the same names reuse the certificate");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn generated_certificate_records_the_given_names_with_localhost() {
    let (dir, _, _, _) = generated_once("names");
    let names = std::fs::read_to_string(dir.join("names")).expect("names");
    assert!(names.contains("sandbox.test") && names.contains("10.0.0.7") && names.contains("localhost"), "{names}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn restart_with_names_the_ca_covers_keeps_the_ca() {
    let (dir, dir_arg, ca, _) = generated_once("keep-ca");
    drop(start_with(&tls_args(&dir_arg, "api.sandbox.test"), &[], "42"));
    assert_eq!(std::fs::read(dir.join("ca.pem")).expect("ca"), ca, "the CA covers them, so clients keep trusting it");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn restart_with_other_names_issues_a_new_certificate() {
    let (dir, dir_arg, _, cert) = generated_once("new-cert");
    drop(start_with(&tls_args(&dir_arg, "api.sandbox.test"), &[], "42"));
    assert_ne!(std::fs::read(dir.join("cert.pem")).expect("cert"), cert, "other names, a new certificate");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starts the binary with `--tls` in `dir` (and more flags), waits for it to listen, stops it;
/// its stderr.
fn start_tls_once(dir: &Path, extra: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["--port", "0", "--workers", "1", "--tls", "--tls-dir"])
        .arg(dir)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let first = BufReader::new(child.stdout.take().expect("stdout")).lines().next().expect("a line").expect("utf-8");
    assert!(first.starts_with("hr-sandbox listening on https://"), "{first}");
    let _ = child.kill();
    let _ = child.wait();
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("utf-8");
    stderr
}

#[cfg(unix)]
#[test]
fn generated_tls_files_are_private_to_the_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("modes");
    start_tls_once(&dir, &[]);
    let mode = |name: &str| std::fs::metadata(dir.join(name)).expect("exists").permissions().mode() & 0o777;
    assert_eq!((mode("ca-key.pem"), mode("key.pem"), mode("")), (0o600, 0o600, 0o700));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Whether a client trusting `ca` accepts `leaf` for `name` now.
fn verifies(ca: &[u8], leaf: &[u8], name: &str) -> bool {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from_pem_slice(ca).expect("CA PEM")).expect("a CA rustls takes");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider).build().expect("verifier");
    let leaf = CertificateDer::from_pem_slice(leaf).expect("leaf PEM");
    let name = ServerName::try_from(name.to_owned()).expect("a server name");
    verifier.verify_server_cert(&leaf, &[], &name, &[], UnixTime::now()).is_ok()
}

#[test]
fn the_generated_ca_cannot_vouch_for_a_name_outside_its_constraints() {
    let dir = temp_dir("constraints");
    start_tls_once(&dir, &["--tls-names", "sandbox.test"]);
    let ca = std::fs::read(dir.join("ca.pem")).expect("ca");
    let served = std::fs::read(dir.join("cert.pem")).expect("cert");
    assert!(verifies(&ca, &served, "localhost") && verifies(&ca, &served, "sandbox.test"));
    // What any local user holding the CA key could mint for a site the CA was never made for.
    let ca_key = rcgen::KeyPair::from_pem(&std::fs::read_to_string(dir.join("ca-key.pem")).expect("key")).expect("key");
    let mut issuer = rcgen::CertificateParams::default();
    issuer.distinguished_name.push(rcgen::DnType::CommonName, "hr-sandbox local CA");
    let minted = rcgen::CertificateParams::new(vec!["bank.example".to_owned()])
        .expect("params")
        .signed_by(&rcgen::KeyPair::generate().expect("key"), &rcgen::Issuer::new(issuer, &ca_key))
        .expect("signed");
    assert!(!verifies(&ca, minted.pem().as_bytes(), "bank.example"), "outside the CA's name constraints");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Generates a CA in a new directory, then starts again for `sandbox.test`, outside its
/// constraints: the directory, the first CA and the second start's stderr.
fn renewed_for_a_new_name(name: &str) -> (PathBuf, Vec<u8>, String) {
    let dir = temp_dir(name);
    start_tls_once(&dir, &[]);
    let ca = std::fs::read(dir.join("ca.pem")).expect("ca");
    let stderr = start_tls_once(&dir, &["--tls-names", "sandbox.test"]);
    (dir, ca, stderr)
}

#[test]
fn start_with_a_name_outside_the_cas_constraints_makes_a_new_ca() {
    let (dir, ca, _) = renewed_for_a_new_name("renew");
    assert_ne!(std::fs::read(dir.join("ca.pem")).expect("ca"), ca, "a new CA, constrained to the new name too");
    let served = std::fs::read(dir.join("cert.pem")).expect("cert");
    assert!(verifies(&std::fs::read(dir.join("ca.pem")).expect("ca"), &served, "sandbox.test"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn start_with_a_name_outside_the_cas_constraints_says_the_ca_changed() {
    let (dir, _, stderr) = renewed_for_a_new_name("renew-says");
    assert!(stderr.contains("sandbox.test") && stderr.contains("must trust this one"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Generates a CA in a new directory, removes its record of constraints (as an older hr-sandbox
/// left it) and starts again: the directory, the first CA and the second start's stderr.
fn restarted_with_an_unconstrained_ca(name: &str) -> (PathBuf, Vec<u8>, String) {
    let dir = temp_dir(name);
    start_tls_once(&dir, &[]);
    std::fs::remove_file(dir.join("ca-scope")).expect("removed");
    let ca = std::fs::read(dir.join("ca.pem")).expect("ca");
    let stderr = start_tls_once(&dir, &[]);
    (dir, ca, stderr)
}

#[test]
fn start_with_a_ca_made_without_constraints_replaces_it() {
    let (dir, ca, _) = restarted_with_an_unconstrained_ca("legacy");
    assert_ne!(std::fs::read(dir.join("ca.pem")).expect("ca"), ca);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn start_with_a_ca_made_without_constraints_says_it_was_replaced() {
    let (dir, _, stderr) = restarted_with_an_unconstrained_ca("legacy-says");
    assert!(stderr.contains("no name constraints") && stderr.contains("must trust this one"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn start_with_a_missing_certificate_fails_naming_it() {
    let output = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["--port", "0", "--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--tls-cert /nonexistent/cert.pem"), "{stderr}");
}

#[test]
fn start_with_a_missing_outbound_ca_fails_naming_it() {
    let ca = Command::new(env!("CARGO_BIN_EXE_hr-sandbox"))
        .args(["--port", "0", "--outbound-ca", "/nonexistent/ca.pem"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&ca.stderr).contains("--outbound-ca /nonexistent/ca.pem"));
}

#[test]
fn start_with_a_certificate_without_its_key_fails() {
    let half = Command::new(env!("CARGO_BIN_EXE_hr-sandbox")).args(["--port", "0", "--tls-cert", "x.pem"]).output();
    assert!(!half.expect("runs").status.success(), "a certificate without its key is refused");
}

/// A port free now (bound, then released).
fn free_port() -> String {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port().to_string()
}

#[test]
fn healthcheck_wait_polls_until_the_server_is_up() {
    let port = free_port();
    let waiting = {
        let port = port.clone();
        std::thread::spawn(move || healthcheck(&port, &["--wait", "20"]))
    };
    std::thread::sleep(std::time::Duration::from_millis(400));
    let server = start_with(&["--port", &port, "--workers", "1"], &[], "42");
    assert!(waiting.join().expect("joined"), "the probe saw the server come up");
    drop(server);
}

#[test]
fn healthcheck_wait_gives_up_when_its_time_is_up() {
    assert!(!healthcheck(&free_port(), &["--wait", "0.3"]), "and gives up when the time is up");
}
