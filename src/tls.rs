//! HTTPS on the same port (`--tls`): rustls with a given certificate and key, or a local CA and
//! a server certificate generated with rcgen for `localhost`, `127.0.0.1`, `::1` and any
//! `--tls-names`, written to `--tls-dir` and reused on the next start (a new CA only when the CA
//! files are gone, so a client that trusts it keeps trusting it).

use crate::common::bounded_file;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How HTTPS is set up.
#[derive(Debug, Clone)]
pub struct TlsSettings {
    /// Where a generated CA and certificate live.
    pub dir: PathBuf,
    /// A certificate chain (PEM) to serve instead of a generated one.
    pub cert: Option<PathBuf>,
    /// Its private key (PEM).
    pub key: Option<PathBuf>,
    /// Extra names (DNS names or IP addresses) for a generated certificate.
    pub names: Vec<String>,
}

/// A ready server configuration, and the CA a client should trust when it was generated.
pub struct Tls {
    /// The rustls configuration to listen with.
    pub config: ServerConfig,
    /// The generated CA's certificate, when the sandbox made its own.
    pub ca: Option<PathBuf>,
}

/// The server configuration for `settings`; every failure names the file and what is wrong.
pub fn prepare(settings: &TlsSettings) -> Result<Tls, String> {
    let (cert, key, ca) = match (&settings.cert, &settings.key) {
        (Some(cert), Some(key)) => (cert.clone(), key.clone(), None),
        (None, None) => {
            let files = generated(&settings.dir, &settings.names)?;
            (files.cert, files.key, Some(files.ca))
        }
        _ => return Err("--tls-cert and --tls-key go together".into()),
    };
    let cert_pem = bounded_file::read(&cert, bounded_file::PEM_LIMIT)
        .map_err(|e| format!("--tls-cert {}: {e}", cert.display()))?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("--tls-cert {}: {e}", cert.display()))?;
    if chain.is_empty() {
        return Err(format!("--tls-cert {}: no certificate in the file", cert.display()));
    }
    let key_pem =
        bounded_file::read(&key, bounded_file::PEM_LIMIT).map_err(|e| format!("--tls-key {}: {e}", key.display()))?;
    let private = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| format!("--tls-key {}: {e}", key.display()))?;
    let config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| format!("--tls-cert {} / --tls-key {}: {e}", cert.display(), key.display()))?;
    Ok(Tls { config, ca })
}

struct Generated {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

/// The CA (kept if present) and a server certificate for the names (re-issued when they change).
fn generated(dir: &Path, extra: &[String]) -> Result<Generated, String> {
    let io = |path: &Path, e: std::io::Error| format!("--tls-dir {}: {e}", path.display());
    fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let files = Generated { ca: dir.join("ca.pem"), cert: dir.join("cert.pem"), key: dir.join("key.pem") };
    let (ca_key_file, names_file) = (dir.join("ca-key.pem"), dir.join("names"));
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned(), "::1".to_owned()];
    names.extend(extra.iter().filter(|n| !n.is_empty()).cloned());
    let rcgen = |e: rcgen::Error| format!("generating the TLS certificate: {e}");
    let ca_key = match fs::read_to_string(&ca_key_file) {
        Ok(pem) if files.ca.exists() => {
            KeyPair::from_pem(&pem).map_err(|e| format!("{}: {e}", ca_key_file.display()))?
        }
        _ => {
            let key = KeyPair::generate().map_err(rcgen)?;
            let ca = ca_params().self_signed(&key).map_err(rcgen)?;
            write(&ca_key_file, &key.serialize_pem())?;
            write(&files.ca, &ca.pem())?;
            // A new CA: any server certificate on disk was signed by another one.
            let _ = fs::remove_file(&names_file);
            key
        }
    };
    let wanted = names.join("\n");
    let current = fs::read_to_string(&names_file).ok();
    if current.as_deref() != Some(wanted.as_str()) || !files.cert.exists() || !files.key.exists() {
        let key = KeyPair::generate().map_err(rcgen)?;
        let mut params = CertificateParams::new(names).map_err(rcgen)?;
        params.distinguished_name.push(DnType::CommonName, "hr-sandbox");
        let cert = params.signed_by(&key, &Issuer::new(ca_params(), &ca_key)).map_err(rcgen)?;
        write(&files.key, &key.serialize_pem())?;
        write(&files.cert, &cert.pem())?;
        write(&names_file, &wanted)?;
    }
    Ok(files)
}

/// The local CA, built the same way each time, so its saved key can sign again.
fn ca_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, "hr-sandbox local CA");
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    params
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("--tls-dir {}: {e}", path.display()))
}
