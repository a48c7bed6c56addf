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

#[test]
fn a_generated_ca_is_kept_and_new_names_get_a_new_certificate_from_it() {
    let dir = temp_dir("reuse");
    let dir_arg = dir.to_string_lossy().into_owned();
    let args =
        ["--port", "0", "--workers", "1", "--tls", "--tls-dir", &dir_arg, "--tls-names", "sandbox.test,10.0.0.7"];
    let server = start_with(&args, &[], "42");
    assert!(server.base.starts_with("https://127.0.0.1:"), "{}", server.base);
    let port = server.base.rsplit(':').next().expect("port").to_owned();
    assert!(healthcheck(&port, &["--tls", "--wait", "5"]), "the probe speaks TLS");
    assert!(!healthcheck(&port, &[]), "a plain HTTP probe gets no answer from a TLS port");
    drop(server);
    let (ca, cert) =
        (std::fs::read(dir.join("ca.pem")).expect("ca"), std::fs::read(dir.join("cert.pem")).expect("cert"));

    drop(start_with(&args, &[], "42"));
    assert_eq!(std::fs::read(dir.join("cert.pem")).expect("cert"), cert, "the same names reuse the certificate");
    let names = std::fs::read_to_string(dir.join("names")).expect("names");
    assert!(names.contains("sandbox.test") && names.contains("10.0.0.7") && names.contains("localhost"), "{names}");
    let fewer = ["--port", "0", "--workers", "1", "--tls", "--tls-dir", &dir_arg, "--tls-names", "api.sandbox.test"];
    drop(start_with(&fewer, &[], "42"));
    assert_eq!(std::fs::read(dir.join("ca.pem")).expect("ca"), ca, "the CA covers them, so clients keep trusting it");
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
fn generated_keys_and_their_directory_are_private_to_the_owner() {
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

#[test]
fn a_name_outside_the_cas_constraints_makes_a_new_ca_and_says_so() {
    let dir = temp_dir("renew");
    start_tls_once(&dir, &[]);
    let ca = std::fs::read(dir.join("ca.pem")).expect("ca");
    let stderr = start_tls_once(&dir, &["--tls-names", "sandbox.test"]);
    assert_ne!(std::fs::read(dir.join("ca.pem")).expect("ca"), ca, "a new CA, constrained to the new name too");
    assert!(stderr.contains("sandbox.test") && stderr.contains("must trust this one"), "{stderr}");
    let served = std::fs::read(dir.join("cert.pem")).expect("cert");
    assert!(verifies(&std::fs::read(dir.join("ca.pem")).expect("ca"), &served, "sandbox.test"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_ca_made_without_constraints_is_replaced_and_says_so() {
    let dir = temp_dir("legacy");
    start_tls_once(&dir, &[]);
    // What an older hr-sandbox left: the CA files, but no record of any constraints.
    std::fs::remove_file(dir.join("ca-scope")).expect("removed");
    let ca = std::fs::read(dir.join("ca.pem")).expect("ca");
    let stderr = start_tls_once(&dir, &[]);
    assert_ne!(std::fs::read(dir.join("ca.pem")).expect("ca"), ca);
    assert!(stderr.contains("no name constraints") && stderr.contains("must trust this one"), "{stderr}");
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
