//! `hr-sandbox healthcheck`: a dependency-free probe of `GET /__admin/health` on 127.0.0.1, so a
//! `FROM scratch` image needs no curl and no shell; over TLS when the server serves it. The
//! probe checks liveness, not identity, so it does not verify the certificate (it connects to
//! the loopback address only).

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What to probe.
pub struct Probe {
    /// The server's port on 127.0.0.1.
    pub port: u16,
    /// Whether the server speaks TLS.
    pub tls: bool,
    /// The admin token, when the server requires one.
    pub admin_token: Option<String>,
}

impl Probe {
    /// Whether the server answers 200; `wait` keeps asking until it does or the time is up.
    pub fn healthy(&self, wait: Duration) -> Result<bool, String> {
        let deadline = Instant::now() + wait;
        loop {
            let outcome = self.once();
            if matches!(outcome, Ok(true)) || Instant::now() >= deadline {
                return outcome.map_err(|e| e.to_string());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn once(&self) -> std::io::Result<bool> {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
        stream.set_read_timeout(Some(Duration::from_secs(2)))?;
        let auth = self.admin_token.as_deref().filter(|t| !t.is_empty());
        let request = format!(
            "GET /__admin/health HTTP/1.0\r\nHost: 127.0.0.1\r\n{}\r\n",
            auth.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default()
        );
        let mut head = [0u8; 12];
        if self.tls {
            let mut tls = StreamOwned::new(client()?, stream);
            tls.write_all(request.as_bytes())?;
            tls.read_exact(&mut head)?;
        } else {
            let mut plain = stream;
            plain.write_all(request.as_bytes())?;
            plain.read_exact(&mut head)?;
        }
        Ok(head.starts_with(b"HTTP/1.1 200") || head.starts_with(b"HTTP/1.0 200"))
    }
}

fn client() -> std::io::Result<ClientConnection> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(LivenessOnly(provider)))
        .with_no_client_auth();
    let name = ServerName::try_from("localhost").map_err(std::io::Error::other)?;
    ClientConnection::new(Arc::new(config), name).map_err(std::io::Error::other)
}

/// Accepts any certificate, still checking the handshake's signatures.
#[derive(Debug)]
struct LivenessOnly(Arc<CryptoProvider>);

impl ServerCertVerifier for LivenessOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
