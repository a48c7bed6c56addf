//! A queued delivery rendered into its call at each attempt, and the attempt's result applied:
//! the envelope gains `event_delivered_at` (the attempt's sandbox time), the body is signed
//! (`X-Justworks-Webhook-Signature`, over `X-Justworks-Webhook-Signature-Timestamp` and the body,
//! see `crate::outbound::signature`), a 2xx answer settles it, anything else retries it on the
//! schedule, and a delivery that fails every attempt closes its webhook.

use super::super::store::State;
use super::events::stamp;
use super::{Status, Webhook};
use crate::outbound::queue::{Faults, Pending, Settled};
use crate::outbound::{Due, OutboundCall, OutboundResult, signature};
use actix_web::http::header::{HeaderName, HeaderValue};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::time::Duration;

/// The signature header: lowercase hex HMAC-SHA256.
pub const SIGNATURE: HeaderName = HeaderName::from_static("x-justworks-webhook-signature");
/// The timestamp header: Unix seconds (sandbox time) of the attempt, signed with the body.
pub const TIMESTAMP: HeaderName = HeaderName::from_static("x-justworks-webhook-signature-timestamp");
/// How long an attempt waits for the receiver's whole answer (real time).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

impl State {
    /// The earliest delivery due by `until`, signed and ready to send.
    pub(in crate::vendors::justworks) fn webhook_delivery(&self, until: DateTime<Utc>) -> Option<Due> {
        if self.webhooks.queue.pending.is_empty() {
            return None;
        }
        let pending = self.webhooks.queue.next_due(until)?;
        let hook = self.webhooks.get(&pending.target)?;
        Some(Due { seq: pending.seq, call: call(pending, hook) })
    }

    /// Applies how the attempt of delivery `seq` at `at` went.
    pub(in crate::vendors::justworks) fn settle_webhook(
        &mut self,
        seq: u64,
        result: &OutboundResult,
        at: DateTime<Utc>,
    ) {
        let ok = matches!(result, OutboundResult::Answered { status, .. } if (200..300).contains(status));
        let hooks = &mut self.webhooks;
        let Some(pending) = hooks.queue.pending.iter().find(|p| p.seq == seq) else { return };
        let target = pending.target.clone();
        // Divergence: a simulated delivery is attempted once and never closes its webhook.
        if pending.payload["simulated"] == true {
            hooks.queue.remove(seq);
            return;
        }
        let faults = hooks.get(&target).map_or(Faults::default(), |w| w.faults);
        if hooks.queue.settle(seq, ok, at, faults, &mut hooks.faults_rng) == Some(Settled::Exhausted) {
            if let Some(hook) = hooks.list.iter_mut().find(|w| w.id == target) {
                hook.status = Status::Closed;
                hook.closed_at = Some(at);
            }
            hooks.queue.hold(&target);
        }
    }
}

/// The call of one attempt of `pending` to `hook`.
fn call(pending: &Pending, hook: &Webhook) -> OutboundCall {
    let event = &pending.payload["event"];
    let body = match pending.payload.get("body") {
        Some(body) => body.clone(),
        None => envelope(event, pending.due),
    };
    let body = serde_json::to_vec(&body).unwrap_or_default();
    let timestamp = pending.due.timestamp();
    let signed = signature::sign(hook.secret.as_bytes(), timestamp, &body);
    let url = pending.payload.get("url").and_then(Value::as_str).unwrap_or(&hook.url).to_owned();
    let mut delivery = json!({
        "id": event["id"], "event_type": event["event_type"], "webhook_id": hook.id, "attempt": pending.attempts + 1,
    });
    for flag in ["duplicate", "simulated"] {
        if pending.payload[flag] == true || (flag == "duplicate" && pending.duplicate) {
            delivery[flag] = json!(true);
        }
    }
    let header = |text: String| HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static(""));
    OutboundCall {
        vendor: "justworks",
        url,
        authorization: None,
        headers: vec![(SIGNATURE, header(signed)), (TIMESTAMP, header(timestamp.to_string()))],
        body: body.into(),
        timeout: ATTEMPT_TIMEOUT,
        at: Some(pending.due),
        delivery: Some(delivery),
    }
}

/// The envelope as sent at `at`: `{id, event_type, event_created_at, event_delivered_at, data}`.
fn envelope(event: &Value, at: DateTime<Utc>) -> Value {
    let mut map = Map::new();
    for key in ["id", "event_type", "event_created_at"] {
        map.insert(key.into(), event[key].clone());
    }
    map.insert("event_delivered_at".into(), json!(stamp(at)));
    map.insert("data".into(), event["data"].clone());
    Value::Object(map)
}
