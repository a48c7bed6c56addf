//! HTTPS on the same port (`--tls`): rustls with a given certificate and key, or a local CA and
//! a server certificate generated with rcgen for `localhost`, `127.0.0.1`, `::1` and any
//! `--tls-names`, written to `--tls-dir` and reused on the next start (`local_ca`: a CA limited
//! by name constraints to those names, kept while it covers the names wanted, so a client that
//! trusts it keeps trusting it).

use crate::common::bounded_file;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::PathBuf;
use std::sync::Arc;

mod local_ca;

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
            let files = local_ca::generated(&settings.dir, &settings.names)?;
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
