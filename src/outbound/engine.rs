//! One attempt of an outbound call: the POST itself (bounded in time and answer size) and its
//! `outbound` journal entry with the outcome. Joinup's signup hook and every Justworks webhook
//! delivery go through [`send`], so each attempt is journaled the same way and
//! `POST /__admin/requests/verify` counts deliveries like requests.

use super::{OutboundCall, OutboundResult, ThisServer, Trust};
use crate::common::clock::Clock;
use crate::journal::{Answer, Cut, Journal, JournalEntry, OUTCOME_DETAIL_LIMIT, Outcome};
use actix_web::http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use actix_web::http::{Method, Uri};
use std::time::Instant;

/// Largest answer body read from a client.
const ANSWER_LIMIT: usize = 1024 * 1024;

/// Makes the call and journals it, at the call's sandbox time (the clock's now when it names
/// none), in the sandbox's `journal`; a call to this server is refused (logged, not journaled:
/// nothing was sent).
pub async fn send(
    call: &OutboundCall,
    (clock, journal): (&Clock, &Journal),
    request_id: HeaderValue,
    (trust, this): (&Trust, &ThisServer),
) -> OutboundResult {
    if let Err(reason) = this.check_resolved(&call.url).await {
        tracing::warn!(vendor = call.vendor, url = %call.url, "outbound call refused: {reason}");
        return OutboundResult::Refused(reason);
    }
    let started = Instant::now();
    let at = call.at.unwrap_or_else(|| clock.now());
    let uri: Option<Uri> = call.url.parse().ok();
    let result = match &uri {
        Some(uri) if matches!(uri.scheme_str(), Some("http" | "https")) => post(call, trust).await,
        _ => OutboundResult::Unreachable(format!("not an http(s):// URL: {}", call.url)),
    };
    let (headers, _) = crate::journal::keep_headers(&sent_headers(call));
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
        cut: Cut::default(),
        body_len: call.body.len(),
        body: call.body.clone(),
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
        outcome: Some(Box::new(outcome(&result, call))),
    });
    result
}

/// The headers a call carries, as the journal keeps them.
fn sent_headers(call: &OutboundCall) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(super::HOP_HEADER, HeaderValue::from_static("1"));
    if let Some(value) = call.authorization.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
        headers.insert(AUTHORIZATION, value);
    }
    for (name, value) in &call.headers {
        headers.insert(name.clone(), value.clone());
    }
    headers
}

/// How the attempt ended, as the journal shows it.
fn outcome(result: &OutboundResult, call: &OutboundCall) -> Outcome {
    let (name, detail) = match result {
        OutboundResult::Answered { .. } => ("answered", None),
        OutboundResult::TimedOut => ("timed_out", None),
        OutboundResult::Unreachable(reason) => ("unreachable", Some(reason)),
        OutboundResult::Refused(reason) => ("refused", Some(reason)),
    };
    let detail = detail.map(|reason| {
        let mut cut = OUTCOME_DETAIL_LIMIT.min(reason.len());
        while !reason.is_char_boundary(cut) {
            cut -= 1;
        }
        reason[..cut].to_owned()
    });
    Outcome { result: name, detail, delivery: call.delivery.clone() }
}

async fn post(call: &OutboundCall, trust: &Trust) -> OutboundResult {
    let connector = awc::Connector::new().rustls_0_23(trust.config());
    let client = awc::Client::builder().connector(connector).timeout(call.timeout).disable_redirects().finish();
    let mut request = client
        .post(&call.url)
        .insert_header((CONTENT_TYPE, "application/json"))
        .insert_header((super::HOP_HEADER, "1"));
    if let Some(authorization) = &call.authorization {
        request = request.insert_header((AUTHORIZATION, authorization.as_str()));
    }
    for (name, value) in &call.headers {
        request = request.insert_header((name.clone(), value.clone()));
    }
    let read = async {
        let mut response = request.send_body(call.body.clone()).await?;
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
