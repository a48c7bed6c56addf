//! Calls the sandbox makes to the client (Joinup's signup hook, future webhooks): one JSON POST
//! over `http://` or `https://`, bounded in time, journaled as an `outbound` entry of the
//! sandbox. HTTPS trusts the system's roots plus `--outbound-ca`. Vendors describe the call and
//! read its result; they never touch the network or the journal themselves.

use crate::common::clock::Clock;
use crate::journal::{Answer, Journal, JournalEntry};
use actix_web::http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use actix_web::http::{Method, Uri};
use bytes::Bytes;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};
use serde_json::Value;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Largest answer body read from a client.
const ANSWER_LIMIT: usize = 1024 * 1024;

/// A JSON POST the sandbox makes on a vendor's behalf.
#[derive(Debug, Clone)]
pub struct OutboundCall {
    /// Vendor id the call is journaled under.
    pub vendor: &'static str,
    /// Absolute `http://` or `https://` URL.
    pub url: String,
    /// The whole `Authorization` value, if any.
    pub authorization: Option<String>,
    /// The JSON body.
    pub body: Value,
    /// How long to wait for the whole answer.
    pub timeout: Duration,
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
}

/// Makes the call and journals it, at the time `clock` gives, in the sandbox's `journal`.
pub async fn send(
    call: &OutboundCall,
    (clock, journal): (&Clock, &Journal),
    request_id: HeaderValue,
    trust: &Trust,
) -> OutboundResult {
    let started = Instant::now();
    let at = clock.now();
    let body = Bytes::from(serde_json::to_vec(&call.body).unwrap_or_default());
    let uri: Option<Uri> = call.url.parse().ok();
    let result = match &uri {
        Some(uri) if matches!(uri.scheme_str(), Some("http" | "https")) => post(call, body.clone(), trust).await,
        _ => OutboundResult::Unreachable(format!("not an http(s):// URL: {}", call.url)),
    };
    let mut headers: Vec<(HeaderName, HeaderValue)> =
        vec![(CONTENT_TYPE, HeaderValue::from_static("application/json"))];
    if let Some(value) = call.authorization.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
        headers.push((AUTHORIZATION, value));
    }
    journal.record(JournalEntry {
        seq: 0,
        request_id,
        at,
        direction: "outbound",
        vendor: call.vendor,
        method: Method::POST,
        uri: uri.unwrap_or_default(),
        decoded_path: None,
        prefix_len: 0,
        headers,
        body_len: body.len(),
        body,
        panic: None,
        unmatched: false,
        status: match &result {
            OutboundResult::Answered { status, .. } => *status,
            _ => 0,
        },
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
        scenario: None,
        answer: match &result {
            OutboundResult::Answered { body, .. } => Some(Box::new(Answer::keep(&Default::default(), Some(body)))),
            _ => None,
        },
    });
    result
}

async fn post(call: &OutboundCall, body: Bytes, trust: &Trust) -> OutboundResult {
    let connector = awc::Connector::new().rustls_0_23(trust.config());
    let client = awc::Client::builder().connector(connector).timeout(call.timeout).disable_redirects().finish();
    let mut request = client.post(&call.url).insert_header((CONTENT_TYPE, "application/json"));
    if let Some(authorization) = &call.authorization {
        request = request.insert_header((AUTHORIZATION, authorization.as_str()));
    }
    let read = async {
        let mut response = request.send_body(body).await?;
        let status = response.status().as_u16();
        let body = response
            .body()
            .limit(ANSWER_LIMIT)
            .await
            .map_err(|e| awc::error::SendRequestError::Custom(Box::new(e), Box::new("body")))?;
        Ok::<_, awc::error::SendRequestError>(OutboundResult::Answered { status, body })
    };
    // The client's timeout covers sending; this one also covers reading the body.
    match actix_web::rt::time::timeout(call.timeout, read).await {
        Err(_) | Ok(Err(awc::error::SendRequestError::Timeout)) => OutboundResult::TimedOut,
        Ok(Err(err)) => OutboundResult::Unreachable(err.to_string()),
        Ok(Ok(result)) => result,
    }
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
            extra = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
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

    fn config(&self) -> Arc<ClientConfig> {
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
