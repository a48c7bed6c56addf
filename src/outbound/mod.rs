//! The one outbound delivery engine: every call the sandbox makes to a client (Joinup's signup
//! hook, Justworks' webhooks) is one JSON POST over `http://` or `https://`, bounded in time,
//! journaled as an `outbound` entry of the sandbox with its outcome ([`engine`]). Deliveries that
//! are retried wait in a [`queue`] on the sandbox clock, with its backoff schedule and seeded
//! faults. HTTPS trusts the system's roots plus `--outbound-ca`. Vendors describe the call and
//! read its result; they never touch the network or the journal themselves.
//!
//! No call loops: a URL that addresses this server is refused (when a hook is set, from its
//! literal address or a `localhost` name; when called, from what the name resolves to then), and
//! every call carries [`HOP_HEADER`]; a request that carries it never makes another call, so a
//! loop through another server stops after one hop.

pub mod engine;
pub mod queue;
pub mod signature;

pub use engine::send;

use actix_web::http::Uri;
use actix_web::http::header::{HeaderName, HeaderValue};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};
use serde_json::Value;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The header every outbound call carries (`x-sandbox-hop: 1`, the call's depth in a chain of
/// sandbox calls). A request to the sandbox that carries it came from a sandbox's call: it is
/// answered, but the call it would trigger is not made.
pub const HOP_HEADER: HeaderName = HeaderName::from_static("x-sandbox-hop");

/// A JSON POST the sandbox makes on a vendor's behalf.
#[derive(Debug, Clone, Default)]
pub struct OutboundCall {
    /// Vendor id the call is journaled under.
    pub vendor: &'static str,
    /// Absolute `http://` or `https://` URL.
    pub url: String,
    /// The whole `Authorization` value, if any.
    pub authorization: Option<String>,
    /// Further headers (a webhook's signature and its timestamp).
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The JSON body, as sent (a signature covers these bytes).
    pub body: Bytes,
    /// How long to wait for the whole answer.
    pub timeout: Duration,
    /// Sandbox time of the attempt, when it is not the clock's now (a retry due earlier in an
    /// interval the clock just jumped over).
    pub at: Option<DateTime<Utc>>,
    /// The delivery this call attempts, as the journal and the console show it.
    pub delivery: Option<Value>,
}

/// A queued delivery due now, rendered into the call to attempt (see [`queue`]).
#[derive(Debug, Clone)]
pub struct Due {
    /// Its `seq` in the vendor's queue, to settle the attempt.
    pub seq: u64,
    /// The call, at its due sandbox time.
    pub call: OutboundCall,
}

/// What came of a call.
#[derive(Debug, Clone, PartialEq)]
pub enum OutboundResult {
    /// The client answered.
    Answered {
        /// HTTP status.
        status: u16,
        /// The answer body.
        body: Bytes,
    },
    /// No complete answer within the timeout.
    TimedOut,
    /// No connection (refused, unresolvable, bad URL), with the reason.
    Unreachable(String),
    /// Not made, so that no call loops (the URL is this server, or the request that triggered it
    /// came from a sandbox's call), with the reason.
    Refused(String),
}

/// The address this server listens on, which no outbound call may reach.
#[derive(Debug, Clone, Copy)]
pub struct ThisServer {
    bound: SocketAddr,
}

impl ThisServer {
    /// The server bound on `bound` (an unspecified IP means every local address).
    pub fn new(bound: SocketAddr) -> Self {
        Self { bound }
    }

    /// Refuses a URL that names this server without asking DNS: a literal address, or
    /// `localhost` (and `*.localhost`, which resolve to loopback), at the server's port.
    pub fn check_url(&self, url: &str) -> Result<(), String> {
        let Some((host, port)) = host_and_port(url) else { return Ok(()) };
        let name = host.trim_end_matches('.').to_ascii_lowercase();
        let ips: Vec<IpAddr> = if name == "localhost" || name.ends_with(".localhost") {
            vec![IpAddr::from([127, 0, 0, 1]), IpAddr::from(std::net::Ipv6Addr::LOCALHOST)]
        } else {
            host.trim_start_matches('[').trim_end_matches(']').parse().into_iter().collect()
        };
        self.check_addresses(url, ips.into_iter().map(|ip| SocketAddr::new(ip, port)))
    }

    /// Refuses a URL whose host resolves, now, to this server (DNS may have changed since the
    /// URL was set). An unresolvable name passes: the call itself then reports it.
    pub(crate) async fn check_resolved(&self, url: &str) -> Result<(), String> {
        self.check_url(url)?;
        let Some((host, port)) = host_and_port(url) else { return Ok(()) };
        let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        let resolved = actix_web::web::block(move || (host.as_str(), port).to_socket_addrs().map(Vec::from_iter)).await;
        match resolved {
            Ok(Ok(addresses)) => self.check_addresses(url, addresses.into_iter()),
            _ => Ok(()),
        }
    }

    fn check_addresses(&self, url: &str, mut addresses: impl Iterator<Item = SocketAddr>) -> Result<(), String> {
        match addresses.find(|target| self.reaches_me(*target)) {
            Some(target) => Err(format!(
                "{url} addresses this server ({target}, listening on {}): a hook calling the sandbox would loop",
                self.bound
            )),
            None => Ok(()),
        }
    }

    /// Whether a connection to `target` would reach this server's listener.
    fn reaches_me(&self, target: SocketAddr) -> bool {
        if target.port() != self.bound.port() {
            return false;
        }
        let ip = target.ip().to_canonical();
        let bound = self.bound.ip().to_canonical();
        if ip == bound || ip.is_unspecified() || (bound.is_loopback() && ip.is_loopback()) {
            return true;
        }
        // Bound to every address: any loopback one, or one this machine holds (binding to it works).
        bound.is_unspecified() && (ip.is_loopback() || UdpSocket::bind((ip, 0)).is_ok())
    }
}

/// The host and port (the scheme's default when absent) of an `http(s)://` URL.
fn host_and_port(url: &str) -> Option<(String, u16)> {
    let uri: Uri = url.parse().ok()?;
    let default = if uri.scheme_str() == Some("https") { 443 } else { 80 };
    Some((uri.host()?.to_owned(), uri.port_u16().unwrap_or(default)))
}

/// Why a request must not trigger an outbound call: it came from a sandbox's own call.
pub fn hop_refusal(incoming: &actix_web::http::header::HeaderMap) -> Option<String> {
    let hop = incoming.get(&HOP_HEADER)?;
    Some(format!(
        "the request carries {HOP_HEADER}: {} (it came from a sandbox's outbound call), so it makes no call of its own: a loop stops here",
        String::from_utf8_lossy(hop.as_bytes())
    ))
}

/// What outbound HTTPS trusts: the system's roots, plus the PEM certificates of `--outbound-ca`
/// (e.g. the CA of a local HTTPS test server). The extra file is read at start-up, so a bad one
/// is an error naming it; the system's roots are loaded on the first call, not at every start.
pub struct Trust {
    extra: Vec<CertificateDer<'static>>,
    config: OnceLock<Arc<ClientConfig>>,
}

impl Trust {
    /// The system's roots plus the certificates of `extra_ca`.
    pub fn new(extra_ca: Option<&Path>) -> Result<Self, String> {
        let mut extra = Vec::new();
        if let Some(path) = extra_ca {
            let pem = crate::common::bounded_file::read(path, crate::common::bounded_file::PEM_LIMIT)
                .map_err(|e| format!("--outbound-ca {}: {e}", path.display()))?;
            extra = CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("--outbound-ca {}: {e}", path.display()))?;
            if extra.is_empty() {
                return Err(format!("--outbound-ca {}: no certificate in the file", path.display()));
            }
            // Checked now, so a certificate rustls refuses fails the start, not the first call.
            let mut roots = RootCertStore::empty();
            for cert in &extra {
                roots.add(cert.clone()).map_err(|e| format!("--outbound-ca {}: {e}", path.display()))?;
            }
        }
        Ok(Self { extra, config: OnceLock::new() })
    }

    /// The TLS configuration of an outbound HTTPS client (also `hr-sandbox record`'s upstream calls).
    pub fn config(&self) -> Arc<ClientConfig> {
        let config = self.config.get_or_init(|| {
            let mut roots = RootCertStore::empty();
            // Unreadable system certificates leave the system roots out, not the call broken.
            for cert in rustls_native_certs::load_native_certs().certs.into_iter().chain(self.extra.iter().cloned()) {
                let _ = roots.add(cert);
            }
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let config = ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map(|builder| builder.with_root_certificates(roots).with_no_client_auth())
                .unwrap_or_else(|_| {
                    ClientConfig::builder().with_root_certificates(RootCertStore::empty()).with_no_client_auth()
                });
            Arc::new(config)
        });
        Arc::clone(config)
    }
}
