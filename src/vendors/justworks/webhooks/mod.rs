//! Justworks webhooks: an app's subscriptions to member and department events, registered
//! through the admin action `POST /__admin/vendors/justworks/webhooks` (Justworks staff do it
//! for a partner), delivered at least once, signed, on the sandbox clock by the one outbound
//! engine (`crate::outbound`), and managed with `POST /v1/webhooks/get`, `.../resume` and
//! `.../simulate`. The subscriptions, their secrets, the pending deliveries and the fault RNG
//! are part of the Justworks state: its snapshot and `--state-dir` keep them.
//!
//! Divergences (also in `docs/webhooks.md`):
//! - The signature scheme (HMAC-SHA256 over `timestamp.body`, lowercase hex) and the retry
//!   schedule are the sandbox's: Justworks names the headers only.
//! - The management endpoints need a valid token of the app that owns the webhook, no scope.
//! - `payload_override` is the whole body sent; a simulated delivery is attempted once.

mod deliver;
pub mod events;
pub mod register;

use crate::common::rng::{SandboxRng, rng_for};
use crate::outbound::queue::{Faults, MAX_ATTEMPTS, Queue};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The event types Justworks delivers.
pub const EVENT_TYPES: [&str; 7] = [
    "member.profile.created",
    "member.profile.updated",
    "member.employment_state.termination_scheduled",
    "member.employment_state.termination_canceled",
    "department.created",
    "department.updated",
    "department.deleted",
];
/// Webhooks a sandbox's Justworks holds at most.
pub const MAX_WEBHOOKS: usize = 20;
/// Longest webhook URL, in bytes.
pub const MAX_URL_BYTES: usize = 2048;
/// Largest `queue.next_seq` a restored state may carry (2^53: exact in every JSON reader).
const MAX_NEXT_SEQ: u64 = 1 << 53;
/// A given signing secret's length bounds, in bytes.
pub const SECRET_BYTES: std::ops::RangeInclusive<usize> = 16..=256;

/// Whether a webhook delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Delivering.
    Opened,
    /// Closed after a delivery failed every attempt; its deliveries wait for `resume`.
    Closed,
}

/// One subscription.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// `webhook_...`.
    pub id: String,
    /// The app it belongs to.
    pub client_id: String,
    /// Where deliveries go.
    pub url: String,
    /// What it receives.
    pub event_types: Vec<String>,
    /// The signing secret (shown once, when registered; kept in the state and its snapshot).
    pub secret: String,
    /// Opened or closed.
    pub status: Status,
    /// Seeded delivery faults (off by default).
    #[serde(default)]
    pub faults: Faults,
    /// Sandbox time it was registered.
    pub created_at: DateTime<Utc>,
    /// Sandbox time it last closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
}

impl Webhook {
    /// As `POST /v1/webhooks/get` lists it (no secret).
    pub fn view(&self) -> Value {
        json!({"id": self.id, "url": self.url, "status": self.status, "event_types": self.event_types})
    }
}

/// Every webhook of the sandbox's Justworks, with the deliveries waiting and two RNGs from the
/// sandbox's seed: one names webhooks and events and draws reorderings as events happen, the
/// other draws duplicates as deliveries succeed. Apart, each sees its calls in sandbox-time
/// order, so when the server's sweep attempts a delivery does not change what is drawn.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhooks {
    /// The subscriptions, in registration order.
    pub list: Vec<Webhook>,
    /// Deliveries waiting.
    pub queue: Queue,
    rng: SandboxRng,
    faults_rng: SandboxRng,
}

impl Webhooks {
    /// None yet, for `seed`.
    pub fn new(seed: u64) -> Self {
        let (rng, faults_rng) = (rng_for(seed, "justworks/webhooks"), rng_for(seed, "justworks/webhooks/faults"));
        Self { list: Vec::new(), queue: Queue::default(), rng, faults_rng }
    }

    /// A webhook by id.
    pub fn get(&self, id: &str) -> Option<&Webhook> {
        self.list.iter().find(|w| w.id == id)
    }

    /// The admin view: each webhook with its secret and waiting deliveries.
    pub fn admin_view(&self) -> Value {
        let hooks: Vec<Value> = self
            .list
            .iter()
            .map(|w| {
                let mut view = json!(w);
                view["pending_deliveries"] = json!(self.queue.count(&w.id));
                view
            })
            .collect();
        json!(hooks)
    }

    /// Whether a restored part holds only what a registration could make (bounded, consistent).
    pub fn check(&self) -> Result<(), String> {
        if self.list.len() > MAX_WEBHOOKS {
            return Err(format!("at most {MAX_WEBHOOKS} webhooks"));
        }
        if self.queue.pending.len() > crate::outbound::queue::MAX_PENDING {
            return Err(format!("at most {} pending deliveries", crate::outbound::queue::MAX_PENDING));
        }
        self.check_queue_counters()?;
        for (i, hook) in self.list.iter().enumerate() {
            check_url(&hook.url).map_err(|e| format!("list[{i}].url: {e}"))?;
            check_secret(&hook.secret).map_err(|e| format!("list[{i}].secret: {e}"))?;
            hook.faults.check().map_err(|e| format!("list[{i}].{e}"))?;
        }
        match self.queue.pending.iter().position(|p| self.get(&p.target).is_none()) {
            Some(i) => Err(format!("queue.pending[{i}].target: no such webhook")),
            None => Ok(()),
        }
    }
}

impl Webhooks {
    /// The queue's counters as the queue makes them: `seq`s rising in arrival order, below
    /// `next_seq` (at most 2^53, which no sandbox's life reaches), attempts within the schedule.
    /// Anything else would overflow (a panic in the sweep) or settle the wrong delivery.
    fn check_queue_counters(&self) -> Result<(), String> {
        let queue = &self.queue;
        if queue.next_seq > MAX_NEXT_SEQ {
            return Err(format!("queue.next_seq: at most {MAX_NEXT_SEQ}"));
        }
        let mut floor = 0;
        for (i, pending) in queue.pending.iter().enumerate() {
            if pending.seq < floor || pending.seq >= queue.next_seq {
                return Err(format!(
                    "queue.pending[{i}].seq: seqs rise in arrival order and stay below queue.next_seq"
                ));
            }
            floor = pending.seq + 1;
            if pending.attempts > MAX_ATTEMPTS {
                return Err(format!("queue.pending[{i}].attempts: at most {MAX_ATTEMPTS}"));
            }
        }
        Ok(())
    }

    /// A new event id.
    pub fn new_event_id(&mut self) -> String {
        super::seed::prefixed_id(&mut self.rng, "event")
    }

    /// Queues a simulated delivery to `target`, due at `now` (attempted once, even when closed).
    pub fn queue_simulated(&mut self, target: &str, payload: Value, now: DateTime<Utc>) {
        self.queue.push(target, payload, now, (false, Faults::default()), &mut self.rng);
    }
}

/// A simulated delivery's payload: the sample `event`, sent as it is or replaced by `body`, to
/// `url` when given.
pub fn simulate_payload(event: Value, body: Option<Value>, url: Option<String>) -> Value {
    let mut payload = json!({"event": event, "simulated": true});
    if let Some(body) = body {
        payload["body"] = body;
    }
    if let Some(url) = url {
        payload["url"] = json!(url);
    }
    payload
}

impl Default for Webhooks {
    /// What a snapshot made before webhooks existed restores to.
    fn default() -> Self {
        Self::new(0)
    }
}

/// Whether `url` may receive deliveries: an http(s) URL with a host, not too long.
pub fn check_url(url: &str) -> Result<(), String> {
    if url.len() > MAX_URL_BYTES {
        return Err(format!("the URL is longer than {MAX_URL_BYTES} bytes"));
    }
    if !crate::common::url::is_web_url(url) {
        return Err(format!("'{url}' is not an http(s) URL with a host"));
    }
    Ok(())
}

/// Whether `secret` may sign: 16 to 256 visible ASCII characters.
pub fn check_secret(secret: &str) -> Result<(), String> {
    if !SECRET_BYTES.contains(&secret.len()) {
        return Err(format!(
            "a secret is {} to {} characters; this one has {}",
            SECRET_BYTES.start(),
            SECRET_BYTES.end(),
            secret.len()
        ));
    }
    if !secret.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("a secret is visible ASCII characters, no spaces".into());
    }
    Ok(())
}
